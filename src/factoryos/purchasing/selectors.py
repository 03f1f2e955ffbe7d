"""Reads of Buy (Readers: see kernel/reads.py), and the RFQ comparison."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from factoryos.finance import money
from factoryos.kernel.errors import DomainError
from factoryos.kernel.events import Actor
from factoryos.kernel.reads import Reader
from factoryos.purchasing import filters as f
from factoryos.purchasing import services
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

purchase_orders = Reader(
    PurchaseOrder,
    queryset=lambda: PurchaseOrder.objects.select_related("partner", "created_by", "approved_by", "rfq"),
    filterset=f.PurchaseOrderFilterSet,
)
purchase_order_lines = Reader(
    PurchaseOrderLine,
    queryset=lambda: PurchaseOrderLine.objects.select_related("purchase_order", "item__uom", "tax_code"),
    filterset=f.PurchaseOrderLineFilterSet,
)
receipts = Reader(
    Receipt,
    queryset=lambda: Receipt.objects.select_related("supplier", "purchase_order", "created_by", "posted_by"),
    filterset=f.ReceiptFilterSet,
)
receipt_lines = Reader(
    ReceiptLine,
    queryset=lambda: ReceiptLine.objects.select_related("receipt", "po_line", "item__uom", "location"),
    filterset=f.ReceiptLineFilterSet,
)
supplier_returns = Reader(
    SupplierReturn,
    queryset=lambda: SupplierReturn.objects.select_related("supplier", "receipt", "created_by", "posted_by"),
    filterset=f.SupplierReturnFilterSet,
)
supplier_return_lines = Reader(
    SupplierReturnLine,
    queryset=lambda: SupplierReturnLine.objects.select_related(
        "supplier_return", "receipt_line__item__uom", "receipt_line__location"
    ),
    filterset=f.SupplierReturnLineFilterSet,
)
requisitions = Reader(
    Requisition,
    queryset=lambda: Requisition.objects.select_related("requested_by", "approved_by"),
    filterset=f.RequisitionFilterSet,
)
requisition_lines = Reader(
    RequisitionLine,
    queryset=lambda: RequisitionLine.objects.select_related("requisition", "item__uom"),
    filterset=f.RequisitionLineFilterSet,
)
rfqs = Reader(
    RequestForQuotation,
    queryset=lambda: RequestForQuotation.objects.select_related("requisition", "created_by"),
    filterset=f.RfqFilterSet,
)
rfq_lines = Reader(
    RfqLine, queryset=lambda: RfqLine.objects.select_related("rfq", "item__uom"), filterset=f.RfqLineFilterSet
)
rfq_suppliers = Reader(
    RfqSupplier,
    queryset=lambda: RfqSupplier.objects.select_related("rfq", "supplier"),
    filterset=f.RfqSupplierFilterSet,
)
supplier_quotes = Reader(
    SupplierQuote,
    queryset=lambda: SupplierQuote.objects.select_related("rfq_supplier__supplier", "rfq_line__item"),
    filterset=f.SupplierQuoteFilterSet,
)
approval_limits = Reader(
    ApprovalLimit,
    queryset=lambda: ApprovalLimit.objects.select_related("custom_role"),
    filterset=f.ApprovalLimitFilterSet,
)

purchasing_settings = Reader(PurchasingSettings)


def settings(*, actor: Actor | None) -> PurchasingSettings:
    """The organization's purchasing settings (made with the defaults on first use), read: one VIEW event."""
    return purchasing_settings.viewed(services.current_settings(), actor=actor)


def comparison(rfq: RequestForQuotation) -> dict[str, Any]:
    """The RFQ's answers side by side: per line, each supplier's unit price, lead time and line total (in their
    currency and the organization's), the cheapest valid answer marked; and per supplier, the total of the lines
    they answered. (The caller has recorded the VIEW of the RFQ.)"""
    today = timezone.localdate()
    suppliers = list(rfq.suppliers.select_related("supplier").order_by("id"))
    lines = list(
        rfq.lines.select_related("item__uom")
        .prefetch_related(Prefetch("quotes", queryset=SupplierQuote.objects.select_related("rfq_supplier")))
        .order_by("id")
    )
    totals: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"total": Decimal("0.00"), "total_org": Decimal("0.00"), "lines": 0}
    )
    rows = []
    for line in lines:
        quotes = list(line.quotes.all())
        best = services.cheapest(quotes, line.quantity, today, unpriced_ok=True)
        answers = []
        for quote in sorted(quotes, key=lambda q: q.rfq_supplier_id):
            total = money.round_money(line.quantity * quote.unit_price)
            try:
                total_org: Decimal | None = services.quote_in_org_currency(quote, line.quantity)[1]
            except DomainError:  # no exchange rate for the supplier's currency yet
                total_org = None
            expired = quote.valid_until is not None and quote.valid_until < today
            answers.append(
                {
                    "quote_id": quote.pk,
                    "rfq_supplier_id": quote.rfq_supplier_id,
                    "supplier_id": quote.rfq_supplier.supplier_id,
                    "currency": quote.rfq_supplier.currency,
                    "unit_price": quote.unit_price,
                    "lead_time_days": quote.lead_time_days,
                    "valid_until": quote.valid_until,
                    "expired": expired,
                    "total": total,
                    "total_org": total_org,
                    "cheapest": best is not None and quote.pk == best.pk,
                }
            )
            summary = totals[quote.rfq_supplier_id]
            summary["total"] += total
            summary["total_org"] = (
                None if total_org is None or summary["total_org"] is None else summary["total_org"] + total_org
            )
            summary["lines"] += 1
        rows.append(
            {
                "line_id": line.pk,
                "item_id": line.item_id,
                "sku": line.item.sku,
                "name": line.item.name,
                "uom": line.item.uom.code,
                "quantity": line.quantity,
                "answers": answers,
                "cheapest_rfq_supplier_id": best.rfq_supplier_id if best is not None else None,
            }
        )
    return {
        "rfq_id": rfq.pk,
        "number": rfq.number,
        "suppliers": [
            {
                "rfq_supplier_id": s.pk,
                "supplier_id": s.supplier_id,
                "code": s.supplier.code,
                "name": s.supplier.display_name,
                "currency": s.currency,
                **totals[s.pk],
            }
            for s in suppliers
        ],
        "lines": rows,
    }
