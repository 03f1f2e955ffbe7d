"""Buy: requisitions, requests for quotation, purchase orders, receipts, returns to suppliers."""

from __future__ import annotations
