"""Finance foundations: money arithmetic, tax codes, exchange rates, gapless numbering, priced documents."""

from __future__ import annotations
