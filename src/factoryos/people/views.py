"""People pages: the employee list, an employee's record, the create/edit form. Administrators only: without the
permission every page answers 404, as if it did not exist (see access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factoryos.kernel import events
from factoryos.kernel.errors import DomainError
from factoryos.kernel.events import Action
from factoryos.people import services
from factoryos.people.access import people_view
from factoryos.people.forms import EmployeeFilterForm, EmployeeForm, ShiftAssignmentForm
from factoryos.people.models import Employee, ShiftAssignment
from factoryos.web.decorators import render_page
from factoryos.web.views import apply_errors

PAGE_SIZE = 50


@require_GET
@people_view("people.view")
def employee_list(request):
    form = EmployeeFilterForm(request.GET or None)
    criteria = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)} if form.is_valid() else {}
    employees = Employee.objects.select_related("site")
    if query := criteria.get("q", "").strip():
        employees = employees.filter(
            Q(employee_number__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(job_title__icontains=query)
        )
    if "department" in criteria:
        employees = employees.filter(department=criteria["department"])
    if "site" in criteria:
        employees = employees.filter(site_id=criteria["site"])
    if "active" in criteria:
        employees = employees.filter(active=criteria["active"] == "1")
    sort = criteria.get("sort", "last_name")
    employees = employees.order_by(sort, "last_name", "first_name", "pk")
    page = Paginator(employees, PAGE_SIZE).get_page(request.GET.get("page"))
    events.record_list(object_type=Employee._meta.label_lower, criteria=criteria, count=page.paginator.count)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {"form": form, "page": page, "query": query_string.urlencode()}
    return render_page(request, "people/employee_list.html", context, partial="people/partials/employee_table.html")


@require_GET
@people_view("people.view")
def employee_detail(request, pk: int):
    employee = get_object_or_404(Employee.objects.select_related("site", "user"), pk=pk)
    events.record(action=Action.VIEW, obj=employee)  # every read of an employee record is on the trail
    context = {
        "employee": employee,
        "skill_levels": employee.skill_levels.select_related("skill"),
        "work_centers": employee.work_centers.select_related("site"),
        "shift_assignments": employee.shift_assignments.select_related("shift__calendar__site"),
        "shift_form": ShiftAssignmentForm(),
    }
    return render_page(request, "people/employee_detail.html", context)


@require_POST
@people_view("people.edit")
def shift_assign(request, pk: int):
    employee = get_object_or_404(Employee.objects, pk=pk)
    form = ShiftAssignmentForm(request.POST)
    if form.is_valid():
        try:
            services.shift_assignment_create(actor=request.membership, employee=employee, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
    if form.errors:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else 'Shift'}: {errors[0]}")
    else:
        messages.success(
            request,
            f"{employee.full_name} is on {form.cleaned_data['shift']} from {form.cleaned_data['valid_from']:%d %b %Y}.",
        )
    return redirect("people:employee_detail", pk=employee.pk)


@require_POST
@people_view("people.edit")
def shift_unassign(request, pk: int):
    assignment = get_object_or_404(ShiftAssignment.objects.select_related("employee"), pk=pk)
    services.shift_assignment_delete(actor=request.membership, obj=assignment)
    messages.success(request, "Shift assignment removed.")
    return redirect("people:employee_detail", pk=assignment.employee_id)


@require_http_methods(["GET", "POST"])
@people_view("people.edit")
def employee_create(request):
    form = EmployeeForm(request.POST or None, initial={"active": True, "labour_rate": 0})
    if request.method == "POST" and form.is_valid():
        try:
            employee = services.employee_create(actor=request.membership, **form.service_fields())
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{employee.full_name} added.")
            return redirect("people:employee_detail", pk=employee.pk)
    return render_page(
        request, "people/employee_form.html", {"form": form, "employee": None}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@people_view("people.edit")
def employee_edit(request, pk: int):
    employee = get_object_or_404(Employee.objects, pk=pk)
    form = EmployeeForm(request.POST or None, initial=EmployeeForm.initial_for(employee))
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_update(actor=request.membership, obj=employee, **form.service_fields())
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{employee.full_name} saved.")
            return redirect("people:employee_detail", pk=employee.pk)
    return render_page(
        request, "people/employee_form.html", {"form": form, "employee": employee}, status=400 if form.errors else 200
    )


@require_POST
@people_view("people.edit")
def employee_delete(request, pk: int):
    employee = get_object_or_404(Employee.objects, pk=pk)
    try:
        services.employee_delete(actor=request.membership, obj=employee)
    except (ValidationError, DomainError) as exc:
        messages.error(request, " ".join(exc.messages if isinstance(exc, ValidationError) else [exc.message]))
        return redirect("people:employee_detail", pk=employee.pk)
    messages.success(request, f"{employee.full_name} deleted.")
    return redirect("people:employee_list")
