"""Estimates that learn (decision 0014): the floor records setup apart from run, the estimates compare what release
planned with what was logged, and a routing operation's last runs suggest its standard times, which an engineer
accepts.

The module's world (tests/production/world.py) has a cover plate CVR-300 whose op 10 (Linish edges on the hand bench
BEN1, 100 % efficient: setup 20 min, 2 min each) was done three times, oldest first:

=====  ========  =====  ===========  ================
order  quantity  setup  run minutes  run per unit
=====  ========  =====  ===========  ================
1      4         24     10           2.5
2      5         30     12           2.4
3      8         18     22           2.75
=====  ========  =====  ===========  ================

so the median setup is 24 (+20 % on 20) and the median run per unit 2.5 (+25 % on 2), each resting on 3 runs;
estimated in all: setup 3 x 20 = 60 against 72 logged (+20.0 %), run 17 x 2 = 34 against 44 (+29.4 %).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from factoryos.audit.models import AuditEvent
from factoryos.catalog import services as catalog
from factoryos.catalog.models import BomStatus, Operation
from factoryos.facilities.models import WorkCenter
from factoryos.kernel.errors import ConflictError
from factoryos.kernel.tenancy import org_scope
from factoryos.planning.engine.estimates import deviation_pct, learn, median
from factoryos.production import estimates, services
from factoryos.production.models import JobCard, Phase, TimeLog
from tests.factories import add_member, page_text
from tests.production.world import linished

D = Decimal


@pytest.fixture
def scope(world):
    """``with scope() as owner:`` runs services as the world's owner, in its organization."""

    @contextlib.contextmanager
    def enter():
        with transaction.atomic(), org_scope(world.org):
            yield world.owner

    return enter


def _logs(card: JobCard) -> list[tuple[str, str, bool]]:
    """(phase, end reason, still open) of each of the card's time logs, oldest first."""
    return [(log.phase, log.end_reason, log.ended_at is None) for log in card.time_logs.order_by("pk")]


def _operation(world) -> Operation:
    return Operation.objects.select_related("bom__item", "work_center").get(pk=world.pk("catalog.operation#learned"))


# -- the floor: setup, then run ------------------------------------------------------------------------------------
def test_a_start_opens_setup_time_and_setup_done_turns_it_into_run_time(world, scope):
    with scope() as owner:
        card = world.objects["production.jobcard"]  # the released brackets: setup 10 min planned, nothing done yet
        assert services.current_phase(card) == Phase.SETUP
        card = services.job_card_start(actor=owner, obj=card)
        assert _logs(card) == [("setup", "", True)] and services.current_phase(card) == Phase.SETUP
        services.job_card_setup_done(actor=owner, obj=card)
        assert _logs(card) == [("setup", "setup_done", False), ("run", "", True)]
        assert services.current_phase(card) == Phase.RUN
        with pytest.raises(ConflictError) as again:
            services.job_card_setup_done(actor=owner, obj=card)
        assert again.value.code == "not_in_setup"
        # a pause and a resume continue the phase it was in: run
        services.job_card_pause(actor=owner, obj=card, reason="break")
        services.job_card_start(actor=owner, obj=card)
        assert [phase for phase, _, _ in _logs(card)] == ["setup", "run", "run"]


def test_a_pause_in_setup_resumes_in_setup(world, scope):
    with scope() as owner:
        card = services.job_card_start(actor=owner, obj=world.objects["production.jobcard"])
        services.job_card_pause(actor=owner, obj=card, reason="tooling")
        services.job_card_start(actor=owner, obj=card)
        assert _logs(card) == [("setup", "tooling", False), ("setup", "", True)]


def test_the_first_report_ends_setup_for_everyone_on_it(world, scope):
    with scope() as owner:
        helper = add_member(world.org, role="operator")
        card = services.job_card_start(actor=owner, obj=world.objects["production.jobcard"])
        services.job_card_start(actor=helper, obj=card)  # joins: setting up too
        assert [phase for phase, _, _ in _logs(card)] == ["setup", "setup"]
        services.job_card_report(actor=owner, obj=card, good=D("1"))  # the first good part proves the setup
        assert _logs(card) == [
            ("setup", "reported", False), ("setup", "reported", False), ("run", "", True), ("run", "", True),
        ]  # fmt: skip
        assert set(card.time_logs.filter(phase="run").values_list("operator", flat=True)) == {
            owner.user_id,
            helper.user_id,
        }
        services.job_card_report(actor=owner, obj=card, good=D("1"))  # later reports change nothing
        assert len(_logs(card)) == 4 and services.current_phase(card) == Phase.RUN


def test_first_off_scrap_while_setting_up_does_not_end_setup(world, scope):
    with scope() as owner:
        card = services.job_card_start(actor=owner, obj=world.objects["production.jobcard"])
        services.job_card_report(actor=owner, obj=card, scrap=D("1"), scrap_reason="setup")
        assert _logs(card) == [("setup", "", True)] and services.current_phase(card) == Phase.SETUP
        services.job_card_report(actor=owner, obj=card, good=D("1"))
        assert _logs(card) == [("setup", "reported", False), ("run", "", True)]


def test_an_operation_without_setup_runs_from_the_start(world, scope):
    with scope() as owner:
        coated = world.objects["production.workorder#coated"]  # the clip's laser cut plans no setup
        order = services.work_order_create(
            actor=owner, item=coated.item, quantity=D("1"), location=world.objects["inventory.location#warehouse"],
            due_date=timezone.localdate(),
        )  # fmt: skip
        cut = services.work_order_release(actor=owner, obj=order).job_cards.get(sequence=10)
        cut = services.job_card_start(actor=owner, obj=cut)
        assert _logs(cut) == [("run", "", True)]
        with pytest.raises(ConflictError):
            services.job_card_setup_done(actor=owner, obj=cut)


def test_completing_in_setup_with_the_last_batch_leaves_no_empty_run_time(world, scope):
    with scope() as owner:
        card = services.job_card_start(actor=owner, obj=world.objects["production.jobcard"])
        services.job_card_complete(actor=owner, obj=card, good=D("10"))
        assert _logs(card) == [("setup", "done", False)]


def test_the_tablet_shows_the_phase_and_a_big_setup_done_button(world, owner):
    card = world.objects["production.jobcard"]
    started = owner.post(reverse("production:job_start", args=[card.pk]), follow=True)
    page = page_text(started)
    assert "your time is running, as setup" in page and "Setting up" in page
    assert f'action="{reverse("production:job_setup_done", args=[card.pk])}"' in started.content.decode()
    assert 'class="floor-button">Setup done</button>' in started.content.decode()
    done = owner.post(reverse("production:job_setup_done", args=[card.pk]), follow=True)
    assert "Setup done on" in page_text(done) and "Setting up" not in page_text(done)
    assert "(run since" in page_text(done) and ">Setup done</button>" not in done.content.decode()
    again = owner.post(reverse("production:job_setup_done", args=[card.pk]))
    assert again.status_code == 409 and "Nobody is setting up" in page_text(again)


def test_the_api_says_setup_is_done_and_lists_the_phase_of_each_log(world, api):
    card = world.objects["production.jobcard#setup"]
    response = api.post(f"/api/v1/job-cards/{card.pk}/setup-done")
    assert response.status_code == 200, response.content
    logs = api.get(f"/api/v1/time-logs?job_card={card.pk}").json()["items"]
    assert [(log["phase"], log["end_reason"]) for log in logs] == [("setup", "setup_done"), ("run", "")]
    assert api.post(f"/api/v1/job-cards/{card.pk}/setup-done").json()["code"] == "not_in_setup"


# -- the engine: the median and when it is worth suggesting ----------------------------------------------------------
def test_the_median_with_known_answers():
    assert median([D(3), D(1), D(2)]) == 2
    assert median([D(4), D(1), D(3), D(2)]) == D("2.5")
    assert median([D("18"), D("24"), D("30"), D("240")]) == 27  # the stalled run moves it 3 minutes, a mean 59
    with pytest.raises(ValueError):
        median([])


def test_a_suggestion_needs_enough_runs_and_a_change_of_more_than_the_threshold():
    runs = [D("10.5"), D("10.5"), D("10.5")]
    exactly = learn(D(10), runs, threshold_pct=D(5))  # +5.00 %: not more than 5 %
    assert (exactly.suggested, exactly.runs, exactly.worth_it, exactly.change_pct) == (D("10.50"), 3, False, D(5))
    assert learn(D(10), [D("10.51")] * 3).worth_it  # +5.1 %
    assert not learn(D(10), [D("20")] * 2).worth_it  # twice as long, but only 2 runs
    assert learn(D(10), [D("20")] * 2, least_runs=2).worth_it
    assert learn(D(10), [D("9.49")] * 3).worth_it  # shorter counts too (-5.1 %)
    assert learn(D(0), [D("1.5")] * 3).worth_it and learn(D(0), [D("1.5")] * 3).change_pct is None  # from nothing
    assert learn(D(10), []) is None
    # a work center at 80 %: planning divides the standard by 0.8, so 12.5 minutes measured is a standard of 10
    at_80 = learn(D(8), [D("12.5"), D("12.5"), D("30")], efficiency_pct=D(80), places=D("0.0001"))
    assert (at_80.median, at_80.suggested, at_80.change_pct) == (D("12.5"), D("10.0000"), D("25.0"))
    assert deviation_pct(D(34), D(44)) == D("29.4") and deviation_pct(D(0), D(5)) is None


# -- estimated beside actual -----------------------------------------------------------------------------------------
def test_estimated_beside_actual_by_work_center_and_by_item(world, scope):
    with scope():
        summary = estimates.summary(estimates.completed.filter(estimates.criteria({})).queryset)
        bench = next(g for g in summary.by_work_center if g.code == "BEN1")
        assert (bench.runs, bench.setup_runs, bench.estimated_setup, bench.actual_setup) == (3, 3, 60, 72)
        assert (bench.run_runs, bench.made, bench.estimated_run, bench.actual_run) == (3, 17, 34, 44)
        assert (bench.setup_deviation, bench.run_deviation) == (D("20.0"), D("29.4"))
        cover = next(g for g in summary.by_item if g.code == "CVR-300")
        assert (cover.runs, cover.estimated_setup, cover.actual_run) == (3, 60, 44)
        # the brackets' and clips' operations were done in no time (the world's clock): no evidence either way
        laser = next(g for g in summary.by_work_center if g.code == "LSR1")
        assert laser.runs == 2 and (laser.setup_runs, laser.run_runs) == (0, 0) and laser.setup_deviation is None
        newest = next(run for run in summary.latest if run.card.work_center.code == "BEN1")  # newest first
        assert newest.card.work_order.quantity == 8 and (newest.actual_setup, newest.actual_run) == (18, D("2.75"))
        assert (newest.setup_deviation, newest.run_deviation) == (D("-10.0"), D("37.5"))


def test_a_card_planned_with_setup_that_logged_none_is_no_evidence_of_its_run_time(world, scope):
    """Time logged before phases were recorded (the migration made it run): its setup is inside its run time."""
    with scope() as owner:
        order = linished(
            owner, world.objects["catalog.bom#learned"], world.objects["inventory.location#warehouse"], "2", "0",
            "10", timezone.now(),
        )  # fmt: skip
        card = order.job_cards.get(sequence=10)
        TimeLog.objects.filter(job_card=card, phase="setup").delete()
        run = estimates.run_of(estimates.completed.all().get(pk=card.pk))
        assert run.actual_setup is None and run.actual_run is None and run.estimated_run == 2


def test_estimates_are_planned_over_the_efficiency_at_release(world, scope):
    with scope() as owner:
        WorkCenter.objects.filter(code="BEN1").update(efficiency_pct=D("80"))
        order = linished(
            owner, world.objects["catalog.bom#learned"], world.objects["inventory.location#warehouse"], "4", "30",
            "10", timezone.now(),
        )  # fmt: skip
        card = estimates.completed.all().get(pk=order.job_cards.get(sequence=10).pk)
        assert card.efficiency_pct == 80
        run = estimates.run_of(card)
        assert (run.estimated_setup, run.estimated_run, run.setup_deviation, run.run_deviation) == (25, D("2.5"), 20, 0)


def test_the_estimates_page_and_api(world, owner, api):
    bench = world.objects["catalog.operation#learned"].work_center
    page = owner.get(reverse("production:estimates"))
    assert page.status_code == 200
    text = page_text(page)
    assert "Estimated and actual times" in text and "BEN1" in text and "CVR-300" in text
    table = text[text.index('id="estimates-work-centers"') :]
    row = table[table.index("BEN1") :]
    row = row[: row.index("</tr>")]
    assert "60" in row and "72" in row and "+20 %" in row and "34" in row and "44" in row and "+29.4 %" in row
    assert f'href="{reverse("production:estimates")}"' in text  # Make > Estimates
    only = page_text(owner.get(reverse("production:estimates"), {"work_center": bench.pk}))
    only = only[only.index('id="estimates-work-centers"') :]
    assert "BEN1" in only and "LSR1" not in only
    later = timezone.localdate() + timedelta(days=1)
    assert "No operation was completed" in page_text(owner.get(reverse("production:estimates"), {"done_from": later}))
    assert owner.get(reverse("production:estimates"), {"done_from": "2026-99-99"}).status_code == 200

    body = api.get("/api/v1/estimates", {"work_center": bench.pk}).json()
    assert body["count"] == 3 and [g["code"] for g in body["by_item"]] == ["CVR-300"]
    total = body["total"]
    assert (D(total["estimated_setup"]), D(total["actual_setup"]), D(total["setup_deviation_pct"])) == (60, 72, 20)
    assert (D(total["estimated_run"]), D(total["actual_run"]), D(total["run_deviation_pct"])) == (34, 44, D("29.4"))
    assert [D(run["actual_run_per_unit"]) for run in body["latest"]] == [D("2.75"), D("2.4"), D("2.5")]
    refused = api.get("/api/v1/estimates", {"done_from": "yesterday"})
    assert refused.status_code == 422


# -- suggestions -----------------------------------------------------------------------------------------------------
def test_the_routing_operation_gets_the_median_of_its_runs_and_how_many_it_rests_on(world, scope, their_world):
    """Another organization's identical runs never count: 3 runs, not 6."""
    with scope():
        suggestion = estimates.suggestions([_operation(world)])[world.pk("catalog.operation#learned")]
        assert (suggestion.setup.current, suggestion.setup.suggested, suggestion.setup.runs) == (20, D("24.00"), 3)
        assert (suggestion.run.current, suggestion.run.suggested, suggestion.run.runs) == (2, D("2.5000"), 3)
        assert (suggestion.setup.change_pct, suggestion.run.change_pct) == (20, 25)
        assert suggestion.worth_it and suggestion.changes() == {"setup_minutes": 24, "run_minutes_per_unit": D("2.5")}
        bend = Operation.objects.select_related("bom", "work_center").get(bom=suggestion.operation.bom, sequence=20)
        assert estimates.suggestions([bend])[bend.pk].setup is None  # not done yet: nothing to learn


def test_the_last_runs_that_logged_time_count_and_a_stalled_one_hardly_moves_the_median(world, scope, monkeypatch):
    monkeypatch.setattr(estimates, "RUNS", 4)
    with scope() as owner:
        bom, where, now = (
            world.objects["catalog.bom#learned"],
            world.objects["inventory.location#warehouse"],
            timezone.now(),
        )
        linished(owner, bom, where, "3", "0", "0", now - timedelta(hours=12))  # no time logged: left out
        linished(owner, bom, where, "2", "240", "6", now - timedelta(hours=6))  # stalled: 4 hours to set up
        linished(owner, bom, where, "10", "21", "20", now - timedelta(hours=1))
        suggestion = estimates.suggestions([_operation(world)])[world.pk("catalog.operation#learned")]
        # the last 4 with time: 21, 240, 18, 30 (the oldest, 24, drops out) -> (21 + 30) / 2
        assert (suggestion.setup.runs, suggestion.setup.median, suggestion.setup.suggested) == (4, D("25.5"), D("25.5"))
        # per unit: 2.0, 3.0, 2.75, 2.4 -> (2.4 + 2.75) / 2
        assert (suggestion.run.runs, suggestion.run.suggested, suggestion.run.change_pct) == (4, D("2.575"), D("28.8"))


def test_no_suggestion_from_too_few_runs_or_a_change_within_the_threshold(world, scope, monkeypatch):
    with scope() as owner:
        operation = _operation(world)
        monkeypatch.setattr(estimates, "LEAST_RUNS", 4)
        too_few = estimates.suggestions([operation])[operation.pk]
        assert too_few.setup.runs == 3 and not too_few.worth_it and too_few.changes() == {}
        monkeypatch.setattr(estimates, "LEAST_RUNS", 3)
        catalog.operation_times_update(actor=owner, obj=operation, setup_minutes=D("23"), run_minutes_per_unit=D("2.4"))
        close = estimates.suggestions([_operation(world)])[operation.pk]
        assert not close.worth_it  # 24 on 23 is +4.3 %, 2.5 on 2.4 +4.2 %
        with pytest.raises(ConflictError) as refused:
            services.time_suggestion_accept(actor=owner, obj=operation)
        assert refused.value.code == "no_time_suggestion"
        catalog.operation_times_update(actor=owner, obj=operation, setup_minutes=D("22.8"))
        assert estimates.suggestions([_operation(world)])[operation.pk].changes() == {"setup_minutes": D("24.00")}


def test_accepting_updates_the_released_routing_and_records_what_it_rests_on(world, scope):
    with scope() as owner:
        operation = _operation(world)
        assert operation.bom.status == BomStatus.RELEASED
        accepted = services.time_suggestion_accept(
            actor=owner, obj=operation, setup_minutes=D("24"), run_minutes_per_unit=D("2.5")
        )
        operation.refresh_from_db()
        assert (
            (operation.setup_minutes, operation.run_minutes_per_unit)
            == (D("24.00"), D("2.5000"))
            == (
                accepted.setup_minutes,
                accepted.run_minutes_per_unit,
            )
        )
        operation.bom.refresh_from_db()
        assert operation.bom.status == BomStatus.RELEASED  # still the one planning and production use
        event = AuditEvent.objects.filter(object_type="catalog.operation", object_id=str(operation.pk)).latest("seq")
        assert event.action == "update" and event.actor_user_id == owner.user_id
        assert event.changes == {"setup_minutes": ["20.00", "24.00"], "run_minutes_per_unit": ["2.0000", "2.5000"]}
        learned = event.metadata["learned"]
        assert learned["method"] == "median" and learned["of_last"] == estimates.RUNS
        assert learned["setup_minutes"] == {"runs": 3, "median": "24.00", "from": "20.00", "to": "24.00"}
        assert learned["run_minutes_per_unit"] == {"runs": 3, "median": "2.5000", "from": "2.0000", "to": "2.5000"}
        assert not estimates.suggestions([_operation(world)])[operation.pk].worth_it  # learned: nothing more to say
        # the next release plans with it
        order = services.work_order_create(
            actor=owner, item=operation.bom.item, quantity=D("1"),
            location=world.objects["inventory.location#warehouse"], due_date=timezone.localdate(),
        )  # fmt: skip
        card = services.work_order_release(actor=owner, obj=order).job_cards.get(sequence=10)
        assert (card.setup_minutes, card.run_minutes_per_unit) == (D("24.00"), D("2.5000"))


def test_a_suggestion_that_changed_since_it_was_shown_is_not_accepted(world, scope):
    with scope() as owner:
        operation = _operation(world)
        before = AuditEvent.objects.count()
        with pytest.raises(ConflictError) as changed:
            services.time_suggestion_accept(
                actor=owner, obj=operation, setup_minutes=D("25"), run_minutes_per_unit=D("2.5")
            )
        assert changed.value.code == "time_suggestion_changed"
        with pytest.raises(ConflictError):  # seen the setup only: the run's part would be applied unseen
            services.time_suggestion_accept(actor=owner, obj=operation, setup_minutes=D("24"))
        assert AuditEvent.objects.count() == before and _operation(world).setup_minutes == 20


def test_a_new_revision_learns_from_the_same_runs_and_an_obsolete_one_learns_nothing(world, scope):
    with scope() as owner:
        old = _operation(world)
        draft = catalog.bom_create(actor=owner, item=old.bom.item, copy_from=old.bom)
        copy = Operation.objects.select_related("bom", "work_center").get(bom=draft, sequence=10)
        assert estimates.suggestions([copy])[copy.pk].setup.runs == 3
        catalog.bom_release(actor=owner, obj=draft)
        obsolete = _operation(world)
        assert obsolete.bom.status == BomStatus.OBSOLETE and estimates.suggestions([obsolete]) == {}
        with pytest.raises(ConflictError) as refused:
            services.time_suggestion_accept(actor=owner, obj=obsolete)
        assert refused.value.code == "no_time_suggestion"
        with pytest.raises(ConflictError) as locked:
            catalog.operation_times_update(actor=owner, obj=obsolete, setup_minutes=D("24"))
        assert locked.value.code == "locked"


# -- the routing page and the accept action, with their permissions ---------------------------------------------------
def test_the_routing_shows_the_suggestion_beside_the_operation_with_accept(world, owner, member_client):
    url = reverse("catalog:bom_detail", args=[world.pk("catalog.bom#learned")])
    html = owner.get(url).content.decode()
    assert "Learned from the floor" in html
    cell = html[html.index(f'id="learned-{world.pk("catalog.operation#learned")}"') :]
    cell = cell[: cell.index("</td>")]
    assert "20 → <strong>24</strong>" in cell and "(+20 %, median of 3 runs)" in cell
    assert "2 → <strong>2.5</strong>" in cell and "+25 %" in cell
    accept = reverse("production:time_suggestion_accept", args=[world.pk("catalog.operation#learned")])
    assert f'action="{accept}"' in cell and 'name="setup_minutes" value="24.00"' in cell
    assert 'name="csrfmiddlewaretoken" value="' in cell  # rendered apart from the page, with its token
    # an operator sees what the floor says but cannot change the routing
    seen = member_client("operator").get(url).content.decode()
    assert "median of 3 runs" in seen and f'action="{accept}"' not in seen


def test_an_engineer_accepts_from_the_routing(world, member_client):
    engineer = member_client("engineer")
    accept = reverse("production:time_suggestion_accept", args=[world.pk("catalog.operation#learned")])
    response = engineer.post(accept, {"setup_minutes": "24.00", "run_minutes_per_unit": "2.5000"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalog:bom_detail", args=[world.pk("catalog.bom#learned")])
    assert "now plans 24 min setup and 2.5 min per unit" in page_text(response)
    stale = engineer.post(accept, {"setup_minutes": "24.00", "run_minutes_per_unit": "2.5000"}, follow=True)
    assert "unchanged" in page_text(stale)  # accepted already: nothing to suggest
    bad = engineer.post(accept, {"setup_minutes": "-1"})
    assert bad.status_code == 302  # refused with a message, nothing written
    with org_scope(world.org):
        assert Operation.objects.get(pk=world.pk("catalog.operation#learned")).setup_minutes == 24


@pytest.mark.parametrize("role", ["viewer", "operator", "planner"])
def test_without_the_catalogs_edit_permission_nobody_accepts(world, member_client, role):
    client = member_client(role)
    operation = world.pk("catalog.operation#learned")
    web = client.post(reverse("production:time_suggestion_accept", args=[operation]))
    api = client.post(f"/api/v1/operations/{operation}/time-suggestion/accept", {}, content_type="application/json")
    assert (web.status_code, api.status_code) == (403, 403)
    with org_scope(world.org):
        assert Operation.objects.get(pk=operation).setup_minutes == 20


def test_another_organizations_operation_is_not_found(world, their_world, owner, api):
    theirs = their_world.pk("catalog.operation#learned")
    assert owner.post(reverse("production:time_suggestion_accept", args=[theirs])).status_code == 404
    assert api.post(f"/api/v1/operations/{theirs}/time-suggestion/accept", {}, "application/json").status_code == 404
    assert api.get(f"/api/v1/boms/{their_world.pk('catalog.bom#learned')}/time-suggestions").status_code == 404
    with org_scope(their_world.org):
        assert Operation.objects.get(pk=theirs).setup_minutes == 20


def test_the_api_reads_a_revisions_suggestions_and_accepts_one(world, api):
    bom = world.pk("catalog.bom#learned")
    rows = api.get(f"/api/v1/boms/{bom}/time-suggestions").json()
    assert [(row["sequence"], row["suggested_change"]) for row in rows] == [(10, True), (20, False)]
    setup = rows[0]["setup"]
    assert (D(setup["current"]), D(setup["median"]), D(setup["suggested"]), setup["runs"]) == (20, 24, 24, 3)
    assert rows[1]["setup"] is None and rows[1]["run"] is None
    operation = world.pk("catalog.operation#learned")
    changed = api.post(
        f"/api/v1/operations/{operation}/time-suggestion/accept", {"setup_minutes": "30"}, "application/json"
    )
    assert changed.status_code == 409 and changed.json()["code"] == "time_suggestion_changed"
    out_of_range = api.post(
        f"/api/v1/operations/{operation}/time-suggestion/accept", {"setup_minutes": "-1"}, "application/json"
    )
    assert out_of_range.status_code == 422
    accepted = api.post(f"/api/v1/operations/{operation}/time-suggestion/accept", {}, "application/json")
    assert accepted.status_code == 200 and D(accepted.json()["setup_minutes"]) == 24
    assert D(accepted.json()["run_minutes_per_unit"]) == D("2.5")
