"""Sell: quotes and sales orders with reservations and a credit check."""

from __future__ import annotations
