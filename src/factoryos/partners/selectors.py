"""Reads of partners (a Reader: see kernel/reads.py)."""

from __future__ import annotations

from factoryos.kernel.reads import Reader
from factoryos.partners.filters import PartnerFilterSet
from factoryos.partners.models import Partner

partners = Reader(Partner, filterset=PartnerFilterSet)
