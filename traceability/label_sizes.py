"""Label sheet sizes and the error of a label too small, without reportlab.

The admin's label form lists these sizes on every admin start-up; reportlab (≈ 14 MiB per
worker) is imported by `traceability.labels` only when a sheet is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LabelSize:
    key: str
    title: str
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    left_mm: float
    top_mm: float
    gap_x_mm: float = 0
    gap_y_mm: float = 0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


# Common A4 sheets (Avery/Tomy/Decal sizes sold in Vietnam).
LABEL_SIZES: dict[str, LabelSize] = {
    s.key: s
    for s in [
        LabelSize("a4-14", "99.1 × 38.1 mm, 14 per A4", 2, 7, 99.1, 38.1, 4.65, 15.15, 2.5, 0),
        LabelSize("a4-24", "70 × 37 mm, 24 per A4", 3, 8, 70, 37, 0, 0.5),
        LabelSize("a4-40", "52.5 × 29.7 mm, 40 per A4", 4, 10, 52.5, 29.7, 0, 0),
        LabelSize("a4-65", "38.1 × 21.2 mm, 65 per A4", 5, 13, 38.1, 21.2, 4.65, 10.7, 2.5, 0),
    ]
}
DEFAULT_SIZE = "a4-24"


class LabelDoesNotFit(ValueError):
    """The chosen label size cannot hold every field of this batch whole."""

    def __init__(self, size: LabelSize, field: str):
        self.size, self.field = size, field
        super().__init__(
            _(
                "Labels of %(size)s are too small to print “%(field)s” whole. "
                "Choose a larger label size."
            )
            % {"size": size.title, "field": field}
        )
