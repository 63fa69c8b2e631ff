"""Places in Vietnamese order without PyICU: the order of every official name is stored in
catalog/data/place_order.txt; it must be exactly ICU's Vietnamese collation of today's names."""

from __future__ import annotations

import pytest

from catalog import addresses
from catalog.addresses import (
    PLACE_ORDER_FILE,
    bare_name,
    official_bare_names,
    province_choices,
    sort_places,
    vietnamese_key,
    wards_of,
)


def test_the_stored_order_is_icus_order_of_every_official_name():
    stored = PLACE_ORDER_FILE.read_text(encoding="utf-8").splitlines()
    names = official_bare_names()
    assert len(names) > 2800
    assert sorted(stored) == sorted(names), "run: python -m catalog.addresses"
    keys = [vietnamese_key(n) for n in stored]
    assert keys == sorted(keys), "run: python -m catalog.addresses"
    assert len(set(keys)) == len(keys)  # no ties: a sort by rank is a sort by ICU's key


@pytest.fixture
def without_icu(monkeypatch):
    def refuse():
        raise AssertionError("PyICU used")

    monkeypatch.setattr(addresses, "_collator", refuse)


def test_provinces_and_every_provinces_communes_sort_without_icu_as_icu_sorts_them(without_icu):
    provinces = province_choices()
    assert len(provinces) == 34
    stored = PLACE_ORDER_FILE.read_text(encoding="utf-8").splitlines()
    position = {name: i for i, name in enumerate(stored)}
    for code, _name in provinces:
        communes = [bare_name(name) for _code, name in wards_of(code)]
        assert communes, code
        assert [position[n] for n in communes] == sorted(position[n] for n in communes)
    names = [bare_name(name) for _code, name in provinces]
    assert names.index("Cần Thơ") < names.index("Đà Nẵng") < names.index("Điện Biên")


def test_names_that_are_not_official_places_sort_with_icu():
    got = [name for _i, name in sort_places(enumerate(["Hà Nội", "Đồng Nai", "Dak", "Duyên"]))]
    assert got == ["Dak", "Duyên", "Đồng Nai", "Hà Nội"]
