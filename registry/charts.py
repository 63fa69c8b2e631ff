"""Server-rendered SVG bar charts, readable without JavaScript and by screen readers.

Each chart is `role="img"` with a <title> and <desc> (the figures in words); the page puts the
same figures in a table beside it. Only SVG attributes, no inline style (CSP).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 360  # drawn at about its own size on a phone
BAR = 20
GAP = 6
LABEL_WIDTH = 130
VALUE_WIDTH = 48


def bar_chart(chart_id: str, title: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal bars, one per (label, value); long labels are cut in the drawing only."""
    top = max((value for _label, value in rows), default=0) or 1
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    desc = "; ".join(f"{label}: {value}" for label, value in rows) or _("No data.")
    bars = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        (
            (
                LABEL_WIDTH - 6,
                GAP + i * (BAR + GAP) + BAR * 0.7,
                label if len(label) <= 20 else label[:19] + "…",
                LABEL_WIDTH,
                GAP + i * (BAR + GAP),
                round(span * value / top, 1) if value else 0,
                BAR,
                LABEL_WIDTH + (round(span * value / top, 1) if value else 0) + 6,
                GAP + i * (BAR + GAP) + BAR * 0.7,
                value,
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="{}-title {}-desc"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        bars,
    )
