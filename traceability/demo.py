"""Demo traceability data on top of the demo catalogue (idempotent).

Every live default-locale product page gets a growing area with a drawn boundary and a
VietGAP (or organic) certificate, and two batches whose journey runs harvest → processing →
packing → shipping. One batch overall is recalled; one batch (of the first product with a
GTIN) has 20 per-unit serials and a lab result. Re-running adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from decimal import Decimal
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalog.addresses import province_name
from catalog.models import ProductPage
from traceability.models import (
    AreaCertification,
    Batch,
    BatchDocument,
    BatchStatus,
    GrowingArea,
    Standard,
)
from traceability.permissions import setup_traceability_permissions
from traceability.services import generate_serials, record_event, set_batch_status

# Approximate centres (lat, lon) of the 34 provinces and cities (codes after the 2025 reform).
PROVINCE_CENTRES: dict[int, tuple[float, float]] = {
    1: (21.03, 105.85),
    4: (22.67, 106.26),
    8: (21.82, 105.21),
    11: (21.39, 103.02),
    12: (22.40, 103.46),
    14: (21.33, 103.91),
    15: (22.34, 104.15),
    19: (21.59, 105.85),
    20: (21.85, 106.76),
    22: (21.01, 107.29),
    24: (21.30, 106.50),
    25: (21.32, 105.20),
    31: (20.86, 106.68),
    33: (20.65, 106.05),
    37: (20.25, 105.97),
    38: (19.81, 105.78),
    40: (19.23, 104.92),
    42: (18.34, 105.90),
    44: (16.75, 107.19),
    46: (16.46, 107.59),
    48: (16.05, 108.20),
    51: (15.12, 108.80),
    52: (13.98, 108.00),
    56: (12.24, 109.19),
    66: (12.67, 108.04),
    68: (11.94, 108.44),
    75: (10.95, 106.82),
    79: (10.78, 106.70),
    80: (11.31, 106.10),
    82: (10.46, 105.64),
    86: (10.25, 105.97),
    91: (10.52, 105.13),
    92: (10.03, 105.78),
    96: (9.18, 105.15),
}

JOURNEY = [
    # kind, days after harvest (hours), place template, actor template, description
    ("harvesting", 0, "{area}", "Tổ sản xuất {short}", "Thu hái buổi sáng, phân loại tại vườn."),
    (
        "processing",
        6,
        "Xưởng sơ chế {short}",
        "Tổ sơ chế {short}",
        "Làm sạch, phân loại theo kích cỡ, loại bỏ sản phẩm lỗi.",
    ),
    (
        "packing",
        30,
        "Xưởng đóng gói {short}",
        "Tổ đóng gói {short}",
        "Đóng gói, dán tem truy xuất nguồn gốc.",
    ),
    (
        "shipping",
        54,
        "Kho {short} → Hà Nội",
        "Nhà xe Hoàng Long",
        "Vận chuyển bằng xe lạnh 2–8 °C đến kho phân phối.",
    ),
]


def _seed(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _boundary(province_code: int, key: str) -> dict:
    """An irregular plot of 1–6 ha somewhere within ~15 km of the province's centre."""
    lat0, lon0 = PROVINCE_CENTRES.get(province_code, (16.0, 107.5))
    seed = _seed(key)
    lat = lat0 + ((seed % 2000) - 1000) / 10000 * 1.3
    lon = lon0 + (((seed // 2000) % 2000) - 1000) / 10000 * 1.3
    radius_m = 60 + seed % 80
    ring = []
    for i in range(7):
        angle = 2 * math.pi * i / 7
        r = radius_m * (0.75 + ((seed >> (i * 3)) % 8) / 16)
        dlat = r * math.sin(angle) / 111_195
        dlon = r * math.cos(angle) / (111_195 * math.cos(math.radians(lat)))
        ring.append([round(lon + dlon, 6), round(lat + dlat, 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _area_for(page: ProductPage) -> GrowingArea:
    producer = page.producer
    seed = _seed(page.translation_key.hex)
    code = (
        f"VN-{producer.province_code:02d}-{100 + seed % 800:03d}-"
        f"{producer.ward_code % 100000:05d}-{10 + seed % 90}-{21 + seed % 5}"
    )
    area = GrowingArea.objects.filter(code=code).first()
    if area is not None:
        return area
    area = GrowingArea.objects.create(
        code=code,
        name=f"Vùng nguyên liệu {page.title.lower()}",
        province_code=producer.province_code,
        ward_code=producer.ward_code,
        address_as_recorded=producer.address_as_recorded,
        boundary=_boundary(producer.province_code, code),
        crops=page.title,
    )
    area.producers.add(producer)
    organic = seed % 5 == 0
    valid_from = timezone.localdate() - dt.timedelta(days=200 + seed % 300)
    AreaCertification.objects.create(
        area=area,
        standard=Standard.ORGANIC if organic else Standard.VIETGAP,
        certificate_number=f"{'HC' if organic else 'VG'}-{seed % 10000:04d}/{valid_from:%Y}",
        issued_by="Trung tâm Chứng nhận Phù hợp (QUACERT)"
        if organic
        else f"Chi cục Trồng trọt và BVTV {province_name(producer.province_code)}",
        valid_from=valid_from,
        valid_until=valid_from + dt.timedelta(days=730),
    )
    return area


def _lab_report_pdf(batch: Batch) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from traceability.labels import _font

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    font = _font()
    canvas.setFont(font, 14)
    canvas.drawString(60, 780, "PHIẾU KẾT QUẢ THỬ NGHIỆM (mẫu demo)")
    canvas.setFont(font, 11)
    lines = [
        f"Mẫu: {batch.variant.page.title} – lô {batch.lot_code}",
        "Chỉ tiêu: dư lượng thuốc bảo vệ thực vật (LC-MS/MS), kim loại nặng (Pb, Cd, As)",
        "Kết quả: không phát hiện / dưới giới hạn cho phép theo QCVN 8-2:2011/BYT",
        "Phòng thử nghiệm: Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 1 (dữ liệu demo)",
    ]
    for i, line in enumerate(lines):
        canvas.drawString(60, 740 - i * 20, line)
    canvas.save()
    return buffer.getvalue()


def _add_lab_result(batch: Batch) -> None:
    if batch.lab_results.exists():
        return
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title=f"Kết quả thử nghiệm lô {batch.lot_code}",
        file=ContentFile(_lab_report_pdf(batch), name=f"ket-qua-{batch.short_code}.pdf"),
        collection=batch.variant.page.producer.collection or Document.get_default_collection(),
    )
    BatchDocument.objects.create(
        batch=batch,
        title="Dư lượng thuốc BVTV và kim loại nặng",
        laboratory="QUATEST 1 (demo)",
        tested_on=batch.packed_on,
        document=document,
    )


def _batch(page: ProductPage, area: GrowingArea, lot: str, harvest: dt.date) -> Batch:
    variant = page.variants.order_by("sort_order", "pk").first()
    batch = Batch.objects.filter(variant=variant, lot_code=lot).first()
    if batch is not None:
        return batch
    batch = Batch.objects.create(
        variant=variant,
        lot_code=lot,
        harvested_on=harvest,
        packed_on=harvest + dt.timedelta(days=1),
        expires_on=harvest + dt.timedelta(days=365),
        quantity=Decimal(100 + _seed(lot + page.title) % 900),
        unit="kg",
    )
    batch.growing_areas.add(area)
    short = str(page.producer)
    start = timezone.make_aware(dt.datetime.combine(harvest, dt.time(6, 30)))
    for kind, hours, place, actor, description in JOURNEY:
        record_event(
            batch,
            kind=kind,
            occurred_at=start + dt.timedelta(hours=hours),
            place=place.format(area=area.name, short=short),
            actor=actor.format(short=short),
            description=description,
            growing_area=area if kind == "harvesting" else None,
        )
    return batch


@transaction.atomic
def load_demo(stdout: TextIO | None = None) -> None:
    setup_traceability_permissions()
    pages = list(
        ProductPage.objects.live()
        .filter(locale__language_code="vi", alias_of__isnull=True)
        .select_related("producer")
        .order_by("path")
    )
    today = timezone.localdate()
    batches: list[Batch] = []
    for index, page in enumerate(pages, start=1):
        area = _area_for(page)
        seed = _seed(page.translation_key.hex)
        for n, days_ago in enumerate((75, 21)):
            harvest = today - dt.timedelta(days=days_ago + index % 7)
            lot = f"{chr(65 + n)}{seed % 100000:05d}"  # stable, so re-runs find it
            batches.append(_batch(page, area, lot, harvest))

    if not batches:
        if stdout:
            stdout.write("  traceability: no published products, nothing to do\n")
        return
    if not Batch.objects.filter(status=BatchStatus.RECALLED).exists():
        recalled = batches[2] if len(batches) > 2 else batches[0]
        set_batch_status(
            recalled,
            BatchStatus.RECALLED,
            "Thu hồi tự nguyện: một số hộp bị phồng nắp do lỗi đóng gói (dữ liệu demo).",
        )
    serialised = next((b for b in batches if b.variant.gtin and not b.is_recalled), batches[-1])
    if not any(b.serials.exists() for b in batches):
        generate_serials(serialised, 20)
    serialised = next((b for b in batches if b.serials.exists()), serialised)
    _add_lab_result(serialised)
    if stdout:
        stdout.write(
            f"  traceability: {GrowingArea.objects.count()} growing areas, "
            f"{Batch.objects.count()} batches; serialised batch {serialised.lot_code} "
            f"(short code {serialised.short_code}): /vi/truy-xuat/{serialised.short_code}/\n"
        )
