"""Error codes of requisitions, RFQs, purchase orders, receipts and returns to suppliers."""

from factoryos.kernel.errors import ErrorCode


class PurchasingError(ErrorCode):
    NOT_A_SUPPLIER = "not_a_supplier"
    NO_LINES = "no_lines"
    APPROVAL_REQUIRED = "approval_required"
    NOT_OPEN_FOR_RECEIPT = "not_open_for_receipt"
    NOT_STOCKED = "not_stocked"
    OTHER_ORDER = "other_order"
    OVER_RECEIPT = "over_receipt"
    OVER_RETURN = "over_return"
    OTHER_RECEIPT = "other_receipt"
    ROLE_REQUIRED = "role_required"
    NOT_APPROVED = "not_approved"
    OTHER_RFQ = "other_rfq"
    NO_QUOTE = "no_quote"
    QUOTE_EXPIRED = "supplier_quote_expired"
    NO_SUPPLIERS = "no_suppliers"
    NO_EMAIL = "no_email"
