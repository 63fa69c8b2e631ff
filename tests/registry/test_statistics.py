"""Programme statistics: the figures, the targets, the CSVs, constant queries, officer-only targets."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.filters import RegistryFilters
from registry.models import ProgrammeTarget, TargetMetric
from registry.statistics import programme_statistics
from tests.factories import ProducerFactory, certify, make_product

from .conftest import World


def test_figures_count_the_generated_certificates(world: World):
    stats = programme_statistics()

    # in force: live 4★, unpublished 3★, expiring 4★, renewed 4★, five_star 5★
    assert stats.in_force == 5
    assert {r.key: r.count for r in stats.by_stars} == {"3": 1, "4": 3, "5": 1}
    assert stats.five_star_share == Decimal("20.0")
    assert {r.label: r.count for r in stats.by_province} == {
        "Bắc Ninh": 2,
        "Đắk Lắk": 2,
        "Thành phố Hà Nội": 1,
    }
    assert {r.key: r.count for r in stats.by_producer_type} == {
        "htx": 2,
        "tht": 0,
        "dn": 2,
        "hkd": 1,
    }
    assert (stats.producers, stats.cooperatives) == (3, 1)
    assert stats.cooperative_share == Decimal("33.3")
    years = {y.year: (y.new, y.renewed) for y in stats.by_year}
    assert years[2020] == (1, 0)
    assert sum(r for _n, r in years.values()) == 1  # the Arabica renewal
    assert sum(n for n, _r in years.values()) == 7


def test_national_targets_are_seeded_and_show_progress(world: World):
    stats = programme_statistics()
    progress = {p.target.metric: p for p in stats.targets if p.target.province_code is None}

    assert progress[TargetMetric.RECOGNISED].target.target_value == 10_000
    assert progress[TargetMetric.RECOGNISED].actual == 5
    assert progress[TargetMetric.RECOGNISED].percent_of_target == Decimal("0.0")  # 0.05 %
    assert progress[TargetMetric.RECOGNISED].met is False
    assert progress[TargetMetric.FIVE_STAR_SHARE].target.target_value == 3
    assert progress[TargetMetric.FIVE_STAR_SHARE].actual == Decimal("20.0")
    assert progress[TargetMetric.FIVE_STAR_SHARE].met is True


def test_a_provinces_own_target_counts_that_province_only(world: World):
    ProgrammeTarget.objects.create(
        province_code=24,
        metric=TargetMetric.NEW_PRODUCTS,
        target_value=80,
        period_start=2020,
        period_end=world.today.year,
    )
    ProgrammeTarget.objects.create(
        province_code=66,
        metric=TargetMetric.RECOGNISED,
        target_value=2,
        period_start=2021,
        period_end=2025,
    )
    stats = programme_statistics(RegistryFilters(province=24))
    scoped = [p for p in stats.targets if p.target.province_code is not None]

    assert [p.target.province_code for p in scoped] == [24]  # not Đắk Lắk's
    assert scoped[0].actual == 3  # Bắc Ninh: live, unpublished and the 2020 honey
    assert stats.in_force == 2


def test_statistics_queries_stay_constant_as_products_grow(world: World, client):
    programme_statistics()
    client.get("/vi/thong-ke/")  # the worker's first request reads the Site once (cms.sitememo)
    with CaptureQueriesContext(connection) as few:
        programme_statistics()
    with CaptureQueriesContext(connection) as few_page:
        assert client.get("/vi/thong-ke/").status_code == 200
    other = ProducerFactory(province_code=66, kind="tht")
    for i in range(5):
        page = make_product(other, title=f"Cà phê thêm {i}", stars=None, publish=False)
        certify(page, stars=3 + i % 3)
        certify(page, stars=4, decision_date=world.today.replace(day=1))
    with CaptureQueriesContext(connection) as many:
        stats = programme_statistics()
    with CaptureQueriesContext(connection) as many_page:
        assert client.get("/vi/thong-ke/").status_code == 200

    assert stats.in_force == 15
    assert len(many) == len(few) <= 8
    assert len(many_page) == len(few_page)


def _csv(client, figure: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/vi/thong-ke/{figure}.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_figure_downloads_as_csv_with_the_pages_numbers(client, world: World):
    page = client.get("/vi/thong-ke/").content.decode()
    for figure in ("tong-quan", "sao", "tinh", "nhom", "loai-chu-the", "nam", "muc-tieu"):
        assert f'href="{figure}.csv"' in page
        rows = _csv(client, figure)
        assert len(rows) > 1, figure
    assert _csv(client, "sao")[1:] == [["3★", "1"], ["4★", "3"], ["5★", "1"]]
    assert _csv(client, "sao", "province=dak-lak")[1:] == [["3★", "0"], ["4★", "2"], ["5★", "0"]]
    assert client.get("/vi/thong-ke/khong-co.csv").status_code == 404


def test_charts_are_accessible_svg_with_a_table_beside_each(client, world: World):
    html = client.get("/en/thong-ke/").content.decode()

    charts = html.count('<svg class="chart" role="img"')
    assert charts == 5
    assert html.count('<title id="chart-') == html.count('<desc id="chart-') == charts
    assert '<desc id="chart-sao-desc">3★: 1; 4★: 3; 5★: 1</desc>' in html
    assert html.count("<table>") == 7
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


@pytest.mark.django_db
def test_officers_edit_province_targets_and_producer_editors_cannot(client, officer, editor):
    client.force_login(officer)
    assert client.get("/admin/programme_targets/").status_code == 200
    response = client.post(
        "/admin/programme_targets/new/",
        {
            "province_code": "24",
            "metric": "new-products",
            "target_value": "80",
            "period_start": "2026",
            "period_end": "2030",
            "source": "Kế hoạch OCOP Bắc Ninh",
        },
    )
    assert response.status_code == 302
    assert ProgrammeTarget.objects.filter(province_code=24, target_value=80).exists()

    client.force_login(editor)
    assert client.get("/admin/programme_targets/").status_code in (302, 403)
    client.post(
        "/admin/programme_targets/new/",
        {"metric": "recognised", "target_value": "1", "period_start": "2026", "period_end": "2030"},
    )
    assert not ProgrammeTarget.objects.filter(target_value=1).exists()


@pytest.mark.django_db
def test_a_target_share_above_100_or_a_backwards_period_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(
        "/admin/programme_targets/new/",
        {
            "metric": "five-star-share",
            "target_value": "120",
            "period_start": "2030",
            "period_end": "2026",
        },
    )
    assert response.status_code == 200
    assert not ProgrammeTarget.objects.filter(target_value=120).exists()
