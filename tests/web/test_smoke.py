import pytest

from tests.factories import login_client, make_org

PAGES = [
    "/",
    "/settings/organization/",
    "/settings/members/",
    "/settings/roles/",
    "/settings/api-keys/",
    "/control/audit/",
    "/profile/",
    "/profile/activity/",
    "/accounts/2fa/",
    "/accounts/password/change/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_owner_sees_every_platform_page(path):
    org, owner = make_org()
    response = login_client(owner.user, org).get(path)
    assert response.status_code == 200
    assert org.display_name.encode() in response.content


@pytest.mark.django_db
def test_health_endpoints_need_no_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"
