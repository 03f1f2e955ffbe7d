"""Tax codes, exchange rates and gapless numbering."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from factoryos.finance import services
from factoryos.finance.models import NumberSequence, SequenceKind, TaxCode
from factoryos.kernel.errors import DomainError
from factoryos.kernel.tenancy import org_scope
from tests.factories import make_org


def test_an_australian_organization_starts_with_gst_as_its_default(world):
    with org_scope(world.org):
        codes = {c.code: c for c in TaxCode.objects.all()}
        assert codes["GST"].rate == D("10") and codes["GST"].is_default
        assert codes["FRE"].rate == 0
        assert services.default_tax_code(actor=world.owner) == codes["GST"]


@pytest.mark.django_db
def test_an_organization_elsewhere_starts_with_no_tax():
    org, owner = make_org(country="US", currency="USD")
    with transaction.atomic(), org_scope(org):
        assert services.default_tax_code(actor=owner).rate == 0


def test_one_default_tax_code(world):
    with transaction.atomic(), org_scope(world.org):
        ca = services.tax_code_create(actor=world.owner, code="CA", name="CA", rate=D("7.25"), is_default=True)
        assert list(TaxCode.objects.filter(is_default=True)) == [ca]


def test_rates_are_the_latest_on_or_before_the_day(world):
    with transaction.atomic(), org_scope(world.org):
        services.exchange_rate_create(actor=world.owner, currency="usd", rate=D("1.60"), valid_from=dt.date(2026, 6, 1))
        assert services.rate_for("USD", dt.date(2026, 5, 31)) == D("1.52")
        assert services.rate_for("usd", dt.date(2026, 6, 1)) == D("1.60")
        assert services.rate_for("AUD") == 1
        with pytest.raises(DomainError) as refused:
            services.rate_for("USD", dt.date(2025, 12, 31))
        assert refused.value.code == "no_exchange_rate" and refused.value.field == "exchange_rate"


def test_numbers_follow_on_and_a_rolled_back_document_gives_its_number_back(world):
    with org_scope(world.org):
        with transaction.atomic():
            first = services.next_number(SequenceKind.QUOTE)  # the world has quotes already
        following = f"QU-{int(first.removeprefix('QU-')) + 1:05d}"
        with transaction.atomic():
            assert services.next_number(SequenceKind.QUOTE) == following
            transaction.set_rollback(True)
        with transaction.atomic():
            assert services.next_number(SequenceKind.QUOTE) == following


def test_a_sequence_only_moves_forward(world):
    with transaction.atomic(), org_scope(world.org):
        sequence = NumberSequence.objects.get(kind=SequenceKind.INVOICE)
        services.sequence_update(actor=world.owner, obj=sequence, prefix="IN-", next_number=500, padding=4)
        assert services.next_number(SequenceKind.INVOICE) == "IN-0500"
        with pytest.raises(DomainError) as refused:
            services.sequence_update(actor=world.owner, obj=sequence, next_number=10)
        assert refused.value.field == "next_number"


def test_sequences_are_per_organization(world, their_world):
    other = their_world
    with org_scope(world.org), transaction.atomic():
        assert services.next_number(SequenceKind.BILL) == "BILL-00001"
    with org_scope(other.org), transaction.atomic():
        assert services.next_number(SequenceKind.BILL) == "BILL-00001"


@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_take_sixteen_consecutive_numbers(postgres_only):
    org, _owner = make_org()
    barrier = threading.Barrier(16)
    numbers, errors = [], []

    def take():
        try:
            with transaction.atomic(), org_scope(org):
                barrier.wait(timeout=10)
                numbers.append(services.next_number(SequenceKind.INVOICE))
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"INV-{n:05d}" for n in range(1, 17)]
