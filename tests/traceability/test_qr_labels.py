from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from tests.images import decode_qr, pdf_pages, svg_to_png
from traceability import qr
from traceability.labels import LABEL_SIZES, write_labels
from traceability.services import generate_serials


def _decoded_paths(image: Image.Image) -> list[str]:
    return [urlsplit(text).path for text in decode_qr(image)]


def _label_paths(page: Image.Image, size: str, dpi: int) -> list[str]:
    """Decode each label cut from the sheet on its own, as a phone sees one label at a time."""
    layout = LABEL_SIZES[size]
    px = dpi / 25.4
    paths = []
    for slot in range(layout.per_page):
        col, row = slot % layout.columns, slot // layout.columns
        left = (layout.left_mm + col * (layout.width_mm + layout.gap_x_mm)) * px
        top = (layout.top_mm + row * (layout.height_mm + layout.gap_y_mm)) * px
        cell = page.crop(
            (
                round(left),
                round(top),
                round(left + layout.width_mm * px),
                round(top + layout.height_mm * px),
            )
        )
        paths += _decoded_paths(cell)
    return paths


@pytest.mark.parametrize("fmt", ["png"])
@pytest.mark.parametrize("ec", ["L", "M", "Q", "H"])
def test_batch_qr_png_decodes_to_the_batch_scan_page(batch, client, fmt, ec):
    data, content_type = qr.render(qr.batch_uri(batch), fmt, ec, quiet_zone=4)
    assert content_type == "image/png"
    (path,) = _decoded_paths(Image.open(io.BytesIO(data)))
    response = client.get(path)
    assert response.status_code == 307
    assert client.get(response["Location"]).status_code == 200
    assert batch.lot_code in client.get(response["Location"]).content.decode()


def test_quiet_zone_is_the_chosen_width(batch):
    narrow = Image.open(io.BytesIO(qr.qr_png(qr.batch_uri(batch), quiet_zone=1, box_size=1)))
    wide = Image.open(io.BytesIO(qr.qr_png(qr.batch_uri(batch), quiet_zone=6, box_size=1)))
    assert wide.width - narrow.width == 10


def test_svg_qr_is_a_vector_that_decodes(batch, client):
    svg, content_type = qr.render(qr.batch_uri(batch), "svg")
    assert content_type == "image/svg+xml" and b"<svg" in svg and b"<path" in svg
    (path,) = _decoded_paths(svg_to_png(svg, width=400))
    assert client.get(path).status_code == 307


def test_short_code_qr_for_a_product_without_gtin(plain_batch, client):
    data = qr.qr_png(qr.batch_uri(plain_batch))
    (path,) = _decoded_paths(Image.open(io.BytesIO(data)))
    assert path == f"/q/{plain_batch.short_code}"
    response = client.get(path)
    assert response["Location"] == f"/vi/truy-xuat/{plain_batch.short_code}/"


def test_serial_label_sheet_decodes_to_each_serials_page(batch, client):
    serials = [s.serial for s in generate_serials(batch, 24)]
    buffer = io.BytesIO()
    count = write_labels(batch, buffer, serials=serials, size="a4-24")
    assert count == 24
    pages = pdf_pages(buffer.getvalue())
    assert len(pages) == 1
    paths = _label_paths(pages[0], "a4-24", 200)
    assert len(paths) == 24
    gtin = batch.variant.gtin.zfill(14)
    assert {p.rsplit("/", 1)[1] for p in paths} == set(serials)
    response = client.get(paths[0])
    assert response.status_code == 307
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert all(p.startswith(f"/01/{gtin}/10/{batch.lot_code}/21/") for p in paths)


@pytest.mark.parametrize("size", list(LABEL_SIZES))
def test_every_label_size_prints_readable_codes(plain_batch, size):
    buffer = io.BytesIO()
    layout = LABEL_SIZES[size]
    write_labels(plain_batch, buffer, size=size, copies=layout.per_page + 1)
    pages = pdf_pages(buffer.getvalue(), dpi=300)
    assert len(pages) == 2
    paths = _label_paths(pages[0], size, 300)
    assert len(paths) == layout.per_page
    assert set(paths) == {f"/q/{plain_batch.short_code}"}


def test_thousand_serial_labels_are_vector_and_small(batch):
    """Speed is measured by benchmarks/qr_labels.py; what stays true is asserted here: the
    codes are drawn as vectors (no raster image per label, which made 1,000 labels take
    minutes) and the file stays small."""
    serials = [f"S{i:011d}" for i in range(1000)]
    buffer = io.BytesIO()
    write_labels(batch, buffer, serials=serials, size="a4-40")
    pdf = buffer.getvalue()
    assert b"/Subtype /Image" not in pdf
    assert len(pdf) < 3_000_000
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 25
    )


def test_serials_zip_holds_one_code_per_serial_and_a_csv(batch, client, officer, trace_perms):
    generate_serials(batch, 5)
    client.force_login(officer)
    response = client.get(
        reverse("traceability_batch:serials_zip", args=[batch.pk]) + "?format=png"
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".png")]) == 5
    csv = archive.read("serials.csv").decode().splitlines()
    assert csv[0] == "serial,uri" and len(csv) == 6
    first = next(n for n in names if n.endswith(".png"))
    (path,) = _decoded_paths(Image.open(io.BytesIO(archive.read(first))))
    assert path.endswith("/21/" + first.removesuffix(".png"))


def test_print_labels_command_writes_a_pdf_by_lot_or_short_code(batch, tmp_path):
    generate_serials(batch, 3)
    out = tmp_path / "serials.pdf"
    call_command("print_labels", batch.lot_code, "--serials", "--size", "a4-65", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    out2 = tmp_path / "batch.pdf"
    call_command("print_labels", batch.short_code, "--copies", "10", "-o", str(out2))
    assert out2.read_bytes().startswith(b"%PDF")
