"""Error codes of sales."""

from factoryos.kernel.errors import ErrorCode


class SalesError(ErrorCode):
    NOT_A_CUSTOMER = "partner_not_a_customer"
    CONTACT_OF_ANOTHER_PARTNER = "contact_of_another_partner"
    NO_LINES = "document_without_lines"
    LOST_REASON_REQUIRED = "lost_reason_required"
    QUOTE_EXPIRED = "quote_expired"
    CREDIT_HOLD = "credit_hold"
    OVER_SHIPPED = "over_shipped"
    UNSHIPPED_MORE_THAN_SHIPPED = "unshipped_more_than_shipped"
    NO_RECIPIENT = "quote_without_recipient"
