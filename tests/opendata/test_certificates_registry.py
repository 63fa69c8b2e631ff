"""/api/v1/certificates lists what the registry lists: every recognised product, sold online or
not, expired and revoked ones as such (issue 14). Same data, compared row by row."""

from __future__ import annotations

import pytest

from tests.registry.conftest import World, world_data  # noqa: F401  (the registry's data)


@pytest.fixture
def world(world_data, db) -> World:  # noqa: F811
    return world_data


STATUS_QUERIES = ["", "status=in-force", "status=expiring", "status=expired", "status=revoked"]


def _rows(client, path: str, query: str) -> dict[str, tuple]:
    body = client.get(f"/api/v1/{path}?{query}&page_size=100").json()
    assert body["count"] == len(body["results"])
    return {
        r["decision_number"]: (r["status"], r["stars"], r.get("shows_badge", r.get("ocop_badge")))
        for r in body["results"]
    }


@pytest.mark.parametrize("query", STATUS_QUERIES)
def test_certificates_endpoint_lists_the_registrys_rows(client, world: World, query):
    certificates = _rows(client, "certificates", query)
    registry = _rows(client, "registry", query)
    assert certificates.keys() == registry.keys()
    assert certificates == registry  # status, stars, badge


def test_products_not_sold_online_and_lapsed_ones_are_listed_as_such(client, world: World):
    certificates = _rows(client, "certificates", "")
    assert set(certificates) == {c.decision_number for c in world.listed}
    assert world.unrated.decision_number not in certificates  # 2★ is not a recognition
    assert certificates[world.unpublished.decision_number] == ("in-force", 3, True)
    assert certificates[world.expired.decision_number][0] == "expired"
    assert certificates[world.revoked.decision_number][0] == "revoked"
    assert certificates[world.expired.decision_number][2] is False
    assert certificates[world.revoked.decision_number][2] is False


def test_one_certificate_of_a_product_not_on_sale_is_found(client, world: World):
    response = client.get(f"/api/v1/certificates/{world.revoked.pk}")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert client.get(f"/api/v1/certificates/{world.unrated.pk}").status_code == 404
