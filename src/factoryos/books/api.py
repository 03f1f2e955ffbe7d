"""Book: the API."""

from ninja import Router

router = Router(tags=["books"])
