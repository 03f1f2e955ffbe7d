"""Sites, work centers and calendars through the API: round trips, rules, and clear field errors."""

from datetime import UTC, datetime


def test_site_and_work_center_round_trip(api, world):
    site = api.post(
        "/api/v1/sites",
        {"code": "WEST", "name": "West plant", "city": "Perth", "time_zone": "Australia/Perth"},
        content_type="application/json",
    )
    assert site.status_code == 201, site.content
    body = site.json()
    assert body["data_region"] == world.org.data_region and body["country"] == world.org.country
    wc = api.post(
        "/api/v1/work-centers",
        {
            "site": body["id"],
            "code": "PB2",
            "name": "Press brake 2",
            "kind": "press_brake",
            "machines": 2,
            "machine_rate": "95.50",
            "labour_rate": "61.25",
            "efficiency_pct": "85",
        },
        content_type="application/json",
    )
    assert wc.status_code == 201, wc.content
    got = api.get(f"/api/v1/work-centers/{wc.json()['id']}").json()
    assert (got["machines"], got["machine_rate"], got["efficiency_pct"]) == (2, "95.50", "85.0")
    listed = api.get(f"/api/v1/work-centers?site={body['id']}&ordering=-code").json()
    assert [w["code"] for w in listed["items"]] == ["PB2"]
    assert api.get("/api/v1/work-centers?q=fibre").json()["count"] == 1


def test_duplicate_codes_and_bad_values_name_their_field(api, world):
    dup = api.post("/api/v1/sites", {"code": "MAIN", "name": "Again"}, content_type="application/json")
    assert dup.status_code == 400 and "already exists" in dup.json()["errors"][0]["message"]
    bad_tz = api.post(
        "/api/v1/sites", {"code": "X", "name": "X", "time_zone": "Mars/Base"}, content_type="application/json"
    )
    assert bad_tz.status_code == 422 and bad_tz.json()["errors"][0]["field"] == "time_zone"  # not one of the choices
    wc_id = world.pk("facilities.workcenter")
    eff = api.patch(f"/api/v1/work-centers/{wc_id}", {"efficiency_pct": "0"}, content_type="application/json")
    assert eff.status_code == 422 and eff.json()["errors"][0]["field"] == "efficiency_pct"


def test_a_foreign_or_unknown_site_is_a_field_error_not_a_leak(api, world, their_world):
    other = their_world
    for site_id in (other.pk("facilities.site"), 987654):
        response = api.post(
            "/api/v1/work-centers",
            {"site": site_id, "code": "Z1", "name": "Z", "kind": "saw"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"field": "site", "message": f"No site with id {site_id}.", "code": "unknown_reference"}
        ]


def test_a_work_center_calendar_must_belong_to_its_site(api, world):
    other_site = api.post("/api/v1/sites", {"code": "EAST", "name": "East"}, content_type="application/json").json()
    response = api.patch(
        f"/api/v1/work-centers/{world.pk('facilities.workcenter')}",
        {"site": other_site["id"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "calendar"


def test_closures_without_an_offset_are_the_sites_local_time(api, world):
    calendar = world.pk("facilities.calendar")  # its site is in Australia/Sydney (AEDT, UTC+11, in December)
    response = api.post(
        "/api/v1/closures",
        {
            "calendar": calendar,
            "starts_at": "2026-12-04T13:00:00",
            "ends_at": "2026-12-04T17:00:00",
            "reason": "Compressor service",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    starts = datetime.fromisoformat(response.json()["starts_at"]).astimezone(UTC)
    assert starts == datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    backwards = api.post(
        "/api/v1/closures",
        {"calendar": calendar, "starts_at": "2026-12-04T17:00:00", "ends_at": "2026-12-04T13:00:00", "reason": "Oops"},
        content_type="application/json",
    )
    assert backwards.status_code == 400


def test_a_site_in_use_cannot_be_deleted(api, world):
    response = api.delete(f"/api/v1/sites/{world.pk('facilities.site')}")
    assert response.status_code == 400 and "still used by" in response.json()["errors"][0]["message"]
    assert api.get(f"/api/v1/sites/{world.pk('facilities.site')}").status_code == 200
