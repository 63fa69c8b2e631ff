"""Vietnam's administrative units after the 2025 reform (34 provinces, 3,321 communes/wards).

Backed by the `vietnam-provinces` package; nothing here is hand-typed.

Places are listed in Vietnamese alphabetical order (ICU's CLDR collation). The order of every
official name is computed once, when the package changes, into `data/place_order.txt`
(`python -m catalog.addresses` writes it; a test checks it against ICU), so the pages that
list provinces and communes never load PyICU (≈ 9 MiB per worker); other names sort with ICU.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.text import slugify
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

if TYPE_CHECKING:
    import icu


@cache
def _provinces() -> dict[int, Province]:
    return {int(p.code): p for p in Province.iter_all()}


@cache
def _wards() -> dict[int, Ward]:
    return {int(w.code): w for w in Ward.iter_all()}


# Administrative prefixes a reader skips when looking a place up ("Thành phố Huế" under H).
UNIT_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


@cache
def _collator() -> icu.Collator:
    """ICU's Vietnamese collation (CLDR): a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư.

    PyICU (≈ 9 MiB) is imported by the first sort, not at start-up."""
    import icu

    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def bare_name(name: str) -> str:
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def vietnamese_key(name: str) -> bytes:
    """Sort key: Vietnamese alphabetical order of the name without its unit prefix."""
    return _collator().getSortKey(bare_name(name))


PLACE_ORDER_FILE = Path(__file__).with_name("data") / "place_order.txt"


def official_bare_names() -> set[str]:
    """The names of every province and commune without their unit prefix."""
    places = [*_provinces().values(), *_wards().values()]
    return {bare_name(place.name) for place in places}


def write_place_order(path: Path = PLACE_ORDER_FILE) -> None:
    """Writes the official names in Vietnamese order, one a line (needs PyICU)."""
    names = sorted(official_bare_names(), key=lambda n: (vietnamese_key(n), n))
    path.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")


@cache
def _place_rank() -> dict[str, int]:
    """Official name without its prefix → its rank in Vietnamese order."""
    names = PLACE_ORDER_FILE.read_text(encoding="utf-8").splitlines()
    return {name: i for i, name in enumerate(names)}


def sort_places(items, name=lambda item: item[1]) -> list:
    """Places (provinces, communes, or anything named after one) in Vietnamese order: by the
    precomputed rank when every name is an official one, else by ICU's key."""
    items = list(items)
    bare = [bare_name(name(item)) for item in items]
    rank = _place_rank()
    if all(n in rank for n in bare):
        order = sorted(range(len(items)), key=lambda i: rank[bare[i]])
    else:
        order = sorted(range(len(items)), key=lambda i: _collator().getSortKey(bare[i]))
    return [items[i] for i in order]


def province_choices() -> list[tuple[int, str]]:
    return sort_places((code, p.name) for code, p in _provinces().items())


def province_name(code: int | None) -> str:
    province = _provinces().get(int(code)) if code else None
    return province.name if province else ""


def short_province_name(code: int | None) -> str:
    """'Thành phố Hà Nội' → 'Hà Nội' (for cards and facets)."""
    return bare_name(province_name(code)) if code else ""


def province_slug(code: int) -> str:
    return slugify(_provinces()[code].codename.replace("_", "-"))


def province_by_slug(slug: str) -> Province | None:
    for code, province in _provinces().items():
        if province_slug(code) == slug:
            return province
    return None


def ward_name(code: int | None) -> str:
    ward = _wards().get(int(code)) if code else None
    return ward.name if ward else ""


def wards_of(province_code: int) -> list[tuple[int, str]]:
    return sort_places(
        (int(w.code), w.name) for w in Ward.iter_by_province(ProvinceCode(province_code))
    )


class AdministrativeAddressMixin:
    """Names and a one-line address for a model with `province_code`, `ward_code` and,
    optionally, `street_address` (producers, orders, growing areas)."""

    @property
    def province_name(self) -> str:
        return province_name(self.province_code)

    @property
    def ward_name(self) -> str:
        return ward_name(self.ward_code)

    @property
    def address(self) -> str:
        parts = (getattr(self, "street_address", ""), self.ward_name, self.province_name)
        return ", ".join(p for p in parts if p)


def ward_in_province(ward_code: int, province_code: int) -> bool:
    ward = _wards().get(int(ward_code))
    return ward is not None and int(ward.province_code) == int(province_code)


def find_ward(province_code: int, name_contains: str) -> int:
    """The code of the first ward of a province whose name contains the text (demo data)."""
    for code, name in wards_of(province_code):
        if name_contains.lower() in name.lower():
            return code
    raise LookupError(f"No ward containing {name_contains!r} in province {province_code}")


if __name__ == "__main__":  # python -m catalog.addresses: after upgrading vietnam-provinces
    write_place_order()


__all__ = ["WardCode", "province_choices", "province_name", "ward_name", "wards_of"]
