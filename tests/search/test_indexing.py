"""The index follows the catalogue right after commit, through a background task, on every
available engine (the database always; a node when one is configured, see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Certificate, ProductVariant
from catalog.search import get_search_engine, index_product_later
from catalog.search.query import SearchQuery
from tests.factories import make_product
from tests.search.conftest import ENGINES, engine_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=ENGINES)
def engine_name(request, settings):
    """The engine the search calls of each test go to; a node's indices are dropped after."""
    for name, value in engine_settings(request.param, request).items():
        setattr(settings, name, value)
    yield request.param
    if request.param != "database":
        get_search_engine().drop_indices()


def found(text: str) -> list:
    return get_search_engine().search(SearchQuery(text=text)).hits


@pytest.fixture
def pomelo(producer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_product(producer, title="Bưởi Diễn", summary="Bưởi ngọt thanh.")


def test_publishing_a_product_indexes_it_right_after_commit(pomelo):
    assert [h.title for h in found("buoi dien")] == ["Bưởi Diễn"]


def test_indexing_waits_for_the_commit(producer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_product(producer, title="Bưởi Diễn")
    assert found("buoi dien") == []  # nothing happens inside the editor's transaction
    for callback in callbacks:
        callback()
    assert len(found("buoi dien")) == 1


def test_unpublishing_removes_the_product(pomelo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pomelo.unpublish()
    assert found("buoi dien") == []


def test_revoking_the_certificate_removes_the_product(pomelo, django_capture_on_commit_callbacks):
    from catalog.services import revoke_certificate

    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(Certificate.objects.get(product=pomelo), reason="Vi phạm")
    assert found("buoi dien") == []


def test_daily_certificate_check_removes_expired_products(
    pomelo, django_capture_on_commit_callbacks
):
    from catalog.services import run_certificate_checks

    Certificate.objects.filter(product=pomelo).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_certificate_checks()
    assert found("buoi dien") == []


def test_certification_change_updates_the_stars(pomelo, django_capture_on_commit_callbacks):
    from catalog.services import certification_changed

    Certificate.objects.filter(product=pomelo).update(stars=5)
    with django_capture_on_commit_callbacks(execute=True):
        certification_changed(pomelo.pk)
    assert found("buoi dien")[0].stars == 5


def test_stock_and_price_changes_reach_the_index_through_index_product_later(
    pomelo, django_capture_on_commit_callbacks
):
    ProductVariant.objects.filter(page=pomelo).update(stock=0, price=99_000)
    assert found("buoi dien")[0].in_stock is True  # not yet re-indexed
    with django_capture_on_commit_callbacks(execute=True):
        index_product_later(pomelo.pk)
    hit = found("buoi dien")[0]
    assert (hit.in_stock, hit.min_price) == (False, 99_000)


def test_reindexing_an_alias_id_updates_the_source_document(
    pomelo, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    from cms.services import translate_tree

    translate_tree(pomelo.get_parent().get_parent().get_parent())
    alias = pomelo.get_translation(Locale.objects.get(language_code="en"))
    ProductVariant.objects.filter(page=pomelo).update(price=77_000)
    with django_capture_on_commit_callbacks(execute=True):
        index_product_later(alias.pk)
    hits = found("buoi dien")
    assert [(h.product_id, h.min_price) for h in hits] == [(pomelo.pk, 77_000)]


def test_rebuild_command_indexes_every_certified_product(producer, capsys, engine_name):
    make_product(producer, title="Bưởi Diễn")
    make_product(producer, title="Cam Cao Phong")
    make_product(producer, title="Bản nháp chưa công bố", publish=False)
    assert found("buoi dien") == []  # created inside the test transaction: never committed
    call_command("rebuild_catalog_index", "--no-progress")
    assert f"Indexed 2 products with the {engine_name} engine." in capsys.readouterr().out
    assert len(found("cam cao phong")) == 1


def test_deleting_a_product_page_removes_its_document(pomelo, django_capture_on_commit_callbacks):
    assert len(found("buoi dien")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        pomelo.delete()
    assert found("buoi dien") == []
    assert get_search_engine().search(SearchQuery()).total == 0
