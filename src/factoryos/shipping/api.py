"""Ship: the API."""

from ninja import Router

router = Router(tags=["shipping"])
