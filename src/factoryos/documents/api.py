"""Documents: the API."""

from ninja import Router

router = Router(tags=["documents"])
