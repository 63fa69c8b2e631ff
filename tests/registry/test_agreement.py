"""Registry page, CSV, XLSX, API and statistics give the catalogue's counts, filter by filter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from ninja.testing import TestClient
from openpyxl import load_workbook

from catalog.models import MIN_CERTIFIED_STARS, Certificate
from registry.api import router

from .conftest import World

STATUS_QUERIES = ["", "status=in-force", "status=expiring", "status=expired", "status=revoked"]
OTHER_QUERIES = ["province=dak-lak", "stars=4", "producer_type=htx", "q=mat+ong", "year=2020"]


@pytest.fixture
def api():
    return TestClient(router)


def _page_total(client, query: str) -> int:
    html = client.get(f"/vi/ocop/?{query}").content.decode()
    match = re.search(r'class="registry-count" role="status">(\d+) ', html)
    assert match, html[-3000:]
    return int(match.group(1))


def _csv_rows(client, query: str) -> list[list[str]]:
    response = client.get(f"/vi/ocop/danh-sach.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def _xlsx_rows(client, query: str) -> list[tuple]:
    response = client.get(f"/vi/ocop/danh-sach.xlsx?{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))[1:]


def _catalogue_count(world: World, query: str) -> int:
    """The same count straight from the catalogue's own rules (CertificateQuerySet.in_force)."""
    recognised = Certificate.objects.filter(stars__gte=MIN_CERTIFIED_STARS)
    in_force = recognised.in_force(world.today)
    soon = world.today + dt.timedelta(days=90)
    counts = {
        "": recognised,
        "status=in-force": in_force.filter(expires_on__gt=soon),
        "status=expiring": in_force.filter(expires_on__lte=soon),
        "status=expired": recognised.filter(revoked_at__isnull=True, expires_on__lt=world.today),
        "status=revoked": recognised.filter(revoked_at__isnull=False),
    }
    return counts[query].count()


@pytest.mark.parametrize("query", STATUS_QUERIES)
def test_page_csv_xlsx_and_api_list_the_catalogues_certificates(client, api, world, query):
    expected = _catalogue_count(world, query)

    assert _page_total(client, query) == expected
    csv_rows = _csv_rows(client, query)
    xlsx_rows = _xlsx_rows(client, query)
    api_page = api.get(f"/registry?{query}&page_size=100").json()
    assert len(csv_rows) == len(xlsx_rows) == api_page["count"] == expected
    decisions = sorted(r["decision_number"] for r in api_page["results"])
    assert sorted(r[8] for r in csv_rows) == sorted(r[8] for r in xlsx_rows) == decisions


@pytest.mark.parametrize("query", OTHER_QUERIES)
def test_every_output_applies_the_same_filters(client, api, world, query):
    total = _page_total(client, query)

    assert len(_csv_rows(client, query)) == total
    assert len(_xlsx_rows(client, query)) == total
    assert api.get(f"/registry?{query}").json()["count"] == total
    assert total > 0


def test_statistics_count_what_the_registry_lists_as_in_force(client, api, world):
    stats = api.get("/statistics").json()
    in_force = _page_total(client, "status=in-force") + _page_total(client, "status=expiring")

    assert stats["in_force"] == in_force
    assert stats["in_force"] == Certificate.objects.certified(world.today).count()
    for dimension in ("by_stars", "by_province", "by_group", "by_producer_type"):
        assert sum(r["count"] for r in stats[dimension]) == in_force, dimension
    for row in stats["by_stars"]:
        assert row["count"] == _page_total(client, f"stars={row['key']}&status=in-force") + (
            _page_total(client, f"stars={row['key']}&status=expiring")
        )
    decisions = sum(y["new"] + y["renewed"] for y in stats["by_year"])
    assert decisions == _page_total(client, "")


def test_api_entries_carry_no_private_data(api, world):
    entry = api.get("/registry").json()["results"][0]

    for private in ("score_a", "score_b", "score_c", "evidence", "phone", "email", "tax_code"):
        assert private not in entry
    badges = {r["decision_number"]: r["ocop_badge"] for r in api.get("/registry").json()["results"]}
    assert badges[world.revoked.decision_number] is False
    assert badges[world.expired.decision_number] is False
    assert badges[world.live.decision_number] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["stars=9", "province=x", "status=valid", "page=0", "page_size=1000", "year=abc"]
)
def test_api_answers_a_bad_filter_with_400_and_the_reason(api, site, query):
    for path in ("/registry", "/statistics"):
        if path == "/statistics" and query.startswith("page"):
            continue
        response = api.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.content)
        name = query.split("=")[0]
        assert name in response.json()["errors"]


def test_csv_cells_never_run_as_spreadsheet_formulas(client, world):
    world.live.product.producer.__class__.objects.filter(pk=world.live.product.producer_id).update(
        name='=HYPERLINK("http://x")'
    )
    rows = _csv_rows(client, "")
    assert any(r[1] == '\'=HYPERLINK("http://x")' for r in rows)
    assert all(not r[1].startswith("=") for r in rows)
