"""A query compiled once per process gives the rows the ORM gives, for each parameter value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cms.prepared import PreparedQuery
from tests.factories import make_batch
from traceability.models import Batch, GrowingArea, TraceEvent

FIELDS = ("short_code", "harvested_on", "quantity", "created_at", "variant__page__title")


def _orm(code):
    return Batch.objects.filter(short_code=code).order_by("id").values_list(*FIELDS)


def test_rows_are_the_orms_values_list_for_each_code(product, django_assert_num_queries):
    first = make_batch(product, events=0, quantity=Decimal("12.50"))
    second = make_batch(product, events=0, harvested_on=None)
    prepared = PreparedQuery(_orm)
    for batch in (first, second, first):
        with django_assert_num_queries(1):
            rows = prepared.rows(batch.short_code)
        assert rows == list(_orm(batch.short_code))
        assert rows[0][0] == batch.short_code
    harvested, quantity, created = prepared.rows(first.short_code)[0][1:4]
    assert isinstance(harvested, dt.date) and quantity == Decimal("12.50")
    assert created.tzinfo is not None
    assert prepared.rows("NOSUCHCODE") == []


def test_json_and_left_joined_rows_convert_like_the_orm(product):
    batch = make_batch(product, events=2)
    area = GrowingArea.objects.filter(batches=batch)
    fields = ("code", "outline", "area_ha", "certifications__valid_until")
    prepared = PreparedQuery(
        lambda code: area.model.objects.filter(batches__short_code=code).values_list(*fields)
    )
    rows = prepared.rows(batch.short_code)
    assert rows == list(area.values_list(*fields))
    assert isinstance(rows[0][1], dict) and rows[0][3] is None  # no standard: NULLs


def test_the_queryset_is_built_once(product):
    batch = make_batch(product, events=3)
    built = []

    def build(code):
        built.append(code)
        return TraceEvent.objects.filter(batch__short_code=code).values_list("kind")

    prepared = PreparedQuery(build)
    assert len(prepared.rows(batch.short_code)) == 3
    assert len(prepared.rows("OTHER")) == 0
    assert len(prepared.rows(batch.short_code)) == 3
    assert len(built) == 1


@pytest.mark.parametrize(
    "build",
    [
        lambda code: Batch.objects.filter(short_code__icontains=code).values_list("id"),
        lambda code: Batch.objects.filter(lot_code="x").values_list("id"),
        lambda code: Batch.objects.filter(short_code=code),
    ],
    ids=["parameter changed on its way", "parameter unused", "not a values_list"],
)
def test_a_query_it_cannot_prepare_is_refused(db, build):
    with pytest.raises(ValueError):
        PreparedQuery(build).rows("ABC")


def test_reads_go_where_the_routers_send_the_models_reads(product, monkeypatch):
    from cms import prepared

    batch = make_batch(product, events=0)
    expected = list(_orm(batch.short_code))
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(prepared.router, "db_for_read", db_for_read)
    query = PreparedQuery(_orm)
    assert query.rows(batch.short_code) == expected
    assert asked == [Batch]
    with pytest.raises(Exception, match="elsewhere"):
        PreparedQuery(_orm, using="elsewhere").rows(batch.short_code)
