"""Every change that alters what a search shows re-indexes the products it touches, after commit,
on every available engine: a producer's name, province or type, a certificate recorded or
revoked, a variant's price or stock."""

from __future__ import annotations

import pytest

from catalog.models import Certificate, ProducerType, ProductVariant
from catalog.search import get_search_engine
from catalog.search.query import SearchQuery
from tests.factories import CertificateFactory, make_product
from tests.search.conftest import ENGINES, engine_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=ENGINES)
def engine_name(request, settings):
    for name, value in engine_settings(request.param, request).items():
        setattr(settings, name, value)
    yield request.param
    if request.param != "database":
        get_search_engine().drop_indices()


def search(**kwargs):
    return get_search_engine().search(SearchQuery(**kwargs))


@pytest.fixture
def pomelo(producer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_product(
            producer,
            title="Bưởi Diễn",
            variants=[{"name": "Quả 1 kg", "price": 80_000, "stock": 10}],
        )


def test_renaming_a_producer_reindexes_its_products_after_commit(
    pomelo, producer, django_capture_on_commit_callbacks
):
    old_name = str(producer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        producer.name = "Hợp tác xã Bưởi Phú Diễn"
        producer.short_name = "HTX Bưởi Phú Diễn"
        producer.save()
    # Nothing happens inside the editor's transaction.
    assert search(text="buoi dien").hits[0].producer_name == old_name
    for callback in callbacks:
        callback()
    hits = search(text="buoi dien").hits
    assert [h.producer_name for h in hits] == ["HTX Bưởi Phú Diễn"]
    assert [h.title for h in search(text="buoi phu dien").hits] == ["Bưởi Diễn"]


def test_moving_a_producer_to_another_province_reindexes_its_products(
    pomelo, producer, django_capture_on_commit_callbacks
):
    from catalog.addresses import wards_of

    with django_capture_on_commit_callbacks(execute=True):
        producer.province_code = 1
        producer.ward_code = wards_of(1)[0][0]
        producer.save()
    assert [h.title for h in search(provinces=[1]).hits] == ["Bưởi Diễn"]
    assert search(provinces=[24]).total == 0


def test_changing_a_producers_type_reindexes_its_products(
    pomelo, producer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        producer.kind = ProducerType.ENTERPRISE
        producer.save()
    assert [h.title for h in search(kinds=["dn"]).hits] == ["Bưởi Diễn"]


def test_saving_a_producer_unchanged_queues_nothing(
    pomelo, producer, django_capture_on_commit_callbacks, monkeypatch
):
    from catalog.search import tasks

    queued = []
    monkeypatch.setattr(tasks, "index_products_later", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        producer.phone = "0987654321"
        producer.save()
    assert queued == []


def test_recording_a_certificate_reindexes_the_product(pomelo, django_capture_on_commit_callbacks):
    from catalog.services import record_certificate

    built = CertificateFactory.build(product=pomelo, stars_wanted=5)
    fields = {
        f.name: getattr(built, f.name)
        for f in Certificate._meta.concrete_fields
        if not f.primary_key and getattr(built, f.attname, None) is not None
    }
    with django_capture_on_commit_callbacks(execute=True):
        record_certificate(**fields)
    assert search(text="buoi dien").hits[0].stars == 5


def test_revoking_the_certificate_removes_the_product(pomelo, django_capture_on_commit_callbacks):
    from catalog.services import revoke_certificate

    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(Certificate.objects.get(product=pomelo), reason="Vi phạm")
    assert search(text="buoi dien").total == 0


def test_changing_a_price_reindexes_the_product(pomelo, django_capture_on_commit_callbacks):
    variant = ProductVariant.objects.get(page=pomelo)
    with django_capture_on_commit_callbacks(execute=True):
        variant.price = 65_000
        variant.save()
    assert search(text="buoi dien").hits[0].min_price == 65_000
    assert search(text="buoi dien", price_max=70_000).total == 1


def test_selling_out_reindexes_the_product(pomelo, django_capture_on_commit_callbacks):
    variant = ProductVariant.objects.get(page=pomelo)
    with django_capture_on_commit_callbacks(execute=True):
        variant.stock = 0
        variant.save()
    assert search(text="buoi dien").hits[0].in_stock is False


def test_a_new_variant_reindexes_the_product(pomelo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ProductVariant.objects.create(
            page=pomelo, name="Quả 2 kg", price=150_000, weight_grams=2000, stock=3
        )
    assert search(text="buoi dien").hits[0].variant_count == 2


def test_a_new_products_words_are_forgiven_typos_at_once(
    pomelo, producer, django_capture_on_commit_callbacks
):
    """The engine keeps the catalogue's vocabulary in memory: a word that arrives with a new
    product must be known (and its typos forgiven) by the very next search."""
    assert search(text="buoi").total == 1  # the vocabulary is now held
    assert search(text="mangcut").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_product(producer, title="Măng cụt Lái Thiêu")
    results = search(text="mang cuut")  # a letter doubled in "cụt"
    assert [hit.title for hit in results.hits] == ["Măng cụt Lái Thiêu"]
