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
