"""Documents: PDFs printed with the organization's letterhead, read back; kept sealed and versioned with their record;
downloaded by whoever may read the record (web and API); mailed as attachments through the task queue."""

from __future__ import annotations

import base64
import hashlib
import io
import socket
import time
from types import SimpleNamespace

import pypdf
import pytest
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from factoryos.audit.models import AuditEvent
from factoryos.core import services as core_services
from factoryos.documents import selectors, services
from factoryos.documents.errors import DocumentError
from factoryos.documents.models import DocumentKind, Rendered
from factoryos.documents.render import FetchRefused, SealedFetcher, letterhead, logo_data_uri, render_pdf
from factoryos.kernel import crypto
from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import org_scope
from tests.documents.world import sample_context, world_pdf
from tests.factories import add_member, key_client, login_client, make_key, make_org
from tests.worker import run_tasks

TEMPLATE = "documents/example.html"
# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def shop(db):
    """An organization with an address and a tax identifier, its owner, inside its scope."""
    org, owner = make_org(
        "Newcastle Sheet Metal Pty Ltd",
        trading_name="NSM Fabrication",
        address_line1="12 Forge Road",
        city="Mayfield",
        state="NSW",
        postcode="2304",
    )
    with transaction.atomic(), org_scope(org):
        core_services.tax_id_create(actor=owner, kind="ABN", country="AU", value="51 824 753 556")
        yield SimpleNamespace(org=org, owner=owner)


def _events(org, **filters) -> list[AuditEvent]:
    with org_scope(org):
        return list(AuditEvent.objects.filter(**filters).order_by("seq"))


# -- printing ------------------------------------------------------------------------------------------------------
def test_a_printed_document_reads_back_with_its_letterhead_number_lines_and_totals(shop):
    pdf = render_pdf(TEMPLATE, sample_context(3, number="QU-00042"))
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF-")
    for expected in (
        "Newcastle Sheet Metal Pty Ltd",
        "trading as NSM Fabrication",
        "12 Forge Road",
        "Mayfield NSW 2304",
        "ABN 51 824 753 556",  # the tax identifier, opened
        "Quote",
        "QU-00042",
        "30 Nov 2026",
        "Valid until",
        "Hunter Valley Fabrication",
        "Maitland NSW 2320",
        "BRK-103",
        "Bracket, size 3",
        "Net 75.00",  # 12.50 x (1 + 2 + 3)
        "Tax 10 % 7.50",
        "Total AUD 82.50",
        "Prices valid for 30 days.",
        "Page 1 of 1",
    ):
        assert expected in text, expected


def test_forty_lines_make_two_pages_each_numbered_and_the_totals_on_the_last(shop, capsys):
    context = sample_context(40, number="QU-00040")
    render_pdf(TEMPLATE, context)  # fonts and styles warmed up, as in a running server
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_pdf(TEMPLATE, context)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    first, last = (page.extract_text() for page in reader.pages)
    assert "Page 1 of 2" in first and "Page 2 of 2" in last
    assert "Unit price" in first and "Unit price" in last  # the table's head repeats on the next page
    assert "Net 10,250.00" in last and "Tax 10 % 1,025.00" in last and "Total AUD 11,275.00" in last
    assert "Total AUD" not in first
    with capsys.disabled():
        print(f"\n40 lines: {len(reader.pages)} pages, {elapsed * 1000:.0f} ms, {cpu * 1000:.0f} ms CPU, {len(pdf)} B")


def test_a_logo_is_printed_from_a_data_uri(shop):
    context = {**sample_context(1), "logo": logo_data_uri(PNG, "image/png")}
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(TEMPLATE, context)))
    assert len(reader.pages[0].images) == 1
    with pytest.raises(ValueError):
        logo_data_uri(PNG, "text/html")


def test_letterhead_names_the_current_organization_and_opens_its_tax_ids(shop):
    head = letterhead()
    assert head["legal_name"] == "Newcastle Sheet Metal Pty Ltd"
    assert head["tax_ids"] == [{"kind": "ABN", "country": "AU", "value": "51 824 753 556"}]
    assert head["address"] == ["12 Forge Road", "Mayfield NSW 2304", "AU"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "ftp://example.com/x.png",
        "//example.com/logo.png",
        "HTTP://EXAMPLE.COM/x.png",
    ],
)
def test_the_fetcher_refuses_everything_but_data_uris(url):
    fetcher = SealedFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_opens_a_data_uri():
    response = SealedFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


def test_a_template_naming_a_remote_image_stops_the_rendering_without_a_request(shop, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a document tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for logo in ("http://169.254.169.254/latest/meta-data", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            render_pdf(TEMPLATE, {**sample_context(1), "logo": logo})


def test_printed_values_are_escaped_not_markup(shop):
    context = sample_context(1)
    context["notes"] = '<img src="http://example.com/track.png"> <b>bold</b>'
    text = pdf_text(render_pdf(TEMPLATE, context))  # no FetchRefused: the tag is text, not an image
    assert '<img src="http://example.com/track.png">' in text.replace("\n", " ")


# -- keeping -------------------------------------------------------------------------------------------------------
def test_a_kept_pdf_is_sealed_at_rest_and_opens_to_the_same_bytes(shop):
    pdf = world_pdf()
    rendered = services.store_pdf(actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-7", pdf=pdf)
    raw = bytes(Rendered.objects.filter(pk=rendered.pk).values_list("content", flat=True).get())
    assert raw.startswith(crypto.FILE_MAGIC) and b"%PDF" not in raw and pdf[200:400] not in raw
    assert rendered.sha256 == hashlib.sha256(pdf).hexdigest() and rendered.size == len(pdf)
    opened = selectors.pdf_of(rendered)
    assert opened == pdf and hashlib.sha256(opened).hexdigest() == rendered.sha256
    assert (rendered.view_permission, rendered.record_type, rendered.record_id) == (
        "org.view",
        "core.organization",
        shop.org.pk,
    )
    assert rendered.filename == "quote-QU-7.pdf" and rendered.created_by == shop.owner.user
    [event] = _events(shop.org, action="create", object_type="documents.rendered")
    assert event.changes["content"] == [None, f"(sealed PDF, {len(pdf)} bytes)"]
    assert event.changes["number"] == [None, "QU-7"] and event.actor_label


def test_an_altered_ciphertext_does_not_open(shop):
    rendered = services.store_pdf(
        actor=shop.owner, record=shop.org, kind=DocumentKind.OTHER, number="X-1", pdf=world_pdf()
    )
    raw = bytearray(Rendered.objects.filter(pk=rendered.pk).values_list("content", flat=True).get())
    raw[-5] ^= 1
    Rendered.objects.filter(pk=rendered.pk).update(content=bytes(raw))
    with pytest.raises(crypto.DecryptionError):
        selectors.pdf_of(rendered)


def test_printing_a_record_again_keeps_the_older_version(shop):
    first = services.render_and_store(
        actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-9", template=TEMPLATE,
        context=sample_context(1, number="QU-9"),
    )  # fmt: skip
    second = services.render_and_store(
        actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-9", template=TEMPLATE,
        context=sample_context(2, number="QU-9"),
    )  # fmt: skip
    other_kind = services.store_pdf(
        actor=shop.owner, record=shop.org, kind=DocumentKind.INVOICE, number="INV-1", pdf=world_pdf()
    )
    assert (first.version, second.version, other_kind.version) == (1, 2, 1)
    assert second.filename == "quote-QU-9-v2.pdf"
    assert selectors.latest_for(shop.org, DocumentKind.QUOTE) == second
    assert list(selectors.for_record(shop.org, DocumentKind.QUOTE)) == [second, first]
    assert "Bracket, size 1" in pdf_text(selectors.pdf_of(first))
    assert "Bracket, size 2" not in pdf_text(selectors.pdf_of(first))
    assert "Bracket, size 2" in pdf_text(selectors.pdf_of(second))
    assert selectors.latest_for(shop.owner, DocumentKind.QUOTE) is None  # another record has none


@pytest.mark.parametrize("pdf", [b"", b"<html>not a pdf</html>", b"PK\x03\x04zip"])
def test_only_a_pdf_is_kept(shop, pdf):
    with pytest.raises(DomainError) as refused:
        services.store_pdf(actor=shop.owner, record=shop.org, kind=DocumentKind.OTHER, number="X", pdf=pdf)
    assert (refused.value.code, refused.value.field) == (DocumentError.NOT_A_PDF, "pdf")
    assert not Rendered.objects.exists()


def test_too_large_a_pdf_is_refused(shop, monkeypatch):
    monkeypatch.setattr(services, "MAX_PDF_BYTES", 100)
    with pytest.raises(DomainError) as refused:
        services.store_pdf(actor=shop.owner, record=shop.org, kind=DocumentKind.OTHER, number="X", pdf=world_pdf())
    assert refused.value.code == DocumentError.TOO_LARGE


def test_a_number_too_long_or_an_unknown_kind_is_a_field_error(shop):
    with pytest.raises(DomainError) as refused:
        services.store_pdf(actor=shop.owner, record=shop.org, kind="quote", number="Q" * 65, pdf=world_pdf())
    assert (refused.value.field, refused.value.code) == ("number", "too_long")
    with pytest.raises(DomainError) as refused:
        services.store_pdf(actor=shop.owner, record=shop.org, kind="letter", number="Q-1", pdf=world_pdf())
    assert (refused.value.field, refused.value.code) == ("kind", "invalid_choice")
    for permission in ("sales.edit", "nothing.view"):
        with pytest.raises(DomainError) as refused:
            services.store_pdf(
                actor=shop.owner, record=shop.org, kind="quote", number="Q-1", pdf=world_pdf(),
                view_permission=permission,
            )  # fmt: skip
        assert (refused.value.field, refused.value.code) == ("view_permission", DocumentError.NO_VIEW_PERMISSION)
    with pytest.raises(DomainError) as refused:
        services.render_and_store(
            actor=shop.owner, record=shop.org, kind="letter", number="Q", template=TEMPLATE, context={}
        )
    assert refused.value.field == "kind"
    assert not Rendered.objects.exists()


@pytest.mark.parametrize(
    ("app", "permission"),
    [("sales", "sales.view"), ("purchasing", "purchasing.view"), ("books", "finance.view"), ("core", "org.view")],
)
def test_a_document_is_opened_with_its_records_modules_view_permission(app, permission):
    record = SimpleNamespace(_meta=SimpleNamespace(app_label=app))
    assert services.view_permission_of(record) == permission


def test_a_record_of_an_app_without_a_permission_needs_one_named():
    with pytest.raises(DomainError) as refused:
        services.view_permission_of(SimpleNamespace(_meta=SimpleNamespace(app_label="jobs")))
    assert refused.value.code == DocumentError.NO_VIEW_PERMISSION


# -- downloading ---------------------------------------------------------------------------------------------------
@pytest.fixture
def kept(shop):
    """A sales document of the shop (sales.view opens it), and the PDF it keeps."""
    pdf = world_pdf()
    rendered = services.store_pdf(
        actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-00012", pdf=pdf,
        view_permission="sales.view",
    )  # fmt: skip
    return SimpleNamespace(rendered=rendered, pdf=pdf, **vars(shop))


def _exports(org) -> list[AuditEvent]:
    return _events(org, action="export", object_type="documents.rendered")


def test_the_owner_downloads_the_pdf_and_the_download_is_recorded(kept):
    client = login_client(kept.owner.user, kept.org)
    response = client.get(reverse("documents:download", args=[kept.rendered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="quote-QU-00012.pdf"'
    assert response.content == kept.pdf
    [event] = _exports(kept.org)
    assert event.object_id == str(kept.rendered.pk)
    assert event.metadata["number"] == "QU-00012" and event.metadata["version"] == 1
    inline = client.get(reverse("documents:download", args=[kept.rendered.pk]) + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")


def test_the_api_reads_a_documents_details_and_its_pdf(kept):
    client = login_client(kept.owner.user, kept.org)
    details = client.get(f"/api/v1/documents/{kept.rendered.pk}")
    assert details.status_code == 200
    body = details.json()
    assert body["number"] == "QU-00012" and body["version"] == 1 and body["sha256"] == kept.rendered.sha256
    assert body["record_type"] == "core.organization" and body["view_permission"] == "sales.view"
    assert "content" not in body
    response = client.get(f"/api/v1/documents/{kept.rendered.pk}/pdf")
    assert response.status_code == 200 and response.content == kept.pdf
    assert response["Content-Type"] == "application/pdf"
    assert len(_exports(kept.org)) == 1
    listing = client.get("/api/v1/documents", {"record_type": "core.organization", "record_id": kept.org.pk})
    assert [row["id"] for row in listing.json()["items"]] == [kept.rendered.pk]
    assert client.get("/api/v1/documents", {"record_id": kept.org.pk + 1}).json()["count"] == 0
    assert client.get("/api/v1/documents", {"record_id": "x"}).status_code in (400, 422)


def test_another_organizations_document_is_not_found(kept):
    other_org, other_owner = make_org("Elsewhere Pty Ltd")
    client = login_client(other_owner.user, other_org)
    assert client.get(reverse("documents:download", args=[kept.rendered.pk])).status_code == 404
    assert client.get(f"/api/v1/documents/{kept.rendered.pk}").status_code == 404
    assert client.get(f"/api/v1/documents/{kept.rendered.pk}/pdf").status_code == 404
    assert client.get("/api/v1/documents").json()["count"] == 0
    assert _exports(kept.org) == []


def test_a_member_without_the_records_permission_is_refused(kept):
    operator = add_member(kept.org, role="operator")  # no sales.view
    client = login_client(operator.user, kept.org)
    assert client.get(reverse("documents:download", args=[kept.rendered.pk])).status_code == 403
    assert client.get(f"/api/v1/documents/{kept.rendered.pk}").status_code == 403
    assert client.get(f"/api/v1/documents/{kept.rendered.pk}/pdf").status_code == 403
    assert client.get("/api/v1/documents").json()["count"] == 0  # the list shows what they may read
    assert _exports(kept.org) == []
    sales = add_member(kept.org, role="sales")
    assert login_client(sales.user, kept.org).get(f"/api/v1/documents/{kept.rendered.pk}/pdf").status_code == 200


def test_an_api_key_needs_its_scope_over_the_records_module(kept):
    _, outside = make_key(kept.owner, {"catalog": "read"})
    _, inside = make_key(kept.owner, {"sales": "read"})
    assert key_client(outside).get(f"/api/v1/documents/{kept.rendered.pk}/pdf").status_code == 403
    response = key_client(inside).get(f"/api/v1/documents/{kept.rendered.pk}/pdf")
    assert response.status_code == 200 and response.content == kept.pdf


# -- mailing -------------------------------------------------------------------------------------------------------
def test_a_document_is_mailed_as_an_attachment_through_the_task_queue(kept, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_pdf(
            actor=kept.owner, rendered=kept.rendered, to="buyer@hunter.example", subject="Quote QU-00012",
            body="Please find our quote attached.", contact_id=77,
        )  # fmt: skip
    assert django_mail.outbox == []  # not sent in the request
    assert run_tasks("email") == 1
    [message] = django_mail.outbox
    assert message.to == ["buyer@hunter.example"] and message.subject == "Quote QU-00012"
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("quote-QU-00012.pdf", "application/pdf")
    assert content == kept.pdf
    assert b"Content-Type: application/pdf" in message.message().as_bytes()


def test_who_sent_which_document_to_whom_is_recorded_the_address_sealed_under_the_recipient(kept):
    services.email_pdf(
        actor=kept.owner, rendered=kept.rendered, to=["a@hunter.example", "b@hunter.example"],
        subject="Quote", body="Attached.", contact_id=77,
    )  # fmt: skip
    events = _exports(kept.org)
    assert len(events) == 2
    for event, address in zip(events, ["a@hunter.example", "b@hunter.example"], strict=True):
        assert event.object_id == str(kept.rendered.pk)
        assert event.metadata_plain == {} and event.subject_sealed  # nothing about the recipient in the clear
        assert event.subject_key.subject.startswith("email:")
        assert event.metadata["to"] == address and event.metadata["contact"] == 77
        assert event.metadata["channel"] == "email" and event.metadata["number"] == "QU-00012"
        assert event.actor_label  # who sent it
    from factoryos.audit import sealing

    sealing.erase([sealing.email_subject("a@hunter.example")])
    with org_scope(kept.org):
        erased = AuditEvent.objects.get(pk=events[0].pk)
        kept_one = AuditEvent.objects.get(pk=events[1].pk)
    assert erased.metadata == {} and erased.erased
    assert kept_one.metadata["to"] == "b@hunter.example"


@pytest.mark.parametrize(
    ("to", "field"),
    [
        ("", "to"),
        ([], "to"),
        ("not-an-address", "to"),
        (["ok@example.com", "bad@"], "to"),
        ([f"p{n}@x.io" for n in range(11)], "to"),
    ],
)
def test_bad_recipients_are_refused_and_nothing_is_queued(kept, to, field, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        services.email_pdf(actor=kept.owner, rendered=kept.rendered, to=to, subject="Quote", body="")
    assert refused.value.field == field
    assert run_tasks("email") == 0 and _exports(kept.org) == []


def test_a_mail_needs_a_subject(kept):
    with pytest.raises(DomainError) as refused:
        services.email_pdf(actor=kept.owner, rendered=kept.rendered, to="a@b.example", subject="  ", body="")
    assert refused.value.field == "subject"


def test_only_who_may_read_the_document_may_mail_it(kept):
    operator = add_member(kept.org, role="operator")
    with pytest.raises(PermissionDenied):
        services.email_pdf(actor=operator, rendered=kept.rendered, to="a@b.example", subject="Quote", body="")
    assert _exports(kept.org) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_printings_of_a_record_take_consecutive_versions(postgres_only):
    import threading

    from django.db import connection

    org, owner = make_org("Concurrent Pty Ltd")
    pdf = world_pdf()
    barrier = threading.Barrier(6)
    versions, errors = [], []

    def keep():
        try:
            with transaction.atomic(), org_scope(org):
                barrier.wait(timeout=10)
                rendered = services.store_pdf(actor=owner, record=org, kind=DocumentKind.QUOTE, number="QU-1", pdf=pdf)
                versions.append(rendered.version)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=keep) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(versions) == [1, 2, 3, 4, 5, 6]


def test_a_records_panel_lists_every_version_with_its_download_link(shop):
    from django.template.loader import render_to_string

    first = services.store_pdf(
        actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-5", pdf=world_pdf()
    )
    second = services.store_pdf(
        actor=shop.owner, record=shop.org, kind=DocumentKind.QUOTE, number="QU-5", pdf=world_pdf()
    )
    html = render_to_string("documents/partials/rendered_panel.html", {"documents": selectors.for_record(shop.org)})
    assert html.index(reverse("documents:download", args=[second.pk])) < html.index(
        reverse("documents:download", args=[first.pk])
    )
    assert "Quote QU-5" in html
    assert "Not printed yet." in render_to_string("documents/partials/rendered_panel.html", {"documents": []})
