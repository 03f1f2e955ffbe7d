"""Documents: PDFs rendered from templates with the organization's letterhead, stored encrypted with their record."""

from __future__ import annotations
