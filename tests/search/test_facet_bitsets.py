"""The facet index's bitsets, checked against plain Python sets on generated inputs.

Few positions are set bit by bit in a byte buffer, many through one digit string parsed by
int(); both must give the same set of documents whatever the ids (gaps, unknown ids,
duplicates, any order).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.search.facets import FacetIndex, count_levels, mask_of, positions_of

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def index_of(ids: list[int]) -> FacetIndex:
    rows = [(pk, 1, 2, "01", 3 + pk % 3, "htx", 1000, dt.date(2030, 1, 1), NOW) for pk in ids]
    return FacetIndex.from_rows(rows)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    ids=st.lists(st.integers(1, 5000), min_size=1, max_size=1500, unique=True).map(sorted),
    asked=st.lists(st.integers(0, 6000), max_size=2500),
)
def test_of_ids_holds_exactly_the_known_ids_asked_for(ids, asked):
    index = index_of(ids)
    mask = index.of_ids(asked)
    assert {index.ids[p] for p in positions_of(mask)} == set(asked) & set(ids)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(positions=st.lists(st.integers(0, 2999), max_size=2000), size=st.just(3000))
def test_mask_of_sets_exactly_the_given_positions(positions, size):
    assert positions_of(mask_of(positions, size)) == sorted(set(positions))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(sets=st.lists(st.sets(st.integers(0, 63)), max_size=4), universe=st.sets(st.integers(0, 63)))
def test_count_levels_groups_by_how_many_sets_hold_each_bit(sets, universe):
    levels = count_levels([mask_of(sorted(s), 64) for s in sets], mask_of(sorted(universe), 64))
    for j, level in zip(range(len(sets), -1, -1), levels, strict=True):
        expected = {b for b in universe if sum(b in s for s in sets) == j}
        assert set(positions_of(level)) == expected


def test_take_in_groups_pages_through_groups_in_turn():
    index = index_of(list(range(1, 11)))
    first = mask_of([0, 1, 2], 10)  # ids 1-3
    second = mask_of([5, 6], 10)  # ids 6-7
    whole = index.take_in_groups("stars", [first, second], 0, 10)
    assert sorted(whole[:3]) == [1, 2, 3] and sorted(whole[3:]) == [6, 7]
    pages = [index.take_in_groups("stars", [first, second], o, 2) for o in (0, 2, 4)]
    assert [pk for page in pages for pk in page] == whole


DAY = dt.date(2027, 1, 1)
row_fields = st.tuples(
    st.integers(3, 5),  # stars
    st.one_of(st.none(), st.integers(0, 4).map(lambda k: k * 50_000)),  # price, often tied
    st.integers(-3, 3).map(lambda d: DAY + dt.timedelta(days=d)),  # certified until
    st.integers(0, 3).map(lambda h: NOW + dt.timedelta(hours=h)),  # published, often tied
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    ids=st.lists(st.integers(1, 500), min_size=1, max_size=60, unique=True).map(sorted),
    fields=st.lists(row_fields, min_size=60, max_size=60),
    bounds=st.tuples(
        st.one_of(st.none(), st.integers(-1, 250_000)),
        st.one_of(st.none(), st.integers(0, 250_000)),
    ),
)
def test_orders_and_ranges_follow_their_definitions(ids, fields, bounds):
    rows = [
        (pk, 1, 2, 1, stars, "htx", price, until, published)
        for pk, (stars, price, until, published) in zip(ids, fields, strict=False)
    ]
    index = FacetIndex.from_rows(iter(rows))
    by = {row[0]: row for row in rows}
    price = {pk: -1 if row[6] is None else row[6] for pk, row in by.items()}
    stamp = {pk: row[8].timestamp() for pk, row in by.items()}
    expected = {
        "newest": sorted(ids, key=lambda pk: (-stamp[pk], -pk)),
        "price_asc": sorted(ids, key=lambda pk: (price[pk] < 0, price[pk], pk)),
        "price_desc": sorted(ids, key=lambda pk: (price[pk] < 0, -price[pk], -pk)),
        "stars": sorted(ids, key=lambda pk: (-by[pk][4], -stamp[pk], pk)),
    }
    for name, order in expected.items():
        assert [index.ids[p] for p in index.orders[name]] == order
        assert index.take(name, index.all, 0, len(ids)) == order
    in_force = {pk for pk in ids if by[pk][7] >= DAY}
    assert {index.ids[p] for p in positions_of(index.in_force(DAY))} == in_force
    low, high = bounds
    in_range = {
        pk
        for pk in ids
        if price[pk] >= (0 if low is None else low) and (high is None or price[pk] <= high)
    }
    assert {index.ids[p] for p in positions_of(index.price_range(low, high))} == in_range
