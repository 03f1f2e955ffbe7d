"""The sales pages and the example bodies of their API writes."""

WEB: dict = {}

API_PAYLOADS: dict = {}
