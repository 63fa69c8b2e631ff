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


# batch (+ variant, page, producer, lab results), certificates, the product photo's rendition
# (+ its image), areas (+ their standards), events (+ corrected entries, attachments, their
# documents, images and renditions). The Site and the view restrictions come from each
# worker's copy (cms/sitememo.py).
QUERIES = 5


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


def _document(title):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 demo", name=f"{title}.pdf")
    )


def rich_batch(product):
    """A batch with every kind of row the scan page shows: lab results, two areas (one holding a
    valid and an expired standard, one without), a corrected event, photos and documents."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import GrowingAreaFactory
    from traceability.models import AreaCertification, BatchDocument, TraceEventAttachment
    from traceability.services import record_event

    batch = make_batch(product, events=3)
    today = timezone.localdate()
    area = batch.growing_areas.get()
    for number, days in (("VG-NEW", 400), ("VG-OLD", -30)):
        AreaCertification.objects.create(
            area=area,
            standard="vietgap",
            certificate_number=number,
            valid_from=today - dt.timedelta(days=900),
            valid_until=today + dt.timedelta(days=days),
        )
    batch.growing_areas.add(GrowingAreaFactory(producers=[product.producer], boundary=None))
    BatchDocument.objects.create(
        batch=batch,
        title="Dư lượng thuốc BVTV",
        laboratory="QUATEST 1",
        tested_on=today,
        document=_document("ket-qua-1"),
    )
    BatchDocument.objects.create(batch=batch, title="Vi sinh", document=_document("ket-qua-2"))
    first = batch.events.order_by("occurred_at").first()
    fix = record_event(
        batch, kind=first.kind, place="Vườn đã sửa", actor=first.actor, corrects=first
    )
    TraceEventAttachment.objects.create(event=fix, document=_document("bien-ban"), caption="")
    TraceEventAttachment.objects.create(event=fix, image=_image("Vườn"), caption="Vườn vải")
    TraceEventAttachment.objects.create(event=first, image=_image("Hái"), caption="")
    return batch


def test_scan_page_shows_corrections_attachments_standards_and_lab_results(
    gtin_product, client, django_assert_num_queries
):
    batch = rich_batch(gtin_product)
    client.get(scan_url(batch))  # renditions are created on the first view
    with django_assert_num_queries(QUERIES):
        html = client.get(scan_url(batch)).content.decode()
    steps = re.findall(r'<li class="step [^"]*">.*?</li>', html, re.S)
    assert len(steps) == 4
    corrected, *_middle, correcting = steps
    assert "step-harvesting corrected" in corrected and "corrected" not in correcting
    assert "Vườn đã sửa" in correcting and "Đính chính mục ngày" in correcting
    assert 'alt="Thu hoạch" loading="lazy"' in corrected  # no caption: the step's name
    assert 'alt="Vườn vải" loading="lazy"' in correcting
    assert re.search(r'<a href="/documents/\d+/bien-ban[^"]*\.pdf">bien-ban</a>', correcting)
    assert re.search(
        r"VG-OLD, <strong class=\"warn\">[^<]+</strong></dd><dt>VietGAP</dt><dd>VG-NEW", html
    )
    assert html.count('class="box area"') == 2 and html.count("<svg") == 1
    assert re.search(r"Dư lượng thuốc BVTV</a> – QUATEST 1, \d\d/\d\d/\d{4}</li><li>", html)
    assert "Vi sinh</a></li></ul>" in html


def test_rows_become_the_instances_only_would_give(batch, django_assert_num_queries):
    from catalog.models import ProductPage
    from traceability import scanpage
    from traceability.models import Batch

    row = scanpage.BATCH_ROWS.rows(batch.short_code)[0]
    at_page = scanpage.BATCH.width + scanpage.VARIANT.width
    for shape, start, model, pk in (
        (scanpage.BATCH, 0, Batch, batch.pk),
        (scanpage.PAGE, at_page, ProductPage, batch.variant.page_id),
    ):
        made = shape.make(row, start)
        names = [model._meta.get_field(name).name for name in shape.attnames]
        orm = model.objects.only(*names).get(pk=pk)
        assert type(made) is model and made == orm and not made._state.adding
        assert made.get_deferred_fields() == orm.get_deferred_fields() != set()
        assert [getattr(made, n) for n in shape.attnames] == [
            getattr(orm, n) for n in shape.attnames
        ]
    with django_assert_num_queries(1):  # a field left out is read when asked for, as only()'s
        assert scanpage.BATCH.make(row, 0).created_at == batch.created_at


def test_english_scan_page_links_the_english_product(
    gtin_product, site, client, django_assert_num_queries
):
    from wagtail.models import Locale

    from catalog.models import ProductPage
    from cms.services import translate_tree

    batch = make_batch(gtin_product)
    translate_tree(site)
    english = gtin_product.get_translation(Locale.objects.get(language_code="en"))
    client.get(scan_url(batch, "en"))
    with django_assert_num_queries(QUERIES + 1):  # + the English page (and its producer)
        html = client.get(scan_url(batch, "en")).content.decode()
    assert english.url.startswith("/en/")
    assert f'<a class="button" href="{english.url}">' in html
    assert re.search(rf'"url": "https?://[^"/]+{re.escape(english.url)}"', html)  # JSON-LD
    assert gtin_product.producer.name in html and "<h1>Vải thiều Lục Ngạn</h1>" in html
    ProductPage.objects.filter(pk=english.pk).update(live=False)
    html = client.get(scan_url(batch, "en")).content.decode()
    assert f'<a class="button" href="{gtin_product.url}">' in html  # no live English page
