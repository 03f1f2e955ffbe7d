"""People pages: the employee list, an employee's record, the create/edit form. Administrators only: without the
permission every page answers 404, as if it did not exist (see kernel.access.hidden_without_permission)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from factoryos.people import selectors, services
from factoryos.people.forms import EmployeeForm, ShiftAssignmentForm
from factoryos.people.models import Employee
from factoryos.web.pages import ActionPage, DetailPage, FormPage, ListPage, Page, route, submit
from factoryos.web.tables import Column


class PeoplePage(Page):
    hidden_from_others: ClassVar[bool] = True


@route("people/", "employee_list", menu=("Control", "People", "users"))
class EmployeeList(ListPage, PeoplePage):
    reader = selectors.employees
    columns = [
        Column("number", "Number", ("employee_number",)),
        Column("name", "Name", ("last_name", "first_name", "pk")),
        Column("job_title", "Job title", ("job_title", "last_name")),
        Column("department", "Department", ("department", "last_name")),
        Column("site", "Site", ("site__code", "last_name")),
        Column("started", "Started", ("employment_start", "last_name")),
        Column("active", "Status", ("-active", "last_name")),
    ]
    default_sort = "name"
    filter_fields = ("q", "department", "site", "active")


@route("people/<int:pk>/", "employee_detail")
class EmployeeDetail(DetailPage, PeoplePage):
    reader = selectors.employees

    def get_context(self, employee: Employee) -> dict[str, Any]:
        return {
            "skill_levels": employee.skill_levels.select_related("skill"),
            "work_centers": employee.work_centers.select_related("site"),
            "shift_assignments": employee.shift_assignments.select_related("shift__calendar__site"),
            "shift_form": ShiftAssignmentForm(),
        }


@route("people/new/", "employee_create")
class EmployeeCreate(FormPage, PeoplePage):
    form_class, service = EmployeeForm, services.employee_create
    success_url, success_message = "people:employee_detail", "{result.full_name} added."

    def get_initial(self) -> dict[str, Any]:
        return {"active": True, "labour_rate": 0}


@route("people/<int:pk>/edit/", "employee_edit")
class EmployeeEdit(FormPage, PeoplePage):
    """GET shows the record's every field, its decrypted contact details included: a VIEW of the record."""

    permission = "people.edit"
    reader = selectors.employees
    form_class, service = EmployeeForm, services.employee_update
    success_url, success_message = "people:employee_detail", "{result.full_name} saved."

    def get_initial(self) -> dict[str, Any]:
        return EmployeeForm.initial_for(self.object)


@route("people/<int:pk>/delete/", "employee_delete")
class EmployeeDelete(ActionPage, PeoplePage):
    reader, service = selectors.employees, services.employee_delete
    success_message, redirect_to = "{object.full_name} deleted.", "people:employee_list"

    def refused(self, obj: Any) -> HttpResponse:
        return redirect("people:employee_detail", pk=obj.pk)


@route("people/<int:pk>/shifts/", "shift_assign")
class ShiftAssign(PeoplePage):
    """Put the employee on a shift from a date; a refusal is a message on the record's page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        employee = selectors.employees.fetch(pk)
        form = ShiftAssignmentForm(request.POST)
        _assignment, failure = submit(
            form, lambda: services.shift_assignment_create(actor=self.actor, employee=employee, **form.cleaned_data)
        )
        if failure is None:
            when = f"{form.cleaned_data['valid_from']:%d %b %Y}"
            messages.success(request, f"{employee.full_name} is on {form.cleaned_data['shift']} from {when}.")
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else "Shift"
                messages.error(request, f"{label}: {errors[0]}")
        return redirect("people:employee_detail", pk=employee.pk)


@route("people/shift-assignments/<int:pk>/delete/", "shift_unassign")
class ShiftUnassign(ActionPage, PeoplePage):
    reader = selectors.shift_assignments
    service = services.shift_assignment_delete
    success_message = "Shift assignment removed."

    def target(self, obj: Any, result: Any) -> HttpResponse:
        return redirect("people:employee_detail", pk=obj.employee_id)
