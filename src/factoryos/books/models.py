"""Book: customer invoices, credit notes, supplier bills, payments, reports and the journal export."""

from __future__ import annotations
