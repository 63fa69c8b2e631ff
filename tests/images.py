"""Reading back what the site renders, with PyPI wheels that bring their own binaries.

QR codes are decoded by zxing-cpp, PDFs rasterised by PDFium (pypdfium2) and SVGs by resvg
(resvg-py): `pip install` is all a fresh machine needs, no libzbar, poppler or librsvg.
"""

from __future__ import annotations

import io

import pypdfium2
import resvg_py
import zxingcpp
from PIL import Image


def decode_qr(image: Image.Image) -> list[str]:
    """The text of every QR code found in the image."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(
            image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode
        )
    ]


def pdf_pages(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    """Each page of the PDF as an RGB image at `dpi`."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def svg_to_png(svg: bytes, width: int) -> Image.Image:
    """Rasterise an SVG on a white background, `width` pixels wide."""
    # dpi 96 (CSS pixels) so that sizes in mm have a size; 0 would make them empty.
    png = resvg_py.svg_to_bytes(svg_string=svg.decode(), width=width, background="white", dpi=96)
    return Image.open(io.BytesIO(bytes(png)))
