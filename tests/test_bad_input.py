"""Bad input never 500s: every number a form or an API write takes, at its edges and far beyond, and bodies larger
than the limit.

The sweeps find their targets themselves, so a route added later is probed without being named here:

- every API write (tests/isolation/routes.py's registry, with its example body): each integer or decimal field of
  its body (an id, a list of ids too) gets its largest value, one more, one less than its smallest, and a 30-digit
  number;
- every web page of the organization (the same registry, with the world's objects): each form it renders (POST and
  GET filters) gets the same values in each number input and each choice of ids, and the page number and the
  path's id get a 30-digit number.

A value out of range is a 4xx naming the field (the API's error body, the form's errors; a page may instead redirect
back with the refusal flashed) and writes nothing (no audit event: every write records one); a value in range may
be accepted or refused, never a 500. Bodies over the limit are a 413, files keep their own limits, and a value the
database cannot store (a sum past its column) is a 400.
"""

from __future__ import annotations

import io
import json
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import annotated_types
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.urls import NoReverseMatch, reverse
from PIL import Image

from factoryos.audit.models import AuditEvent
from factoryos.kernel.filters import query_schema
from factoryos.kernel.resources import RESOURCES
from factoryos.kernel.tenancy import org_scope
from factoryos.web.pages import submit
from tests.factories import HTMX, key_client, login_client, make_key, rolled_back
from tests.isolation.routes import API, api_operations, api_url, classify_web, payload_for, web_routes

HUGE = 10**30 - 1  # a 30-digit number
BIGINT = 2**63  # one past the largest id any database holds
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Probe:
    value: Any
    out_of_range: bool  # the model refuses it: a 4xx naming the field, nothing written


def _events(org) -> int:
    with org_scope(org):
        return AuditEvent.objects.count()


# -- the API -----------------------------------------------------------------------------------------------------
@dataclass
class Number:
    kind: type  # int or Decimal
    listed: bool = False  # a list of them (an item's tags)
    low: Any = None
    high: Any = None
    max_digits: int | None = None
    decimal_places: int | None = None


def _number(annotation: Any, metadata: list[Any]) -> Number | None:
    """The number a field's annotation takes (None: not a number), with its bounds."""
    constraints = list(metadata)
    listed = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            constraints += more
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return None
            annotation = args[0]
        elif origin is list:
            annotation, listed = typing.get_args(annotation)[0], True
        else:
            break
    if annotation is bool or annotation not in (int, Decimal):
        return None
    number = Number(annotation, listed)
    for c in constraints:
        for item in getattr(c, "metadata", [c]):  # a FieldInfo inside Annotated carries its own
            if isinstance(item, annotated_types.Ge):
                number.low = item.ge
            elif isinstance(item, annotated_types.Gt):
                number.low = item.gt + (1 if annotation is int else 0)
            elif isinstance(item, annotated_types.Le):
                number.high = item.le
            elif isinstance(item, annotated_types.Lt):
                number.high = item.lt - (1 if annotation is int else 0)
            elif type(item).__name__ == "_PydanticGeneralMetadata":
                number.max_digits = getattr(item, "max_digits", None) or number.max_digits
                number.decimal_places = getattr(item, "decimal_places", None) or number.decimal_places
    return number


def _largest(number: Number) -> Any:
    if number.kind is Decimal and number.max_digits is not None:
        places = number.decimal_places or 0
        whole = number.max_digits - places
        largest = Decimal("9" * whole + ("." + "9" * places if places else "")) if whole else Decimal("0.9")
        return min(largest, Decimal(number.high)) if number.high is not None else largest
    return number.high


def number_probes(number: Number) -> list[Probe]:
    found = []
    unit = 1 if number.kind is int else Decimal(1).scaleb(-(number.decimal_places or 0))
    largest = _largest(number)
    if largest is not None:
        found += [Probe(largest, False), Probe(largest + unit, True)]
    if number.low is not None:
        found += [Probe(number.low - unit, True)]
    found += [Probe(HUGE, True), Probe(-HUGE, True)]
    return found


def body_schema(method: str, path: str):
    from factoryos.api import api

    for _prefix, router in api._routers:
        for route_path, path_view in router.path_operations.items():
            if route_path.lstrip("/") != path:
                continue
            for operation in path_view.operations:
                if method in operation.methods:
                    for model in operation.models:
                        if getattr(model, "__ninja_param_source__", None) == "body":
                            return next(iter(model.model_fields.values())).annotation
    return None


def api_writes() -> list[tuple[str, str]]:
    return [(m, p) for m, p, _ in api_operations() if m != "GET"]


def _json(value: Any, number: Number) -> Any:
    value = str(value) if isinstance(value, Decimal) else value
    return [value] if number.listed else value


@pytest.mark.django_db
def test_every_api_write_refuses_numbers_out_of_range_with_a_field_error(world):
    _key, token = make_key(world.owner)
    client = key_client(token)
    failures, probed = [], 0
    for method, path in api_writes():
        schema = body_schema(method, path)
        if schema is None:
            continue
        spec = API[path]
        if spec.kind == "OBJECT" and spec.model not in world.objects:
            continue  # no such object in the world (the isolation sweep insists on one)
        example = payload_for(method, path, world.objects) or {}
        url = api_url(path, world.objects)
        for name, info in schema.model_fields.items():
            number = _number(info.annotation, info.metadata)
            if number is None:
                continue
            for probe in number_probes(number):
                probed += 1
                body = {**example, name: _json(probe.value, number)}
                with rolled_back():
                    before = _events(world.org)
                    try:
                        response = client.generic(method, url, json.dumps(body), content_type="application/json")
                    except Exception as exc:  # noqa: BLE001 - every failure is listed below
                        failures.append(f"{method} {path} {name}={probe.value}: {type(exc).__name__}: {exc}")
                        continue
                    status, written = response.status_code, _events(world.org) - before
                    if status >= 500:
                        failures.append(f"{method} {path} {name}={probe.value}: {status}")
                    elif probe.out_of_range:
                        fields = {e["field"].split(".")[0] for e in response.json().get("errors", [])}
                        if not 400 <= status < 500 or name not in fields or written:
                            failures.append(
                                f"{method} {path} {name}={probe.value}: {status} fields {fields}, {written} events"
                            )
    assert not failures, "\n".join(failures)
    assert probed > 200


# -- the web -----------------------------------------------------------------------------------------------------
@dataclass
class Form:
    method: str
    action: str
    htmx: bool = False
    fields: list[dict[str, Any]] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page, each with its controls (name, kind, value, options, min, max)."""

    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.form, self.select, self.textarea = url, [], None, None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").upper(), a.get("action") or self.url, "hx-post" in a)
            self.forms.append(self.form)
        elif self.form is None or "form" in a:  # a control of no form, or of another one (the picker's search)
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file"):
            self.form.fields.append({**a, "kind": a.get("type", "text"), "options": []})
        elif tag == "select" and a.get("name"):
            self.select = {**a, "kind": "select", "options": [], "value": None}
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(a.get("value", ""))
            if "selected" in a or self.select["value"] is None:
                self.select["value"] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea = {**a, "kind": "textarea", "value": "", "options": []}
            self.form.fields.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_forms(url: str, html: str) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    return parser.forms


def form_data(form: Form) -> list[tuple[str, str]]:
    """What a browser would send for ``form`` untouched."""
    data = []
    for f in form.fields:
        if f["kind"] in ("checkbox", "radio") and "checked" not in f:
            continue
        if f["kind"] == "checkbox" and not f.get("value"):
            data.append((f["name"], "on"))
        else:
            data.append((f["name"], f.get("value") or ""))
    return data


def _takes_ids(control: dict[str, Any]) -> bool:
    """A picker's hidden id, or a choice (select, checkboxes, radios) whose every value is an id."""
    if control["kind"] == "hidden":
        return "picker-value" in control.get("class", "")
    values = [v for v in control["options"] or [control.get("value", "")] if v]
    return control["kind"] in ("select", "checkbox", "radio") and bool(values) and all(_digits(v) for v in values)


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def web_targets(form: Form) -> dict[str, list[Probe]]:
    """The controls of ``form`` that take a number (with the values to try), by name."""
    targets: dict[str, list[Probe]] = {}
    for f in form.fields:
        name = f["name"]
        if f["kind"] == "number":
            unit = Decimal(f["step"]) if f.get("step") not in (None, "", "any") else Decimal(1)
            probes = [Probe(HUGE, True), Probe(-HUGE, True)]
            if f.get("max"):
                probes += [Probe(Decimal(f["max"]), False), Probe(Decimal(f["max"]) + unit, True)]
            if f.get("min"):
                probes += [Probe(Decimal(f["min"]) - unit, True)]
            targets[name] = probes
        elif _takes_ids(f):
            targets[name] = [Probe(BIGINT, True), Probe(HUGE, True)]
    return targets


def _with(data: list[tuple[str, str]], name: str, value: Any) -> list[tuple[str, str]]:
    return [(k, v) for k, v in data if k != name] + [(name, str(value))]


def _names_field(response, name: str) -> bool:
    """Whether the answer puts an error on the control ``name``: a form of its context has one, or the control is
    rendered invalid (a partial's form, e.g. a count line's)."""
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, forms.BaseForm) and name in {value.add_prefix(n) for n in value.errors}:
                return True
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", response.content.decode()):
        if f'name="{name}"' in tag and 'aria-invalid="true"' in tag:
            return True
    return False


def web_pages(objects: dict) -> list[tuple[str, str]]:
    """(name, URL) of every page that shows the organization's data or the person's own."""
    pages = []
    for _route, name, callback in web_routes():
        spec = classify_web(name, callback)
        if spec is None or spec.kind == "PUBLIC" or not name or name.startswith("account_"):
            continue
        if spec.kind == "OBJECT" and spec.model not in objects:
            continue  # no such object in the world (the isolation sweep insists on one)
        args = [objects[spec.model].pk] if spec.kind == "OBJECT" else []
        try:
            pages.append((name, reverse(name, args=args)))
        except NoReverseMatch:  # an address of another kind (an invitation's token)
            continue
    return pages


@pytest.mark.django_db
def test_every_web_form_refuses_numbers_out_of_range_on_the_field(world):
    client = login_client(world.owner.user, world.org)
    failures, probed, seen = [], 0, set()
    for name, url in web_pages(world.objects):
        with rolled_back():
            page = client.get(url)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            continue
        for form in page_forms(url, page.content.decode()):
            targets = web_targets(form)
            key = (form.method, form.action, tuple(sorted(targets)))
            if not targets or key in seen:
                continue
            seen.add(key)
            data = form_data(form)
            for control, probes in targets.items():
                for probe in probes:
                    probed += 1
                    sent = _with(data, control, probe.value)
                    where = f"{name} {form.method} {form.action} {control}={probe.value}"
                    with rolled_back():
                        before = _events(world.org)
                        try:
                            if form.method == "GET":
                                response = client.get(form.action + "?" + urlencode(sent))
                            else:  # as the browser sends it: through htmx where the form says so
                                headers = HTMX if form.htmx else {}
                                response = client.post(form.action, urlencode(sent), content_type=FORM_TYPE, **headers)
                        except Exception as exc:  # noqa: BLE001 - every failure is listed below
                            failures.append(f"{where}: {type(exc).__name__}: {exc}")
                            continue
                        status, written = response.status_code, _events(world.org) - before
                        if status >= 500:
                            failures.append(f"{where}: {status}")
                        elif probe.out_of_range and form.method == "POST":  # refused: on the field, or flashed
                            named = status >= 400 and _names_field(response, control)
                            if written or (status >= 400 and not named) or status < 300:
                                failures.append(f"{where}: {status}, {written} events, field named: {named}")
    assert not failures, "\n".join(failures)
    print(f"\nweb number sweep: {probed} values in {len(seen)} forms")
    assert probed > 100


@pytest.mark.django_db
def test_huge_ids_and_page_numbers_in_addresses_are_not_found_or_refused(world):
    client = login_client(world.owner.user, world.org)
    failures = []
    for route, name, callback in web_routes():
        spec = classify_web(name, callback)
        if spec is None:
            continue
        if spec.kind == "OBJECT" and re.search(r"<int:\w+>", route):
            for huge in (BIGINT, HUGE):
                for method in ("get", "post"):
                    response = getattr(client, method)(reverse(name, args=[huge]))
                    if response.status_code not in (404, 405):
                        failures.append(f"{method} {name} {huge}: {response.status_code}")
        elif spec.kind == "ORG":
            url = reverse(name)
            response = client.get(f"{url}?page={HUGE}")
            if response.status_code >= 500:
                failures.append(f"{name}?page: {response.status_code}")
    for method, path, _view in api_operations():
        if "{" in path:  # the id in the path: far beyond any row
            url = "/api/v1/" + re.sub(r"\{[a-z_]+\}", str(HUGE), path)
            body = json.dumps(payload_for(method, path, world.objects) or {}) if method != "GET" else None
            response = client.generic(method, url, body or "", content_type="application/json")
            if response.status_code not in (404, 422):
                failures.append(f"API {method} {path} {HUGE}: {response.status_code}")
    for res in RESOURCES:  # every list's page and filters: the numbers it takes, far out of range
        if not res.listed:
            continue
        queries = {f"offset={HUGE}": {422}, f"limit={HUGE}": {422}, f"offset=-{HUGE}": {422}}
        if res.reader.filterset is not None:
            for name, info in query_schema(res.reader.filterset).model_fields.items():
                if _number(info.annotation, info.metadata) is not None:
                    queries.update({f"{name}={v}": {200, 400, 422} for v in (HUGE, -HUGE, BIGINT)})
        for query, expected in queries.items():
            response = client.get(f"/api/v1/{res.path}?{query}")
            if response.status_code not in expected:
                failures.append(f"API {res.path}?{query}: {response.status_code}")
    assert not failures, "\n".join(failures)


# -- bodies over the limit ---------------------------------------------------------------------------------------
TOO_BIG = 2_700_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_is_413_with_the_apis_error_body(world, settings, debug):
    settings.DEBUG = debug  # development answered 500, production an HTML 400
    client = login_client(world.owner.user, world.org)
    _key, token = make_key(world.owner)
    before = _events(world.org)
    body = json.dumps({"sku": "BIG", "name": "Big", "description": "x" * TOO_BIG})
    response = client.post("/api/v1/items", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": response.json()["detail"], "code": "request_too_large", "errors": []}
    assert "2.5 MB" in response.json()["detail"] and response["X-Request-ID"]
    by_key = key_client(token).patch(f"/api/v1/items/{world.pk('catalog.item')}", body, content_type="application/json")
    assert by_key.status_code == 413 and by_key.json()["code"] == "request_too_large"
    assert _events(world.org) == before


@pytest.mark.django_db
def test_a_page_posted_a_body_over_the_limit_answers_413(world):
    client = login_client(world.owner.user, world.org)
    before = _events(world.org)
    form = client.post("/control/items/new/", {"sku": "BIG", "description": "x" * TOO_BIG})  # multipart
    encoded = client.post(
        "/control/items/new/", urlencode({"sku": "BIG", "description": "x" * TOO_BIG}), content_type=FORM_TYPE
    )
    for response in (form, encoded):
        assert response.status_code == 413 and response["Content-Type"].startswith("text/html")
        assert b"larger than 2.5 MB" in response.content
    assert _events(world.org) == before


@pytest.mark.django_db
def test_files_over_the_body_limit_keep_their_own_limits(world, settings):
    """Files are not the body's limit: a 3 MB photo is taken (its limit is 5 MB), a 3 MB import file is read."""
    client = login_client(world.owner.user, world.org)
    out = io.BytesIO()
    Image.effect_noise((1200, 1200), 120).convert("RGB").save(out, format="PNG")
    photo = out.getvalue()
    assert TOO_BIG < len(photo) < settings.PROFILE_PHOTO_MAX_BYTES
    response = client.post("/profile/photo/", {"photo": SimpleUploadedFile("me.png", photo)})
    assert response.status_code == 302
    world.owner.user.refresh_from_db()
    assert world.owner.user.photo

    rows = "sku,name,type,unit\r\n" + "".join(f"S{n:06},Part {n} {'x' * 150},raw,ea\r\n" for n in range(18_000))
    assert len(rows) > TOO_BIG
    file = SimpleUploadedFile("items.csv", rows.encode())
    response = client.post("/api/v1/imports/items?dry_run=true", {"file": file})
    assert response.status_code in (200, 202), response.content  # checked (now, or by the worker)
    settings.PROFILE_PHOTO_MAX_BYTES = len(photo) - 1
    refused = client.post("/profile/photo/", {"photo": SimpleUploadedFile("me.png", photo)}, follow=True)
    assert b"larger than" in refused.content


# -- values the database cannot store ----------------------------------------------------------------------------
def test_a_value_the_database_cannot_store_is_a_form_error_not_a_500(db):
    class Quantity(forms.Form):
        quantity = forms.DecimalField()

    def overflowing():
        raise DataError("numeric field overflow")

    form = Quantity({"quantity": "1"})
    result, refusal = submit(form, overflowing)
    assert result is None and refusal is not None and refusal.code == "out_of_range"
    assert "beyond what can be stored" in " ".join(form.non_field_errors())


@pytest.mark.django_db
def test_a_stock_level_past_its_column_is_a_400_and_writes_nothing(world, postgres_only):
    """Each receipt is within the quantity's range; their sum is not (PostgreSQL checks a numeric's digits)."""
    client = login_client(world.owner.user, world.org)
    half = "600000000000"  # of at most 999,999,999,999.999999
    body = {"item": world.pk("catalog.item"), "location": world.pk("inventory.location"), "quantity": half}
    first = client.post("/api/v1/stock/receipts", body, content_type="application/json")
    before = _events(world.org)
    second = client.post("/api/v1/stock/receipts", body, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 400, second.content
    assert second.json()["code"] == "out_of_range" and _events(world.org) == before


@pytest.mark.django_db
def test_an_in_lookup_ignores_integers_no_column_holds(world):
    """kernel/lookups.py: like Django's exact and range lookups, ``in`` matches no row for an out-of-range value."""
    tag = world.objects["catalog.tag"]
    with org_scope(world.org):
        tags = type(tag).objects
        assert list(tags.filter(pk__in=[BIGINT, HUGE, -HUGE])) == []
        assert list(tags.filter(pk__in=[tag.pk, BIGINT])) == [tag]
        assert tags.exclude(pk__in=[BIGINT]).count() == tags.count()


@pytest.mark.django_db
def test_an_explicit_null_on_a_field_that_cannot_be_null_is_a_422_naming_it(world):
    """Every PATCH of a resource: null for each field its column cannot hold as null is a 422 naming the field, and
    nothing changes (a null component or unit on a BOM line was a 500: schemathesis found it)."""
    _, token = make_key(world.owner)
    client = key_client(token)
    checked, wrong = 0, []
    patched = {path for method, path, _ in api_operations() if method == "PATCH"}
    for resource in RESOURCES:
        if resource.patch_in is None or resource.detail_path not in patched:
            continue
        url = api_url(resource.detail_path, world.objects)
        for name in resource.patch_in.model_fields:
            column = next((f for f in resource.model._meta.concrete_fields if name in (f.name, f.attname)), None)
            if column is None or column.null:
                continue
            response = client.patch(url, {name: None}, content_type="application/json")
            checked += 1
            fields = [e["field"] for e in response.json().get("errors", [])] if response.status_code < 500 else []
            if response.status_code != 422 or name not in fields:
                wrong.append(f"PATCH {resource.detail_path} {name}=null: {response.status_code} {fields}")
    assert wrong == [] and checked > 50, (checked, wrong)
