"""Forms of the shipping pages. They parse input only: every rule lives in shipping.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from factoryos.catalog.models import Item
from factoryos.inventory.models import VIRTUAL_KINDS, Location, Lot
from factoryos.partners.models import Partner
from factoryos.sales.models import SalesOrderLine
from factoryos.shipping.models import (
    CustomerReturn,
    CustomerReturnLine,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
)
from factoryos.web.forms import ModelFieldsForm, Picker


def _location_label(location: Location) -> str:
    return f"{location.code} · {location.name}"


def _lot_label(lot: Lot) -> str:
    return f"{lot.code} (expires {lot.expires_on:%d %b %Y})" if lot.expires_on else lot.code


def _physical(*, quarantine: bool) -> QuerySet[Location]:
    rows = Location.objects.exclude(kind__in=sorted(VIRTUAL_KINDS)).filter(active=True, quarantine=quarantine)
    return rows.order_by("code")


class ShipmentForm(ModelFieldsForm):
    class Meta:
        model = Shipment
        fields = ("carrier", "tracking_number", "ship_to", "notes")
        widgets = {"ship_to": forms.Textarea(attrs={"rows": 4}), "notes": forms.Textarea(attrs={"rows": 2})}


class ShipmentLineForm(ModelFieldsForm):
    """Where to pick a line from: a location out of quarantine, the item's lot, how much."""

    order_line = forms.ModelChoiceField(queryset=SalesOrderLine.all_tenants.none(), label="Order line")
    location = forms.ModelChoiceField(queryset=Location.all_tenants.none())
    lot = forms.ModelChoiceField(queryset=Lot.all_tenants.none(), required=False, label="Lot / serial")

    class Meta:
        model = ShipmentLine
        fields = ("order_line", "location", "lot", "quantity")

    def __init__(self, *args: Any, shipment: Shipment, line: ShipmentLine | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _physical(quarantine=False)  # type: ignore[attr-defined]
        self.fields["location"].label_from_instance = _location_label  # type: ignore[attr-defined]
        lines = shipment.order.lines.filter(item__isnull=False).select_related("item").order_by("position")
        items = [line.item_id] if line is not None else list(lines.values_list("item_id", flat=True))
        self.fields["lot"].queryset = Lot.objects.filter(item_id__in=items).order_by("expires_on", "code")  # type: ignore[attr-defined]
        self.fields["lot"].label_from_instance = _lot_label  # type: ignore[attr-defined]
        if line is not None:  # an existing line keeps its order line
            del self.fields["order_line"]
        else:
            self.fields["order_line"].queryset = lines  # type: ignore[attr-defined]
            self.fields["order_line"].label_from_instance = lambda ol: (
                f"{ol.position}. {ol.item.sku} · {ol.quantity.normalize():f}"
            )  # type: ignore[attr-defined]


class CustomerReturnForm(ModelFieldsForm):
    customer = forms.ModelChoiceField(queryset=Partner.all_tenants.none(), required=False, help_text="Or the shipment")
    shipment = forms.ModelChoiceField(queryset=Shipment.all_tenants.none(), required=False)

    class Meta:
        model = CustomerReturn
        fields = ("customer", "shipment", "reason")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Partner.objects.filter(is_customer=True).order_by("code")  # type: ignore[attr-defined]
        shipped = Shipment.objects.filter(status=ShipmentStatus.SHIPPED).select_related("order__partner")
        self.fields["shipment"].queryset = shipped.order_by("-shipped_at", "-id")  # type: ignore[attr-defined]
        self.fields["shipment"].label_from_instance = lambda s: f"{s.number} · {s.order.partner.code}"  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        if data.get("customer") is None:
            data.pop("customer", None)
        return data


class CustomerReturnLineForm(ModelFieldsForm):
    """What comes back: a line of the shipment (its item and lot), or an item and its lot; into quarantine."""

    shipment_line = forms.ModelChoiceField(
        queryset=ShipmentLine.all_tenants.none(), required=False, label="Shipped line"
    )
    item = forms.ModelChoiceField(
        queryset=Item.all_tenants.none(),
        required=False,
        widget=Picker(reverse_lazy("catalog:item_picker"), placeholder="SKU or name… (or the shipped line)"),
    )
    lot = forms.ModelChoiceField(queryset=Lot.all_tenants.none(), required=False, label="Lot / serial")
    location = forms.ModelChoiceField(queryset=Location.all_tenants.none(), label="Into (quarantine)")

    class Meta:
        model = CustomerReturnLine
        fields = ("shipment_line", "item", "lot", "quantity", "location")

    def __init__(self, *args: Any, customer_return: CustomerReturn, **kwargs: Any):
        super().__init__(*args, **kwargs)
        shipped = ShipmentLine.objects.filter(
            shipment__status=ShipmentStatus.SHIPPED, shipment__order__partner=customer_return.customer_id
        )
        if customer_return.shipment_id is not None:
            shipped = shipped.filter(shipment=customer_return.shipment_id)
        self.fields["shipment_line"].queryset = shipped.select_related("shipment", "item", "lot").order_by("-id")  # type: ignore[attr-defined]
        self.fields["shipment_line"].label_from_instance = lambda sl: (  # type: ignore[attr-defined]
            f"{sl.shipment.number}: {sl.item.sku} {sl.lot.code if sl.lot else ''} × {sl.quantity.normalize():f}"
        )
        self.fields["item"].queryset = Item.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["lot"].queryset = Lot.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["location"].queryset = _physical(quarantine=True)  # type: ignore[attr-defined]
        self.fields["location"].label_from_instance = _location_label  # type: ignore[attr-defined]
