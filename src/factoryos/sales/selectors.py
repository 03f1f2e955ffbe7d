"""Reads of quotes and sales orders (Readers: see kernel/reads.py), and what a line holds in stock."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from factoryos.catalog.models import Bom, BomStatus
from factoryos.inventory.models import Reservation, ReservationStatus
from factoryos.kernel.reads import Reader
from factoryos.sales import filters
from factoryos.sales.models import Quote, QuoteLine, SalesOrder, SalesOrderLine, SalesOrderReservation


def _quotes() -> QuerySet[Quote]:
    return Quote.objects.select_related("partner", "contact", "revised_from")


def _quote_lines() -> QuerySet[QuoteLine]:
    return QuoteLine.objects.select_related("item__uom", "tax_code", "quote")


def _orders() -> QuerySet[SalesOrder]:
    return SalesOrder.objects.select_related("partner", "contact", "quote", "credit_approved_by")


def order_lines_of(queryset: QuerySet[SalesOrderLine]) -> QuerySet[SalesOrderLine]:
    """Lines with what showing reserved / to make / to buy needs, in a constant number of queries."""
    released = Bom.objects.filter(item=OuterRef("item"), status=BomStatus.RELEASED)
    links = SalesOrderReservation.objects.select_related("reservation__location", "reservation__lot")
    return (
        queryset.select_related("item__uom", "tax_code", "order")
        .annotate(has_bom=Exists(released))
        .prefetch_related(Prefetch("reservations", queryset=links))
    )


quotes = Reader(Quote, queryset=_quotes, filterset=filters.QuoteFilterSet)
quote_lines = Reader(QuoteLine, queryset=_quote_lines, filterset=filters.QuoteLineFilterSet)
sales_orders = Reader(SalesOrder, queryset=_orders, filterset=filters.SalesOrderFilterSet)
sales_order_lines = Reader(
    SalesOrderLine,
    queryset=lambda: order_lines_of(SalesOrderLine.objects.all()),
    filterset=filters.SalesOrderLineFilterSet,
)


def lines_of(document: Any) -> list[Any]:
    """A quote's or an order's lines, in order, with what their page shows."""
    if isinstance(document, SalesOrder):
        return list(order_lines_of(document.lines.all()))
    return list(document.lines.select_related("item__uom", "tax_code"))


def line_reservations(line: SalesOrderLine) -> list[Reservation]:
    """The line's active inventory reservations, oldest first (shipping consumes them as it ships the line)."""
    return list(
        Reservation.objects.filter(sales_lines__line=line, status=ReservationStatus.ACTIVE)
        .select_related("location", "lot")
        .order_by("pk")
    )
