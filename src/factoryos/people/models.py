"""Employees, their skills and shift assignments. Privacy policy: employee records are for administrators only
(``people.view`` / ``people.edit``, see access.py), and every personal field of an employee is encrypted at rest:
names, job title, department, start date, labour rate (pay), emergency contact and home address. Only the employee
number, the site, the status and the links (user, work centers) are plain: the database orders and joins on them.
Searching and sorting by the encrypted fields happens after decrypting (kernel/sealed.py, decision 0009)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from factoryos.facilities.models import Shift, Site, WorkCenter
from factoryos.kernel.fields import EncryptedCharField, EncryptedDateField, EncryptedDecimalField, EncryptedTextField
from factoryos.kernel.tenancy import TenantModel


class Employee(TenantModel):
    audit_private = True  # admins only: diffs show which fields changed, never their values
    audit_permission = "people.view"  # its events, titles and searches: shown to those who may see the records

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="user account",
        help_text="The member's login, if the employee has one.",
    )
    employee_number = models.CharField(max_length=20)
    first_name = EncryptedCharField(max_length=80)
    last_name = EncryptedCharField(max_length=80)
    job_title = EncryptedCharField(max_length=120, blank=True)
    department = EncryptedCharField(max_length=80, blank=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="employees")
    employment_start = EncryptedDateField()
    # Pay: not negative (the validator, checked by the form, the API body, full_clean and again when sealing: a
    # database CHECK cannot read ciphertext).
    labour_rate = EncryptedDecimalField(
        "labour rate / hour",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    active = models.BooleanField(default=True)
    emergency_contact_name = EncryptedTextField(blank=True, max_length=120, help_text="Stored encrypted.")
    emergency_contact_phone = EncryptedTextField(blank=True, max_length=40, help_text="Stored encrypted.")
    home_address = EncryptedTextField(blank=True, max_length=500, help_text="Stored encrypted.")
    work_centers = models.ManyToManyField(
        WorkCenter, blank=True, related_name="qualified_employees", verbose_name="qualified work centers"
    )

    class Meta:
        ordering = ["employee_number"]  # names are ciphertext to the database: pages sort them in Python
        constraints = [
            models.UniqueConstraint(fields=["org", "employee_number"], name="employee_org_number"),
            models.UniqueConstraint(
                fields=["org", "user"], condition=models.Q(user__isnull=False), name="employee_org_user"
            ),
        ]

    def __str__(self) -> str:
        # Only the number: this is what the audit trail shows as the object (its readers need not be admins).
        return f"Employee {self.employee_number}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Skill(TenantModel):
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="skill_org_name")]

    def __str__(self) -> str:
        return self.name


class EmployeeSkill(TenantModel):
    """How well an employee masters a skill: 1 (in training) to 5 (can teach it)."""

    audit_private = True
    audit_permission = "people.view"  # its events, titles and searches: shown to those who may see the records

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="employee_levels")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "employee", "skill"], name="employeeskill_org_employee_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5),
                name="employeeskill_level_range",
                violation_error_message="The level must be between 1 and 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Skill level {self.level}"


class ShiftAssignment(TenantModel):
    """An employee works a shift from ``valid_from`` until ``valid_to`` (inclusive; open-ended when empty)."""

    audit_private = True
    audit_permission = "people.view"  # its events, titles and searches: shown to those who may see the records

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="shift_assignments")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="shiftassignment_valid_to_after_from",
                violation_error_message="The end date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"Shift assignment from {self.valid_from}"

    def clean(self) -> None:
        if self.valid_to is not None and self.valid_from is not None and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "The end date cannot be before the start date."})
