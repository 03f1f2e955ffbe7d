"""Error codes of partners."""

from factoryos.kernel.errors import ErrorCode


class PartnerError(ErrorCode):
    NO_ROLE = "partner_without_role"
    NOT_A_SUPPLIER = "partner_not_a_supplier"
    PRICE_LIST_CURRENCY = "price_list_currency"
    VALIDITY = "price_validity_reversed"
