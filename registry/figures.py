"""The statistics page's figures as tables: one definition for the page, its charts and CSVs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from registry.statistics import Statistics


@dataclass(frozen=True)
class Figure:
    slug: str
    title: Any
    header: list[Any]
    rows: Callable[[Statistics], list[list[Any]]]
    chart: bool = True  # first column label, second column value


def _summary(s: Statistics) -> list[list[Any]]:
    return [
        [_("Products in force (3★ and above)"), s.in_force],
        [_("of which 5★"), s.five_star],
        [_("Share of 5★ (%)"), s.five_star_share],
        [_("Producers with a product in force"), s.producers],
        [_("of which cooperatives"), s.cooperatives],
        [_("Share of cooperatives (%)"), s.cooperative_share],
    ]


def _targets(s: Statistics) -> list[list[Any]]:
    return [
        [
            p.target.scope_name,
            p.target.get_metric_display(),
            f"{p.target.period_start}–{p.target.period_end}",
            p.target.target_value.normalize(),
            p.actual,
            p.percent_of_target,
            _("yes") if p.met else _("no"),
        ]
        for p in s.targets
    ]


def _counts(attribute: str) -> Callable[[Statistics], list[list[Any]]]:
    """Rows of one in-force count (`Statistics.by_*`): label, number of products."""

    def rows(s: Statistics) -> list[list[Any]]:
        return [[r.label, r.count] for r in getattr(s, attribute)]

    return rows


# The in-force counts, one figure per dimension: slug, title, first column, Statistics field.
COUNTS = [
    ("sao", _("Products in force by stars"), _("Stars"), "by_stars"),
    ("tinh", _("Products in force by province"), _("Province"), "by_province"),
    ("nhom", _("Products in force by group"), _("Group"), "by_group"),
    (
        "loai-chu-the",
        _("Products in force by producer type"),
        _("Producer type"),
        "by_producer_type",
    ),
]

FIGURES: dict[str, Figure] = {
    f.slug: f
    for f in [
        Figure("tong-quan", _("Summary"), [_("Figure"), _("Value")], _summary, chart=False),
        *(
            Figure(slug, title, [column, _("Products")], _counts(attribute))
            for slug, title, column, attribute in COUNTS
        ),
        Figure(
            "nam",
            _("Decisions per year: new and renewed"),
            [_("Year"), _("New"), _("Renewed"), _("Total")],
            lambda s: [[str(y.year), y.new, y.renewed, y.total] for y in s.by_year],
        ),
        Figure(
            "muc-tieu",
            _("Progress toward the targets"),
            [
                _("Scope"),
                _("Measure"),
                _("Period"),
                _("Target"),
                _("Actual"),
                _("Percent of target"),
                _("Met"),
            ],
            _targets,
            chart=False,
        ),
    ]
}
