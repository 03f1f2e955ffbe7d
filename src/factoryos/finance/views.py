"""Finance foundations pages, declared on the shared page layer (web/pages.py)."""

from __future__ import annotations
