from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_batch
from traceability.services import set_batch_status


def scan_url(batch, lang="vi"):
    return f"/{lang}/truy-xuat/{batch.short_code}/"


def test_scan_page_shows_product_certificate_area_and_journey(batch, client):
    response = client.get(scan_url(batch))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vải thiều Lục Ngạn" in html
    assert "VT2026-01" in html
    area = batch.growing_areas.get()
    assert area.code in html
    assert "<svg" in html and '<path d="M' in html
    assert "1 ha" in html or "1,0" in html or "1.0" in html or "ha" in html
    for step in ("harvesting", "processing", "packing", "shipping"):
        assert f"step-{step}" in html
    certificate = batch.variant.page.current_certificate
    assert certificate.decision_number in html
    assert batch.variant.page.url in html  # buy online


def test_unknown_short_code_is_a_human_404(db, site, client):
    response = client.get("/vi/truy-xuat/ZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_recalled_batch_shows_a_prominent_warning(batch, client):
    set_batch_status(batch, "recalled", "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng")
    html = client.get(scan_url(batch)).content.decode()
    assert 'class="recall"' in html
    assert "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng" in html


def test_scan_page_is_cacheable_by_a_cdn(batch, client):
    response = client.get(scan_url(batch))
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert re.search(r"max-age=\d+", cache_control)
    assert "stale-while-revalidate" in cache_control
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def _image(title="Ảnh"):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title=title, file=get_test_image_file(size=(640, 480)))


def _with_photos(batch, product):
    from catalog.models import ProductImage
    from traceability.models import TraceEventAttachment

    ProductImage.objects.get_or_create(page=product.source, image=_image("Sản phẩm"))
    photo = _image("Thu hái")
    for event in batch.events.all():
        TraceEventAttachment.objects.create(event=event, image=photo, caption="Ảnh")


# batch, certificates, the product photo's rendition (+ its image), areas, area standards,
# events, attachments (+ images), attachment renditions, lab results. The Site and the view
# restrictions come from each worker's copy (cms/sitememo.py).
QUERIES = 9


@pytest.mark.parametrize("events", [2, 20])
def test_scan_page_query_count_does_not_grow_with_events(
    gtin_product, client, django_assert_num_queries, events
):
    batch = make_batch(gtin_product, events=events)
    _with_photos(batch, gtin_product)
    url = scan_url(batch)
    client.get(url)  # renditions are created on the first view
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="step ') == events
    assert html.count('loading="lazy"') == events
    assert re.search(r'<img class="scan-photo" src="[^"]+\.webp" width="480" height="360"', html)


def test_scan_page_fits_the_budget(gtin_product, client):
    batch = make_batch(gtin_product, events=20)
    html = client.get(scan_url(batch)).content
    css = b""
    for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html):
        css += client.get(href.decode()).getvalue() if False else _static(href.decode())
    assert len(html) + len(css) < 60_000
    assert b"<script src" not in html
    assert not re.search(rb'(src|href)="https?://(?!testserver)', html)


def _static(url: str) -> bytes:
    from django.contrib.staticfiles import finders

    path = finders.find(url.removeprefix("/static/"))
    return open(path, "rb").read()


def test_scan_page_in_english(batch, client):
    response = client.get(scan_url(batch, "en"))
    assert response.status_code == 200
    assert "Journey" in response.content.decode()


def test_problem_report_is_stored_with_a_confirmation(batch, client):
    url = reverse("traceability_pages:report", args=[batch.short_code])
    response = client.post(url, {"message": "Hộp bị móp, vải bị dập", "contact": "0912 000 111"})
    assert response.status_code == 200
    assert batch.problem_reports.get().message == "Hộp bị móp, vải bị dập"
    assert 'role="status"' in response.content.decode()


def test_problem_report_requires_csrf(batch):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("traceability_pages:report", args=[batch.short_code])
    response = client.post(url, {"message": "x"})
    assert response.status_code == 403
    assert not batch.problem_reports.exists()


def test_empty_problem_report_is_refused_with_a_message(batch, client):
    url = reverse("traceability_pages:report", args=[batch.short_code])
    response = client.post(url, {"message": ""})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
