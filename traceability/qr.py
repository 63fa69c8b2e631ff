"""QR codes for products, batches and per-unit serials (drawn by cms.qr, the one renderer).

What a code holds: a GS1 Digital Link URI on our own domain when the variant has a GTIN
(`/01/<gtin>/10/<lot>[/21/<serial>]`), otherwise the site's short code (`/q/<code>[/<serial>]`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from cms.qr import (  # noqa: F401 - the renderer, re-exported for the traceability callers
    DEFAULT_ERROR_CORRECTION,
    DEFAULT_QUIET_ZONE,
    ERROR_CORRECTION,
    qr_matrix,
    qr_png,
    qr_svg,
)
from traceability.digital_link import absolute, digital_link_path

if TYPE_CHECKING:
    from traceability.models import Batch


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
