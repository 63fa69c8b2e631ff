"""The scan page's date filters write exactly what Django's `date` filter writes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from traceability.models import EventKind
from traceability.scanpage import choice_label

PAIRS = (
    '{{ v|date:"d/m/Y" }}',
    "{{ v|dmy }}",
    '{{ v|date:"d/m/Y H:i" }}',
    "{{ v|dmy_hm }}",
    "{{ v|date:'c' }}",
    "{{ v|iso }}",
)
TEMPLATE = Template("{% load trace_tags %}" + "|".join(PAIRS))
DATES = Template("{% load trace_tags %}" + "|".join(PAIRS[:2]))
ZONES = st.sampled_from(["Asia/Ho_Chi_Minh", "UTC", "America/St_Johns", "Pacific/Kiritimati"])


def _rendered(value) -> list[str]:
    return TEMPLATE.render(Context({"v": value})).split("|")


def _assert_same(value):
    out = _rendered(value)
    assert out[1] == out[0] and out[3] == out[2] and out[5] == out[4]


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(dt.UTC),
    ),
    zone=ZONES,
)
def test_datetimes_in_the_current_time_zone(moment, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        _assert_same(moment)


@settings(max_examples=100, deadline=None)
@given(day=st.dates())
def test_dates(day):
    out = DATES.render(Context({"v": day})).split("|")
    assert out[1] == out[0]


def test_nothing_shows_nothing():
    for value in (None, "", "not a date"):
        out = _rendered(value)
        assert out[1] == out[0] == "" and out[3] == "" and out[5] == ""


def test_choice_label_is_get_display():
    from traceability.models import TraceEvent

    for kind in [*EventKind.values, "unknown"]:
        assert choice_label(EventKind, kind) == TraceEvent(kind=kind).get_kind_display()
