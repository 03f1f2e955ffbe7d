"""Finance foundations: the API."""

from ninja import Router

router = Router(tags=["finance"])
