from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from factoryos.kernel.schemas import RefId, bodies, reply
from factoryos.purchasing import services as f  # the fields each service takes
from factoryos.purchasing.models import (
    ApprovalLimit,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasingSettings,
    Receipt,
    ReceiptLine,
    RequestForQuotation,
    Requisition,
    RequisitionLine,
    RfqLine,
    RfqSupplier,
    SupplierQuote,
    SupplierReturn,
    SupplierReturnLine,
)

STAMPS = ("created_at", "created_by")

# -- settings and limits ---------------------------------------------------------------------------------------------
PurchasingSettingsOut = reply(PurchasingSettings, f.SettingsFields)
_, PurchasingSettingsPatch = bodies(PurchasingSettings, f.SettingsFields)

ApprovalLimitOut = reply(ApprovalLimit, f.ApprovalLimitFields, extra={"role_label": str})
ApprovalLimitIn, ApprovalLimitPatch = bodies(ApprovalLimit, f.ApprovalLimitFields)

# -- purchase orders -------------------------------------------------------------------------------------------------
PurchaseOrderOut = reply(
    PurchaseOrder,
    ("number", "partner", "currency", "exchange_rate", "prices_include_tax", "order_date", "expected_date"),
    ("supplier_reference", "notes", "status", "net_total", "tax_total", "total", "rfq", *STAMPS),
    ("pending_approval_at", "approved_at", "approved_by", "sent_at", "part_received_at", "received_at"),
    ("closed_at", "cancelled_at"),
)
PurchaseOrderIn, PurchaseOrderPatch = bodies(
    PurchaseOrder, f.PurchaseOrderFields, defaulted=("currency", "exchange_rate", "order_date")
)

LINE_FIELDS = ("position", "item", "description", "quantity", "unit_price", "discount_pct", "tax_code")
PurchaseOrderLineOut = reply(
    PurchaseOrderLine,
    "purchase_order",
    LINE_FIELDS,
    ("tax_rate", "net", "tax", "gross", "expected_date", "received", "billed"),
    extra={"outstanding": Decimal},
)
PurchaseOrderLineIn, PurchaseOrderLinePatch = bodies(
    PurchaseOrderLine,
    "purchase_order",
    f.PurchaseOrderLineFields,
    fixed=("purchase_order",),
    defaulted=("unit_price", "tax_code", "position", "expected_date"),
)

# -- receipts and returns --------------------------------------------------------------------------------------------
ReceiptOut = reply(
    Receipt,
    ("number", "supplier", "purchase_order", "received_at", "supplier_reference", "notes", "status", *STAMPS),
    ("posted_at", "posted_by", "cancelled_at"),
)
ReceiptIn, _ = bodies(
    Receipt,
    ("purchase_order", "received_at", "supplier_reference", "notes"),
    name="GoodsReceipt",  # inventory's ReceiptIn is the stock receipt: one schema name each in the OpenAPI document
    defaulted=("received_at",),
    extra={
        "location": (
            RefId | None,
            Field(None, description="Receive everything still outstanding on the order into this location"),
        )
    },
)
_, ReceiptPatch = bodies(Receipt, f.ReceiptChangeFields, name="ReceiptChange")

ReceiptLineOut = reply(
    ReceiptLine,
    "receipt",
    ("po_line", "item", "quantity", "location", "lot_code", "expires_on", "unit_cost", "returned"),
)
ReceiptLineIn, ReceiptLinePatch = bodies(
    ReceiptLine, "receipt", f.ReceiptLineFields, fixed=("receipt", "po_line"), defaulted=("unit_cost",)
)

SupplierReturnOut = reply(
    SupplierReturn, ("number", "supplier", "receipt", "reason", "status", *STAMPS, "posted_at", "posted_by")
)
SupplierReturnIn, _ = bodies(SupplierReturn, f.SupplierReturnFields)
_, SupplierReturnPatch = bodies(SupplierReturn, f.SupplierReturnChangeFields, name="SupplierReturnChange")
SupplierReturnLineOut = reply(SupplierReturnLine, "supplier_return", f.SupplierReturnLineFields)
SupplierReturnLineIn, SupplierReturnLinePatch = bodies(
    SupplierReturnLine, "supplier_return", f.SupplierReturnLineFields, fixed=("supplier_return", "receipt_line")
)

# -- requisitions and RFQs -----------------------------------------------------------------------------------------
RequisitionOut = reply(
    Requisition,
    ("number", "requested_by", "needed_by", "notes", "status", "rejection_reason", "created_at"),
    ("submitted_at", "submitted_by", "approved_at", "approved_by", "rejected_at", "rejected_by", "ordered_at"),
)
RequisitionIn, RequisitionPatch = bodies(Requisition, f.RequisitionFields)
RequisitionLineOut = reply(RequisitionLine, "requisition", f.RequisitionLineFields)
RequisitionLineIn, RequisitionLinePatch = bodies(
    RequisitionLine, "requisition", f.RequisitionLineFields, fixed=("requisition",)
)

RequestForQuotationOut = reply(
    RequestForQuotation,
    ("number", "requisition", "respond_by", "notes", "status", *STAMPS, "sent_at", "awarded_at", "cancelled_at"),
)
RequestForQuotationIn, _ = bodies(
    RequestForQuotation,
    "requisition",
    f.RfqFields,
    required=("requisition",),
    extra={"suppliers": (list[RefId], Field([], description="The suppliers to ask (partner ids)", max_length=50))},
)
_, RequestForQuotationPatch = bodies(RequestForQuotation, f.RfqFields, name="RfqChange")

RfqLineOut = reply(RfqLine, "rfq", "requisition_line", f.RfqLineFields)
RfqLineIn, RfqLinePatch = bodies(RfqLine, "rfq", f.RfqLineFields, fixed=("rfq",))
RfqSupplierOut = reply(RfqSupplier, "rfq", "supplier", "currency")
RfqSupplierIn, _ = bodies(RfqSupplier, "rfq", f.RfqSupplierFields)
SupplierQuoteOut = reply(SupplierQuote, f.SupplierQuoteFields)
SupplierQuoteIn, _ = bodies(SupplierQuote, f.SupplierQuoteFields)
_, SupplierQuotePatch = bodies(SupplierQuote, f.SupplierQuoteChangeFields, name="SupplierQuoteChange")


# -- operations --------------------------------------------------------------------------------------------------------
class RejectIn(Schema):
    reason: Annotated[str, Field(max_length=300, description="Why (shown to the requester)")] = ""


class AwardChoiceIn(Schema):
    line: RefId = Field(description="The RFQ line")
    supplier: RefId = Field(description="The RFQ supplier (its id on the RFQ, not the partner's) to order it from")


class AwardIn(Schema):
    choices: list[AwardChoiceIn] | None = Field(
        None,
        description="The answer to order per line; none: every line from its cheapest valid answer",
        max_length=500,
    )


class AwardOut(Schema):
    rfq: RequestForQuotationOut  # type: ignore[valid-type]
    purchase_orders: list[PurchaseOrderOut]  # type: ignore[valid-type]


class CompareAnswer(Schema):
    quote_id: int
    rfq_supplier_id: int
    supplier_id: int
    currency: str
    unit_price: Decimal
    lead_time_days: int
    valid_until: date | None
    expired: bool
    total: Decimal = Field(description="Quantity x unit price, in the supplier's currency")
    total_org: Decimal | None = Field(description="The total in the organization's currency (null: no exchange rate)")
    cheapest: bool = Field(description="The lowest valid total of the line (in the organization's currency)")


class CompareLine(Schema):
    line_id: int
    item_id: int
    sku: str
    name: str
    uom: str
    quantity: Decimal
    answers: list[CompareAnswer]
    cheapest_rfq_supplier_id: int | None


class CompareSupplier(Schema):
    rfq_supplier_id: int
    supplier_id: int
    code: str
    name: str
    currency: str
    total: Decimal
    total_org: Decimal | None
    lines: int = Field(description="How many lines they answered")


class CompareOut(Schema):
    rfq_id: int
    number: str
    suppliers: list[CompareSupplier]
    lines: list[CompareLine]


class PurchaseOrderEmailIn(Schema):
    to: Annotated[str, Field(max_length=254)] | None = Field(
        None, description="Default: the supplier's primary contact (or its general address)"
    )
    message: Annotated[str, Field(max_length=5000)] = ""
