"""Buy: the API."""

from ninja import Router

router = Router(tags=["purchasing"])
