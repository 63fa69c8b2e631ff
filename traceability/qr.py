"""QR codes for products, batches and per-unit serials (`qrcode` + Pillow).

What a code holds: a GS1 Digital Link URI on our own domain when the variant has a GTIN
(`/01/<gtin>/10/<lot>[/21/<serial>]`), otherwise the site's short code (`/q/<code>[/<serial>]`).

Speed: `qrcode` tries all eight mask patterns and scores each (≈7 ms a code). Any mask gives
a valid symbol, so bulk work (label sheets, serial zips) fixes the mask and the version search
is the only cost left (≈1 ms a code); single downloads still pick the best mask.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.urls import reverse

from traceability.digital_link import absolute, digital_link_path

if TYPE_CHECKING:
    from traceability.models import Batch

ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
DEFAULT_ERROR_CORRECTION = "M"
DEFAULT_QUIET_ZONE = 4  # modules, the minimum ISO/IEC 18004 asks for
BULK_MASK_PATTERN = 2


def batch_path(batch: Batch, serial: str = "") -> str:
    gtin = batch.variant.gtin
    if gtin:
        return digital_link_path(gtin, batch.lot_code, serial)
    if serial:
        return reverse("traceability:short_serial", args=[batch.short_code, serial])
    return reverse("traceability:short", args=[batch.short_code])


def batch_uri(batch: Batch, serial: str = "") -> str:
    return absolute(batch_path(batch, serial))


def product_uri(gtin: str) -> str:
    return absolute(digital_link_path(gtin))


def _qr(data: str, error_correction: str, border: int, fast: bool) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECTION[error_correction],
        border=border,
        mask_pattern=BULK_MASK_PATTERN if fast else None,
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_matrix(
    data: str, error_correction: str = DEFAULT_ERROR_CORRECTION, fast: bool = True
) -> list[list[bool]]:
    """The modules of the symbol, without quiet zone (True = dark)."""
    return _qr(data, error_correction, 0, fast).get_matrix()


def qr_png(
    data: str,
    error_correction: str = DEFAULT_ERROR_CORRECTION,
    quiet_zone: int = DEFAULT_QUIET_ZONE,
    box_size: int = 10,
    fast: bool = False,
) -> bytes:
    code = _qr(data, error_correction, quiet_zone, fast)
    code.box_size = box_size
    image = code.make_image()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(
    data: str,
    error_correction: str = DEFAULT_ERROR_CORRECTION,
    quiet_zone: int = DEFAULT_QUIET_ZONE,
    fast: bool = False,
) -> bytes:
    code = _qr(data, error_correction, quiet_zone, fast)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode").encode()


def render(
    data: str,
    fmt: str,
    error_correction: str = DEFAULT_ERROR_CORRECTION,
    quiet_zone: int = DEFAULT_QUIET_ZONE,
    fast: bool = False,
) -> tuple[bytes, str]:
    """(bytes, content type) of a QR image in `png` or `svg`."""
    if fmt == "svg":
        return qr_svg(data, error_correction, quiet_zone, fast), "image/svg+xml"
    if fmt == "png":
        return qr_png(data, error_correction, quiet_zone, fast=fast), "image/png"
    raise ValueError(f"Unknown QR format {fmt!r}")
