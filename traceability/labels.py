"""Printable label sheets (PDF, A4) for a batch: QR code, product, lot, dates, stars, producer.

QR symbols are drawn as vector rectangles straight from `qrcode`'s module matrix (runs of
dark modules merged into one rectangle), never as PNGs, and serials are consumed from an
iterator: no image of any label is ever held in memory, and the sheet is sharp at any printer
resolution. reportlab keeps each finished page, compressed, until `save()`: memory grows by
about 12 MB per 1,000 labels (see docs/benchmarks-traceability.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from traceability.models import Batch
from traceability.qr import batch_uri, qr_matrix


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
QUIET_ZONE = 4  # modules (ISO/IEC 18004)

FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def _font() -> str:
    """A TrueType font with Vietnamese glyphs if the system has one; else Helvetica."""
    if "LabelSans" in pdfmetrics.getRegisteredFontNames():
        return "LabelSans"
    from pathlib import Path

    for candidate in FONT_PATHS:
        if Path(candidate).exists():
            pdfmetrics.registerFont(TTFont("LabelSans", candidate))
            return "LabelSans"
    return "Helvetica"


@dataclass
class LabelText:
    product: str
    producer: str
    lot: str
    packed: str
    expires: str
    stars: int | None


def label_text(batch: Batch) -> LabelText:
    page = batch.variant.page
    certificate = page.current_certificate
    return LabelText(
        product=f"{page.title} – {batch.variant.name}",
        producer=str(page.producer or ""),
        lot=batch.lot_code,
        packed=batch.packed_on.strftime("%d/%m/%Y") if batch.packed_on else "",
        expires=batch.expires_on.strftime("%d/%m/%Y") if batch.expires_on else "",
        stars=certificate.stars if certificate and certificate.shows_badge else None,
    )


def draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:
    """Draw the symbol with its bottom-left corner at (x, y), `size` points wide.

    Runs of dark modules become one `re` (rectangle) operator each, all filled at once. The
    operators are written straight into the page stream: reportlab's path API formats every
    number through `fp_str`, which was three quarters of the time of a 1,000-label sheet.
    """
    n = len(matrix)
    module = size / n
    ops: list[str] = []
    for r, row in enumerate(matrix):
        top = y + size - (r + 1) * module
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(
                    f"{x + start * module:.2f} {top:.2f} {(c - start) * module:.2f} {module:.2f} re"
                )
            else:
                c += 1
    canvas._code.append("\n".join(ops) + "\nf")  # noqa: SLF001 — the page's content stream


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def write_labels(
    batch: Batch,
    output: BinaryIO,
    serials: Iterable[str] | None = None,
    size: str = DEFAULT_SIZE,
    copies: int = 1,
    error_correction: str = "M",
) -> int:
    """Write a PDF of labels for the batch to `output`; return the number of labels.

    With `serials`, one label per serial (each code different); without, `copies` labels
    carrying the batch's code.
    """
    layout = LABEL_SIZES[size]
    text = label_text(batch)
    font = _font()
    canvas = Canvas(output, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Labels for lot %(lot)s") % {"lot": batch.lot_code})
    canvas.setCreator("OCOP Market")
    page_w, page_h = A4
    w, h = layout.width_mm * mm, layout.height_mm * mm
    pad = min(1.5 * mm, h * 0.06)
    tiny = layout.height_mm < 25

    codes: Iterator[str] = iter(serials) if serials is not None else iter([""] * copies)
    batch_matrix = None
    count = 0
    for index, serial in enumerate(codes):
        slot = index % layout.per_page
        if slot == 0 and index:
            canvas.showPage()
        col, row = slot % layout.columns, slot // layout.columns
        x0 = layout.left_mm * mm + col * (w + layout.gap_x_mm * mm)
        y0 = page_h - layout.top_mm * mm - (row + 1) * h - row * layout.gap_y_mm * mm
        if serial:
            matrix = qr_matrix(batch_uri(batch, serial), error_correction)
        else:
            batch_matrix = batch_matrix or qr_matrix(batch_uri(batch), error_correction)
            matrix = batch_matrix
        # The symbol keeps its 4-module quiet zone inside the label, whatever the neighbours.
        n = len(matrix)
        module = h / (n + 2 * QUIET_ZONE)
        qr_size = n * module
        draw_qr(canvas, matrix, x0 + QUIET_ZONE * module, y0 + QUIET_ZONE * module, qr_size)

        tx = x0 + (n + 2 * QUIET_ZONE) * module
        text_w = w - (tx - x0) - pad
        font_size = 5.5 if tiny else 7
        lines = [(text.product, font_size + 1)]
        if text.stars:
            star = "★" if font != "Helvetica" else "*"
            lines.append((f"OCOP {text.stars}{star}", font_size))
        if not tiny:
            lines.append((text.producer, font_size))
        lines.append((_("Lot: %(lot)s") % {"lot": text.lot}, font_size))
        if text.packed and not tiny:
            lines.append((_("Packed: %(date)s") % {"date": text.packed}, font_size))
        if text.expires:
            lines.append((_("Best before: %(date)s") % {"date": text.expires}, font_size))
        if serial:
            lines.append((f"S/N {serial}", font_size))
        ty = y0 + h - pad - font_size - 1
        for line, fs in lines:
            if ty < y0 + pad:
                break
            canvas.setFont(font, fs)
            canvas.drawString(tx, ty, _fit(canvas, line, font, fs, text_w))
            ty -= fs + 1.5
        count += 1
    if count == 0:
        canvas.setFont(font, 12)
        canvas.drawString(20 * mm, page_h - 20 * mm, _("No labels to print."))
    canvas.showPage()
    canvas.save()
    return count
