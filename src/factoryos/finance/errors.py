"""Error codes of finance (and of every priced document's lines)."""

from factoryos.kernel.errors import ErrorCode


class FinanceError(ErrorCode):
    NO_TAX_CODE = "no_tax_code"
    NO_EXCHANGE_RATE = "no_exchange_rate"
    NO_PRICE = "no_price"
    LINE_WITHOUT_DESCRIPTION = "line_without_description"
    SEQUENCE_BACKWARDS = "sequence_backwards"
