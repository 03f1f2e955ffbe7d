"""Customers and suppliers: one list for each, one form for both, declared on the shared page layer."""

from __future__ import annotations

from typing import Any, ClassVar

from factoryos.partners import selectors, services
from factoryos.partners.filters import ROLE_FIELDS, of_role
from factoryos.partners.forms import PartnerForm
from factoryos.web.pages import DeletePage, FormPage, ListPage, PickerPage, route
from factoryos.web.tables import Column


@route("customers/", "customer_list", role="customer", menu=("Sell", "Customers", "customer"))
@route("suppliers/", "supplier_list", role="supplier", menu=("Buy", "Suppliers", "truck"))
class PartnerList(ListPage):
    role: ClassVar[str] = ""
    reader = selectors.partners
    columns = [
        Column("code", "Code", ("code",)),
        Column("name", "Name", ("legal_name", "code")),
        Column("roles", "Customer / supplier"),
        Column("terms", "Terms", ("payment_terms_days", "code"), "num"),
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
    form_class, service = PartnerForm, services.partner_create
    success_url, success_message = "partners:partner_edit", "{result.display_name} added."

    def get_initial(self) -> dict[str, Any]:
        role = self.request.GET.get("role", "")
        return {ROLE_FIELDS[role]: True, "active": True} if role in ROLE_FIELDS else {"active": True}


@route("partners/<int:pk>/", "partner_edit")
class PartnerEdit(FormPage):
    reader, form_class, service = selectors.partners, PartnerForm, services.partner_update
    success_url, success_message = "partners:partner_edit", "{result.display_name} saved."


@route("partners/<int:pk>/delete/", "partner_delete")
class PartnerDelete(DeletePage):
    reader, service, redirect_to = selectors.partners, services.partner_delete, "partners:customer_list"


@route("partners/pick/", "partner_picker")
class PartnerPicker(PickerPage):
    """Active partners for a picker (code or name; an exact code first)."""

    reader = selectors.partners

    def get_queryset(self) -> Any:
        return of_role(self.reader.all().filter(active=True), self.request.GET.get("role", ""))
