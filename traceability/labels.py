"""Printable label sheets (PDF, A4) for a batch: QR code, product, lot, dates, stars, producer.

QR symbols are drawn as vector rectangles straight from `qrcode`'s module matrix (runs of
dark modules merged into one rectangle), never as PNGs, and serials are consumed from an
iterator: no image of any label is ever held in memory, and the sheet is sharp at any printer
resolution. reportlab keeps each finished page, compressed, until `save()`: memory grows by
about 12 MB per 1,000 labels (see docs/benchmarks-traceability.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from traceability.label_sizes import DEFAULT_SIZE, LABEL_SIZES, LabelDoesNotFit, LabelSize
from traceability.models import Batch
from traceability.qr import batch_uri, qr_matrix

__all__ = ["DEFAULT_SIZE", "LABEL_SIZES", "LabelDoesNotFit", "LabelSize", "write_labels"]


QUIET_ZONE = 4  # modules (ISO/IEC 18004)

# Condensed first: a label's text column is narrow, and a whole date or serial must fit in it.
FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
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
    product_with_variant: str
    producer: str
    lot: str
    packed: str
    expires: str
    stars: int | None


def label_text(batch: Batch) -> LabelText:
    page = batch.variant.page
    certificate = page.current_certificate
    return LabelText(
        product=page.title,
        # A no-break space keeps the dash with the name, never alone at a line's end.
        product_with_variant=f"{page.title}\u00a0– {batch.variant.name}",
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


MAX_FONT, MIN_FONT = 7.0, 4.5  # points; below 4.5 pt a printed date is no longer legible
LEADING = 1.2


@functools.lru_cache(maxsize=4096)  # every label of a sheet measures the same lines again
def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


@functools.lru_cache(maxsize=1024)
def _wrap(
    text: str, font: str, size: float, width: float, max_lines: int
) -> tuple[str, ...] | None:
    """`text` broken at spaces into at most `max_lines` lines of `width`, or None.

    A word is never split: a word wider than the line makes the text not fit.
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _width(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        elif _width(word, font, size) <= width:
            lines.append(word)
        else:
            return None
    return tuple(lines) if len(lines) <= max_lines else None


@functools.lru_cache(maxsize=1024)
def _field_lines(
    caption: str, value: str, font: str, size: float, width: float
) -> tuple[str, ...] | None:
    """A captioned value on one line ("HSD: 17/09/2027"), or the caption above the value.

    The value itself is never broken: None when it is wider than the label's text column.
    """
    if _width(value, font, size) > width:
        return None
    joined = f"{caption} {value}".strip()
    if _width(joined, font, size) <= width:
        return (joined,)
    if _width(caption, font, size) <= width:
        return (caption, value)
    return None


Lines = list[tuple[str, float]]


def label_fields(text: LabelText, font: str) -> list[tuple[str, str]]:
    """(caption, value) of the fields every label prints whole, the serial aside."""
    star = "★" if font != "Helvetica" else "*"
    fields = [("", f"OCOP {text.stars}{star}")] if text.stars else []
    fields.append((_caption(_("Lot: %(lot)s"), "lot"), text.lot))
    if text.packed:
        fields.append((_caption(_("Packed: %(date)s"), "date"), text.packed))
    if text.expires:
        fields.append((_caption(_("Best before: %(date)s"), "date"), text.expires))
    return fields


def _caption(translated: str, name: str) -> str:
    """ "HSD:" out of "HSD: %(date)s": the caption printed before (or above) a value."""
    return (translated % {name: "\x00"}).split("\x00")[0].strip()


def layout_lines(
    text: LabelText,
    serial: str,
    font: str,
    width: float,
    height: float,
    tiny: bool,
    start: float = MAX_FONT,
    fields: list[tuple[str, str]] | None = None,
) -> Lines | str:
    """The lines (text, font size) that print every field whole in `width` × `height`
    points, or the first field that cannot be printed whole even at the smallest size.

    Rules, tried from `MAX_FONT` down to `MIN_FONT` by quarter points:
    1. the OCOP stars, lot, packing date, expiry and serial are always printed, each value
       whole on one line (its caption may go on the line above);
    2. the product name wraps at spaces: "name – variant" over up to two lines, else the
       name alone over up to three (the page behind the QR code names the variant);
    3. the producer is printed only when there is room for it whole (never on the 65-up).
    """
    essentials = fields or label_fields(text, font)
    if serial:
        essentials = [*essentials, ("S/N", serial)]
    worst = text.product
    size = start
    while size >= MIN_FONT:
        big = size if tiny else size + 1
        product = _wrap(text.product_with_variant, font, big, width, 2) or _wrap(
            text.product, font, big, width, 3
        )
        lines: Lines = [(line, big) for line in product or []]
        for caption, value in essentials if product else []:
            field = _field_lines(caption, value, font, size, width)
            if field is None:
                worst = f"{caption} {value}".strip()
                break
            lines += [(line, size) for line in field]
        else:
            used = sum(fs * LEADING for _line, fs in lines)
            if product and used <= height:
                producer = None if tiny else _wrap(text.producer, font, size, width, 1)
                if producer and used + size * LEADING <= height:
                    lines.insert(len(product), (producer[0], size))
                return lines
            if product:
                worst = lines[-1][0]
        size -= 0.25
    return worst


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
    fitted: dict[str, Lines] = {}
    fields = label_fields(text, font)
    start = MAX_FONT
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
        lines = fitted.get(serial)
        if lines is None:
            lines = layout_lines(
                text,
                serial,
                font,
                w - (tx - x0) - pad,
                h - 2 * pad,
                tiny,
                start=start,
                fields=fields,
            )
            if isinstance(lines, str):
                raise LabelDoesNotFit(layout, lines)
            start = lines[-1][1]  # the next serial starts from the size this one needed
            if not serial:
                fitted[serial] = lines
        ty = y0 + h - pad
        for line, fs in lines:
            ty -= fs * LEADING
            canvas.setFont(font, fs)
            canvas.drawString(tx, ty + fs * (LEADING - 1), line)
        count += 1
    if count == 0:
        canvas.setFont(font, 12)
        canvas.drawString(20 * mm, page_h - 20 * mm, _("No labels to print."))
    canvas.showPage()
    canvas.save()
    return count
