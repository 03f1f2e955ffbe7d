from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.kernel.limits import of
from factoryos.kernel.schemas import bodies, reply
from factoryos.sales import services as f  # the fields each service takes
from factoryos.sales.models import Quote, QuoteLine, SalesOrder, SalesOrderLine

HEADER = ("number", "partner", "contact", "currency", "exchange_rate", "prices_include_tax", "notes")
TOTALS = ("net_total", "tax_total", "total", "created_at")
LINE = (
    "position", "item", "description", "quantity", "unit_price", "discount_pct", "tax_code", "tax_rate", "net", "tax",
    "gross", "lead_time_days",
)  # fmt: skip

QuoteOut = reply(
    Quote,
    HEADER,
    ("valid_until", "revision", "revised_from", "status", "lost_reason"),
    TOTALS,
    ("sent_at", "accepted_at", "lost_at", "expired_at", "superseded_at"),
)
QuoteIn, QuotePatch = bodies(Quote, f.QuoteFields, fixed=("partner",))
QuoteLineOut = reply(QuoteLine, "quote", LINE)
QuoteLineIn, QuoteLinePatch = bodies(
    QuoteLine, "quote", f.LineFields, fixed=("quote",), defaulted=("unit_price", "tax_code")
)

SalesOrderOut = reply(
    SalesOrder,
    HEADER,
    ("quote", "customer_reference", "order_date", "status", "credit_approved_at", "credit_approved_by"),
    TOTALS,
    ("confirmed_at", "part_shipped_at", "shipped_at", "closed_at", "cancelled_at"),
)
SalesOrderIn, SalesOrderPatch = bodies(SalesOrder, f.SalesOrderFields, fixed=("partner",), defaulted=("order_date",))
SalesOrderLineOut = reply(
    SalesOrderLine,
    "order",
    LINE,
    ("promised_date", "shipped"),
    extra={
        "promised_on": date,
        "reserved": Decimal,
        "back_order": Decimal,
        "to_make": Decimal,
        "to_buy": Decimal,
    },
)
SalesOrderLineIn, SalesOrderLinePatch = bodies(
    SalesOrderLine, "order", f.OrderLineFields, fixed=("order",), defaulted=("unit_price", "tax_code")
)


class LoseIn(Schema):
    reason: Annotated[str, Field(min_length=1, **of(Quote, "lost_reason").pydantic())]


class AcceptIn(Schema):
    customer_reference: Annotated[str, Field(**of(SalesOrder, "customer_reference").pydantic())] = ""


class QuoteEmailIn(Schema):
    to: Annotated[str, Field(max_length=254, description="Empty: the quote's contact")] = ""
    subject: Annotated[str, Field(max_length=200)] = ""
    message: Annotated[str, Field(max_length=5000, description="Empty: a short standard message")] = ""
