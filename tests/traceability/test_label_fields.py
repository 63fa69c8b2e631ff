"""Every label size prints every field whole: the PDF's own text, read back label by label
with PDFium, holds the lot, the packing date, the expiry ("HSD: …"), the stars and each
serial without a cut; a size that cannot hold them is refused with a clear message."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2
import pytest
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from tests.factories import make_batch, make_product, next_gtin13
from traceability.labels import LABEL_SIZES, LabelDoesNotFit, write_labels
from traceability.services import generate_serials


def label_texts(pdf: bytes, size: str, count: int) -> list[str]:
    """The text inside each label's rectangle, in label order (lines joined by spaces)."""
    layout = LABEL_SIZES[size]
    document = pypdfium2.PdfDocument(pdf)
    texts = []
    for index in range(count):
        page = document[index // layout.per_page]
        slot = index % layout.per_page
        col, row = slot % layout.columns, slot // layout.columns
        left = (layout.left_mm + col * (layout.width_mm + layout.gap_x_mm)) * mm
        top = A4[1] - (layout.top_mm + row * (layout.height_mm + layout.gap_y_mm)) * mm
        text = page.get_textpage().get_text_bounded(
            left=left,
            bottom=top - layout.height_mm * mm,
            right=left + layout.width_mm * mm,
            top=top,
        )
        texts.append(" ".join(text.split()))
    return texts


@pytest.fixture
def long_batch(producer):
    product = make_product(
        producer,
        title="Nước mắm cá cơm Phú Quốc đặc biệt",
        variants=[{"name": "Chai thủy tinh 500 ml", "price": 95_000, "gtin": next_gtin13()}],
    )
    return make_batch(
        product,
        events=0,
        lot_code="PQ2026-0917-A",
        packed_on=dt.date(2026, 9, 17),
        expires_on=dt.date(2028, 9, 17),
    )


@pytest.mark.parametrize("size", sorted(LABEL_SIZES))
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_size_prints_every_field_whole(long_batch, size, language):
    serials = [s.serial for s in generate_serials(long_batch, 3)]
    buffer = io.BytesIO()
    with translation.override(language):
        count = write_labels(long_batch, buffer, serials=serials, size=size)
    assert count == 3
    expiry = "HSD: 17/09/2028" if language == "vi" else "17/09/2028"
    for serial, text in zip(serials, label_texts(buffer.getvalue(), size, 3), strict=True):
        assert "PQ2026-0917-A" in text
        assert "17/09/2026" in text
        assert expiry in text
        assert serial in text.split()
        assert "Nước mắm cá cơm Phú Quốc đặc biệt" in text
        assert "…" not in text


@pytest.mark.parametrize("size", sorted(LABEL_SIZES))
def test_batch_code_labels_fill_a_sheet_whole(long_batch, size):
    buffer = io.BytesIO()
    per_page = LABEL_SIZES[size].per_page
    write_labels(long_batch, buffer, size=size, copies=per_page)
    texts = label_texts(buffer.getvalue(), size, per_page)
    assert all("PQ2026-0917-A" in t and "17/09/2028" in t for t in texts)


def test_a_size_too_small_for_a_long_lot_is_refused_with_the_field_named(producer):
    product = make_product(producer, variants=[{"name": "Gói", "price": 1, "gtin": next_gtin13()}])
    batch = make_batch(product, events=0, lot_code="WWWWWWWWWWWWWWWWWWWW")
    with translation.override("vi"), pytest.raises(LabelDoesNotFit) as refused:
        write_labels(batch, io.BytesIO(), size="a4-65", copies=1)
    message = str(refused.value)
    assert "WWWWWWWWWWWWWWWWWWWW" in message and "38.1 × 21.2 mm" in message
    # A larger size holds it.
    buffer = io.BytesIO()
    assert write_labels(batch, buffer, size="a4-14", copies=1) == 1
    assert "WWWWWWWWWWWWWWWWWWWW" in label_texts(buffer.getvalue(), "a4-14", 1)[0]


@pytest.mark.usefixtures("trace_perms")
def test_admin_refuses_a_too_small_size_on_the_form_and_names_the_field(client, editor, producer):
    from django.urls import reverse

    product = make_product(producer, variants=[{"name": "Gói", "price": 1, "gtin": next_gtin13()}])
    batch = make_batch(product, events=0, lot_code="WWWWWWWWWWWWWWWWWWWW")
    client.force_login(editor)
    url = reverse("traceability_batch:labels", args=[batch.pk])
    response = client.get(url + "?size=a4-65&content=batch&copies=3")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "WWWWWWWWWWWWWWWWWWWW" in response.content.decode()
    assert client.get(url + "?size=a4-14&content=batch&copies=3")["Content-Type"] == (
        "application/pdf"
    )
