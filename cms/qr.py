"""The one QR renderer (`qrcode` + Pillow): module matrix, PNG bytes, SVG markup.

Used by the traceability codes (GS1 Digital Link and short codes, label sheets) and the VietQR
payment code. A leaf module: it imports nothing from the project.

Speed: `qrcode` tries all eight mask patterns and scores each (≈7 ms a code). Any mask gives a
valid symbol, so bulk work (`fast=True`: label sheets, serial zips) fixes the mask and the
version search is the only cost left (≈1 ms a code); single codes still pick the best mask.
"""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.constants
import qrcode.image.svg

ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
DEFAULT_ERROR_CORRECTION = "M"
DEFAULT_QUIET_ZONE = 4  # modules, the minimum ISO/IEC 18004 asks for
BULK_MASK_PATTERN = 2


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
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(
    data: str,
    error_correction: str = DEFAULT_ERROR_CORRECTION,
    quiet_zone: int = DEFAULT_QUIET_ZONE,
    fast: bool = False,
) -> bytes:
    """A standalone SVG document (XML declaration included)."""
    code = _qr(data, error_correction, quiet_zone, fast)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode").encode()


def inline_svg(data: str, error_correction: str = DEFAULT_ERROR_CORRECTION) -> str:
    """An <svg> element to put in HTML (no XML declaration; scales crisply, no JavaScript)."""
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", qr_svg(data, error_correction).decode())
