"""The registry's filters: parsed once from a query string, reused by the pages, exports and API.

A bad value never reaches the database: `parse_filters` returns the filters it could read and a
translated message for each one it could not, and the caller shows the messages (400 in the API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.addresses import province_by_slug, province_slug
from catalog.models import MIN_CERTIFIED_STARS, ProducerType
from registry.status import RegistryStatus

FIRST_YEAR = 2018  # the programme began with 490/QĐ-TTg (2018)
MAX_QUERY_LENGTH = 100
FILTER_NAMES = ("province", "group", "stars", "producer_type", "year", "status", "q")


@dataclass(frozen=True)
class RegistryFilters:
    province: int | None = None  # official province code (2025 units)
    group: str = ""  # slug of a top-level OCOP group (any criteria version)
    stars: int | None = None
    producer_type: str = ""
    year: int | None = None  # year of the decision
    status: str = ""
    q: str = ""

    def as_params(self) -> dict[str, str]:
        """The query-string form (what `parse_filters` reads back)."""
        params = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        if self.province is not None:
            params["province"] = province_slug(self.province)
        return {k: str(v) for k, v in params.items()}

    @property
    def active(self) -> bool:
        return bool(self.as_params())


@dataclass
class ParsedFilters:
    filters: RegistryFilters
    errors: dict[str, str] = field(default_factory=dict)


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except (TypeError, ValueError):
        return None


def parse_filters(params: Mapping[str, str], today: dt.date | None = None) -> ParsedFilters:
    """Read the filters from `params` (request.GET or the API's query); never raises."""
    from catalog.models import OcopGroup

    today = today or timezone.localdate()
    values: dict[str, object] = {}
    errors: dict[str, str] = {}

    def raw(name: str) -> str:
        value = params.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    if slug := raw("province"):
        province = province_by_slug(slug)
        if province is None:
            errors["province"] = _("There is no province “%(value)s”.") % {"value": slug[:60]}
        else:
            values["province"] = int(province.code)
    if slug := raw("group"):
        if OcopGroup.objects.filter(slug=slug, parent__isnull=True).exists():
            values["group"] = slug
        else:
            errors["group"] = _("There is no OCOP group “%(value)s”.") % {"value": slug[:60]}
    if text := raw("stars"):
        stars = _int(text)
        if stars is None or not MIN_CERTIFIED_STARS <= stars <= 5:
            errors["stars"] = _("Stars are a whole number from %(low)s to 5.") % {
                "low": MIN_CERTIFIED_STARS
            }
        else:
            values["stars"] = stars
    if kind := raw("producer_type"):
        if kind in ProducerType.values:
            values["producer_type"] = kind
        else:
            errors["producer_type"] = _("The producer type is one of: %(values)s.") % {
                "values": ", ".join(ProducerType.values)
            }
    if text := raw("year"):
        year = _int(text)
        if year is None or not FIRST_YEAR <= year <= today.year:
            errors["year"] = _("The year of decision is between %(first)s and %(last)s.") % {
                "first": FIRST_YEAR,
                "last": today.year,
            }
        else:
            values["year"] = year
    if status := raw("status"):
        if status in RegistryStatus.values:
            values["status"] = status
        else:
            errors["status"] = _("The status is one of: %(values)s.") % {
                "values": ", ".join(RegistryStatus.values)
            }
    if q := raw("q"):
        if len(q) > MAX_QUERY_LENGTH or "\x00" in q:
            errors["q"] = _("Search for at most %(n)s characters.") % {"n": MAX_QUERY_LENGTH}
        else:
            values["q"] = q
    return ParsedFilters(RegistryFilters(**values), errors)  # type: ignore[arg-type]
