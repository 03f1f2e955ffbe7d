"""Customers and suppliers: one list for each, one page for both with what hangs off a partner (addresses,
contacts, tax identifiers, what a supplier sells us), and the price lists; declared on the shared page layer."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.kernel.reads import Reader
from factoryos.partners import forms as f
from factoryos.partners import selectors, services
from factoryos.partners.filters import ROLE_FIELDS, of_role
from factoryos.web.pages import DeletePage, FormPage, ListPage, PickerPage, route
from factoryos.web.panels import Panel
from factoryos.web.tables import Column


# -- partners -------------------------------------------------------------------------------------------------------
@route("customers/", "customer_list", role="customer", menu=("Sell", "Customers", "customer"))
@route("suppliers/", "supplier_list", role="supplier", menu=("Buy", "Suppliers", "truck"))
class PartnerList(ListPage):
    role: ClassVar[str] = ""
    reader = selectors.partners
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("legal_name", "code")),
        Column("roles", "Customer / supplier"),
        Column("terms", "Terms", ("terms_kind", "payment_terms_days", "code"), "num"),
        Column("credit", "Credit limit", ("credit_limit", "code"), "num"),
        Column("active", "Status", ("-active", "code")),
    ]
    default_sort = "code"
    filter_fields = ("q", "active")

    def get_queryset(self) -> Any:
        return of_role(self.reader.all(), self.role)

    def get_context(self, listing: Any) -> dict[str, Any]:
        return {"role": self.role}


@route("partners/new/", "partner_create")
class PartnerCreate(FormPage):
    form_class, service = f.PartnerForm, services.partner_create
    success_url, success_message = "partners:partner_edit", "{result.display_name} added."

    def get_initial(self) -> dict[str, Any]:
        role = self.request.GET.get("role", "")
        return {ROLE_FIELDS[role]: True, "active": True} if role in ROLE_FIELDS else {"active": True}


@route("partners/<int:pk>/", "partner_edit")
class PartnerEdit(FormPage):
    """The partner's form, and beside it what hangs off it (part of the page's one VIEW of the partner)."""

    reader, form_class, service = selectors.partners, f.PartnerForm, services.partner_update
    success_url, success_message = "partners:partner_edit", "{result.display_name} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        partner = self.object
        supplied = partner.supplier_items.select_related("item").prefetch_related("breaks")
        return {
            "addresses": list(partner.addresses.all()),
            "contacts": list(partner.contacts.all()),
            "tax_ids": list(partner.tax_ids.all()),
            "supplier_items": list(supplied) if partner.is_supplier else [],
        }


@route("partners/<int:pk>/delete/", "partner_delete")
class PartnerDelete(DeletePage):
    reader, service, redirect_to = selectors.partners, services.partner_delete, "partners:customer_list"


@route("partners/pick/", "partner_picker")
class PartnerPicker(PickerPage):
    """Active partners for a picker (code or name; an exact code first)."""

    reader = selectors.partners

    def get_queryset(self) -> Any:
        return of_role(self.reader.all().filter(active=True), self.request.GET.get("role", ""))


# -- the rows under a record (a partner's addresses, a supplier item's breaks, a price list's lines) ------------
class PartCreate(FormPage):
    """A new row under the record the URL names (``parent_reader``), passed to the service as ``parent_field``;
    then back to the record's page (``parent_page``)."""

    noun, template = "record", "partners/part_form.html"
    parent_reader: ClassVar[Reader[Any]] = selectors.partners
    parent_field: ClassVar[str] = "partner"
    parent_page: ClassVar[str] = "partners:partner_edit"
    title: ClassVar[str] = ""
    parent: Any = None

    def load(self, pk: int | None, *, record: bool) -> None:
        self.parent = self.parent_reader.fetch(pk)

    def call(self, form: Any) -> Any:
        fields = form.service_fields()
        return self.service(actor=self.actor, **{self.parent_field: self.parent}, **fields)  # type: ignore[attr-defined]

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"parent": self.parent, "parent_page": self.parent_page, "title": self.title}

    def succeeded(self, result: Any) -> HttpResponse:
        messages.success(self.request, f"{self.title.removeprefix('New ').capitalize()} added to {self.parent}.")
        return redirect(self.parent_page, self.parent.pk)


class PartEdit(FormPage):
    """One row under a record: its form; saved, back to the record's page."""

    noun, template = "record", "partners/part_form.html"
    parent_attr: ClassVar[str] = "partner"
    parent_page: ClassVar[str] = "partners:partner_edit"
    title: ClassVar[str] = ""

    def get_context(self, form: Any) -> dict[str, Any]:
        return {"parent": getattr(self.object, self.parent_attr), "parent_page": self.parent_page, "title": self.title}

    def succeeded(self, result: Any) -> HttpResponse:
        messages.success(self.request, f"{self.title.capitalize()} saved.")
        return redirect(self.parent_page, getattr(result, f"{self.parent_attr}_id"))


class PartDelete(DeletePage):
    parent_attr: ClassVar[str] = "partner"
    parent_page: ClassVar[str] = "partners:partner_edit"

    def target(self, obj: Any, result: Any) -> HttpResponse:
        return redirect(self.parent_page, getattr(obj, f"{self.parent_attr}_id"))


@route("partners/<int:pk>/addresses/new/", "address_create")
class AddressCreate(PartCreate):
    form_class, service, title = f.PartnerAddressForm, services.partner_address_create, "New address"

    def get_initial(self) -> dict[str, Any]:
        return {"country": self.actor.org.country, "kind": self.request.GET.get("kind", "billing")}


@route("addresses/<int:pk>/", "address_edit")
class AddressEdit(PartEdit):
    reader, form_class, service = selectors.addresses, f.PartnerAddressForm, services.partner_address_update
    title = "address"


@route("addresses/<int:pk>/delete/", "address_delete")
class AddressDelete(PartDelete):
    reader, service = selectors.addresses, services.partner_address_delete


@route("partners/<int:pk>/contacts/new/", "contact_create")
class ContactCreate(PartCreate):
    form_class, service, title = f.ContactForm, services.contact_create, "New contact"


@route("contacts/<int:pk>/", "contact_edit")
class ContactEdit(PartEdit):
    reader, form_class, service, title = selectors.contacts, f.ContactForm, services.contact_update, "contact"


@route("contacts/<int:pk>/delete/", "contact_delete")
class ContactDelete(PartDelete):
    reader, service = selectors.contacts, services.contact_delete


@route("partners/<int:pk>/tax-ids/new/", "tax_id_create")
class TaxIdCreate(PartCreate):
    form_class, service, title = f.PartnerTaxIdForm, services.partner_tax_id_create, "New tax identifier"

    def get_initial(self) -> dict[str, Any]:
        return {"country": self.actor.org.country}


@route("tax-ids/<int:pk>/", "tax_id_edit")
class TaxIdEdit(PartEdit):
    reader, form_class, service = selectors.tax_ids, f.PartnerTaxIdForm, services.partner_tax_id_update
    title = "tax identifier"


@route("tax-ids/<int:pk>/delete/", "tax_id_delete")
class TaxIdDelete(PartDelete):
    reader, service = selectors.tax_ids, services.partner_tax_id_delete


# -- what suppliers sell us ------------------------------------------------------------------------------------------
@route("partners/<int:pk>/supplier-items/new/", "supplier_item_create")
class SupplierItemCreate(PartCreate):
    form_class, service, title = f.SupplierItemForm, services.supplier_item_create, "New supplier item"
    parent_field = "supplier"

    def succeeded(self, result: Any) -> HttpResponse:
        messages.success(self.request, f"{result.item.sku} added: give it its prices.")
        return redirect("partners:supplier_item_edit", result.pk)


@route("supplier-items/<int:pk>/", "supplier_item_edit")
class SupplierItemEdit(PartEdit):
    """A supplier item's terms, and its price breaks (each removable; one more added by the form under them)."""

    reader, form_class = selectors.supplier_items, f.SupplierItemEditForm
    service, title, parent_attr = services.supplier_item_update, "supplier item", "supplier"
    template = "partners/supplier_item_form.html"

    def get_context(self, form: Any) -> dict[str, Any]:
        return {**super().get_context(form), "break_form": f.PriceBreakForm()}


@route("supplier-items/<int:pk>/delete/", "supplier_item_delete")
class SupplierItemDelete(PartDelete):
    reader, service, parent_attr = selectors.supplier_items, services.supplier_item_delete, "supplier"


@route("supplier-items/<int:pk>/breaks/new/", "price_break_create")
class PriceBreakCreate(PartCreate):
    form_class, service, title = f.PriceBreakForm, services.supplier_price_break_create, "New price break"
    parent_reader, parent_field = selectors.supplier_items, "supplier_item"
    parent_page = "partners:supplier_item_edit"


@route("price-breaks/<int:pk>/delete/", "price_break_delete")
class PriceBreakDelete(PartDelete):
    reader, service = selectors.price_breaks, services.supplier_price_break_delete
    parent_attr, parent_page = "supplier_item", "partners:supplier_item_edit"


# -- price lists ---------------------------------------------------------------------------------------------------
@route("price-lists/", "price_list_list", menu=("Sell", "Price lists", "clipboard"))
class PriceListList(ListPage):
    noun = "price_list"
    reader = selectors.price_lists
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("name", "code")),
        Column("currency", "Currency", ("currency", "code")),
        Column("lines", "Lines", ("line_count", "code"), "num"),
        Column("active", "Status", ("-active", "code")),
    ]
    default_sort = "code"

    def get_queryset(self) -> Any:
        return self.reader.all().annotate(line_count=Count("lines"))


@route("price-lists/new/", "price_list_create")
class PriceListCreate(FormPage):
    noun, form_class, service = "price_list", f.PriceListForm, services.price_list_create
    success_url, success_message = "partners:price_list_edit", "Price list {result.code} created: add its prices."


@route("price-lists/<int:pk>/", "price_list_edit")
class PriceListEdit(FormPage):
    """The list's header, its lines (breaks by item) and the form that adds one (part of the list's VIEW)."""

    noun, reader, form_class = "price_list", selectors.price_lists, f.PriceListForm
    service = services.price_list_update
    success_url, success_message = "partners:price_list_edit", "Price list {result.code} saved."

    def get_context(self, form: Any) -> dict[str, Any]:
        price_list = self.object
        return {
            "lines": list(price_list.lines.select_related("item")),
            "customers": list(price_list.partners.all()),
            "line_form": f.PriceListLineForm(),
        }


@route("price-lists/<int:pk>/delete/", "price_list_delete")
class PriceListDelete(DeletePage):
    reader, service, redirect_to = selectors.price_lists, services.price_list_delete, "partners:price_list_list"


@route("price-lists/<int:pk>/lines/new/", "price_list_line_create")
class PriceListLineCreate(PartCreate):
    form_class, service, title = f.PriceListLineForm, services.price_list_line_create, "New price"
    parent_reader, parent_field, parent_page = selectors.price_lists, "price_list", "partners:price_list_edit"


@route("price-list-lines/<int:pk>/", "price_list_line_edit")
class PriceListLineEdit(PartEdit):
    reader, form_class = selectors.price_list_lines, f.PriceListLineEditForm
    service, title = services.price_list_line_update, "price"
    parent_attr, parent_page = "price_list", "partners:price_list_edit"


@route("price-list-lines/<int:pk>/delete/", "price_list_line_delete")
class PriceListLineDelete(PartDelete):
    reader, service = selectors.price_list_lines, services.price_list_line_delete
    parent_attr, parent_page = "price_list", "partners:price_list_edit"


# -- on the catalog's item page -----------------------------------------------------------------------------------
def _item_suppliers(request: HttpRequest, item: Any) -> dict[str, Any]:
    """Who sells the item and at what prices; the price lists that price it (part of the item page's VIEW)."""
    supplied = selectors.supplier_items.all().filter(item=item).order_by("-preferred", "supplier__code")
    lines = selectors.price_list_lines.all().filter(item=item).select_related("price_list")
    return {"supplier_items": list(supplied), "price_lines": list(lines.order_by("price_list__code", "min_quantity"))}


ITEM_SUPPLIERS_PANEL = Panel(
    slot="catalog.item",
    anchor="suppliers",
    label="Suppliers and prices",
    template="partners/panels/item_suppliers.html",
    context=_item_suppliers,
    permission="partners.view",
)
