"""A believable demo catalogue, built from data through the catalogue's own services.

The producers and products are data (catalog/data/demo/catalogue.json): 18 producers of the
four types in 14 provinces, 86 products across the six OCOP groups, with 3★, 4★ and a few 5★
products published, and products that must stay unpublished: rated 1–2★, with an expired
certificate, or with a revoked one. `create_producer`, `record_certificate` and
`revoke_certificate` build them as an officer would; product images are drawn here (no
downloads). The test factories are for tests only.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import io
import json
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from catalog.addresses import wards_of
from catalog.gtin import gtin_check_digit
from catalog.models import (
    CriteriaSet,
    IssuingLevel,
    OcopGroup,
    Producer,
    ProducerPage,
    ProductImage,
    ProductPage,
    ProductVariant,
)
from catalog.permissions import OFFICERS_GROUP

DATA = Path(__file__).resolve().parent / "data" / "demo" / "catalogue.json"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# Scores (A, B, C) inside each star band of the 148/2023 criteria (A ≤ 40, B ≤ 25, C ≤ 35).
SCORES_FOR_STARS = {
    1: (8, 5, 7),
    2: (16, 10, 14),
    3: (25, 15, 20),
    4: (32, 20, 28),
    5: (38, 24, 31),
}
DEMO_TAX_CODES_FROM = 480_000_001  # the first nine digits; the tenth is the check digit
DEMO_GTIN_PREFIX = "8930001"


def catalogue_data(path: Path = DATA) -> list[dict[str, Any]]:
    """The demo producers, each with its products (see the data file for the fields)."""
    return json.loads(path.read_text(encoding="utf-8"))


# --- Pictures ---------------------------------------------------------------------------------

GROUP_HUES = {"1": 0.10, "2": 0.58, "3": 0.33, "4": 0.04, "5": 0.85, "6": 0.50}


def _color(hue: float, light: float, sat: float = 0.55) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue % 1, light, sat)
    return int(r * 255), int(g * 255), int(b * 255)


def draw_product_image(title: str, group_code: str, variant: int = 0) -> bytes:
    """A 800×600 illustration: a coloured still life with the product's name."""
    digest = hashlib.sha256(f"{title}{variant}".encode()).digest()
    hue = GROUP_HUES.get(group_code[:1], 0.2) + (digest[0] - 128) / 2000
    img = PILImage.new("RGB", (800, 600), _color(hue, 0.9, 0.35))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        y = 360 + i * 40
        draw.rectangle([0, y, 800, y + 40], fill=_color(hue + 0.02 * i, 0.78 - i * 0.03, 0.4))
    for i in range(3 + digest[1] % 4):
        cx = 140 + (digest[2 + i] * 2) % 520
        cy = 220 + (digest[8 + i]) % 140
        rad = 50 + digest[14 + i] % 60
        draw.ellipse(
            [cx - rad, cy - rad, cx + rad, cy + rad], fill=_color(hue + 0.05 * i, 0.45, 0.6)
        )
        draw.ellipse([cx - rad // 3, cy - rad + 8, cx, cy - rad // 2], fill=_color(hue, 0.85, 0.3))
    try:
        font = ImageFont.truetype(FONT, 40)
        small = ImageFont.truetype(FONT, 24)
    except OSError:  # pragma: no cover - DejaVu missing
        font = small = ImageFont.load_default()
    draw.rectangle([0, 0, 800, 110], fill=_color(hue, 0.25, 0.5))
    draw.text((30, 20), title[:34], font=font, fill=(255, 255, 255))
    draw.text((30, 70), "OCOP", font=small, fill=(242, 193, 78))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def add_gallery(page: ProductPage, producer: Producer, count: int = 2) -> None:
    for i in range(count):
        data = draw_product_image(page.title, page.group.code, i)
        image = Image(
            title=f"{page.title} {i + 1}",
            file=ImageFile(io.BytesIO(data), name=f"{page.slug}-{i + 1}.jpg"),
            collection=producer.collection,
        )
        image.save()
        page.gallery.add(ProductImage(image=image, caption=page.title if i == 0 else ""))
    page.save_revision()


# --- Building ---------------------------------------------------------------------------------


def _ward(province_code: int, hint: str) -> int:
    wards = wards_of(province_code)
    for code, name in wards:
        if hint.lower() in name.lower():
            return code
    return wards[0][0]


def _criteria(code: str) -> CriteriaSet:
    return CriteriaSet.objects.get(code=code)


def _cert_kwargs(p: dict[str, Any], province: str, index: int) -> dict[str, Any]:
    today = timezone.localdate()
    state, stars = p.get("state", "ok"), p["stars"]
    if state == "expired":
        decision = today - dt.timedelta(days=37 * 30)
        return {
            "decision_date": decision,
            "criteria_set": _criteria("148/2023"),
            "issuing_body": f"UBND tỉnh {province}",
            "issuing_level": IssuingLevel.PROVINCE if stars == 4 else IssuingLevel.DISTRICT,
        }
    if state == "expiring":
        decision = today - dt.timedelta(days=36 * 30 + 12)
        return {
            "decision_date": decision,
            "criteria_set": _criteria("148/2023"),
            "issuing_body": f"UBND huyện thuộc tỉnh {province}",
            "issuing_level": IssuingLevel.DISTRICT,
        }
    if state == "old-1048":
        return {
            "decision_date": dt.date(2023, 1, 16),
            "criteria_set": _criteria("1048/2019"),
            "issuing_body": f"UBND huyện thuộc tỉnh {province}",
            "issuing_level": IssuingLevel.DISTRICT,
            "score_a": 28,
            "score_b": 15,
            "score_c": 20,
            "total_score": 63,
        }
    if stars == 5:
        return {
            "decision_date": today - dt.timedelta(days=300 + index),
            "criteria_set": _criteria("148/2023"),
            "issuing_body": "Bộ Nông nghiệp và Phát triển nông thôn",
            "issuing_level": IssuingLevel.CENTRAL,
        }
    if index % 2:
        return {
            "decision_date": today - dt.timedelta(days=90 + index * 3),
            "criteria_set": _criteria("148/2023 + 1489/2025"),
            "issuing_body": f"UBND tỉnh {province}",
            "issuing_level": IssuingLevel.PROVINCE,
        }
    return {
        "decision_date": dt.date(2024, 3, 1) + dt.timedelta(days=index * 5),
        "criteria_set": _criteria("148/2023"),
        "issuing_body": f"UBND tỉnh {province}"
        if stars == 4
        else f"UBND huyện thuộc tỉnh {province}",
        "issuing_level": IssuingLevel.PROVINCE if stars == 4 else IssuingLevel.DISTRICT,
    }


def _free_gtins():
    """GTIN-13s under the demo prefix that no variant uses yet."""
    taken = set(ProductVariant.objects.exclude(gtin="").values_list("gtin", flat=True))
    number = 0
    while True:
        number += 1
        body = f"{DEMO_GTIN_PREFIX}{number:05d}"[:12]
        gtin = body + gtin_check_digit(body)
        if gtin not in taken:
            yield gtin


def _free_tax_codes():
    from catalog.tax_codes import check_digit

    taken = set(Producer.objects.values_list("tax_code", flat=True))
    number = DEMO_TAX_CODES_FROM
    while True:
        body = f"{number:09d}"
        code = body + check_digit(body)
        if len(code) == 10 and code not in taken:
            yield code
        number += 1


def _add_product(
    producer: Producer, p: dict[str, Any], variants: list[dict[str, Any]], cert: dict[str, Any]
) -> ProductPage:
    """A product page under its producer's page with its variants and, if rated, its
    certificate recorded through `record_certificate`; its first revision is saved by
    `add_gallery`, which always follows (one revision per product, not two)."""
    from catalog.services import record_certificate

    parent = ProducerPage.objects.get(producer=producer, alias_of__isnull=True)
    page = ProductPage(
        title=p["title"],
        group=OcopGroup.objects.get(scheme="148", slug=p["group"]),
        summary=p["summary"],
        live=False,
    )
    for spec in variants:
        page.variants.add(ProductVariant(**spec))
    parent.add_child(instance=page)
    if p["stars"] is not None:
        score_a, score_b, score_c = SCORES_FOR_STARS[p["stars"]]
        fields = {
            "score_a": Decimal(score_a),
            "score_b": Decimal(score_b),
            "score_c": Decimal(score_c),
            "stars": p["stars"],
            "decision_number": f"{1000 + page.pk}/QĐ-UBND",
            **cert,
        }
        record_certificate(product=page, **fields)
    return page


@transaction.atomic
def build_catalogue(
    out: TextIO | None = None, producers_data: list[dict[str, Any]] | None = None
) -> list[Producer]:
    from catalog.services import create_producer, revoke_certificate

    producers = []
    index = 0
    gtins = _free_gtins()
    tax_codes = _free_tax_codes()
    for entry in catalogue_data() if producers_data is None else producers_data:
        legal, short = entry["name"], entry["short_name"]
        ward_hint, old_province = entry["ward_hint"], entry["issuing_province"]
        producer = Producer.objects.filter(name=legal).first()
        if producer is not None:
            producers.append(producer)
            continue
        tax_code = next(tax_codes)
        # Nobody is told these editors' passwords (`reset_accounts` gives the printed
        # ones a new one): no usable password, and no key stretching to pay for it.
        onboarded = create_producer(
            editor_username=f"editor-{producer_slug(short)}",
            editor_email=f"editor-{tax_code}@example.vn",
            editor_can_sign_in=False,
            name=legal,
            short_name=short,
            kind=entry["kind"],
            tax_code=tax_code,
            province_code=entry["province_code"],
            ward_code=_ward(entry["province_code"], ward_hint),
            street_address="",
            address_as_recorded=f"{ward_hint}, tỉnh {old_province}",
            phone="0912345678",
            email=f"{producer_slug(short)}@example.vn",
        )
        producer = onboarded.producer
        page = onboarded.page
        page.story = (
            f"<p>{legal} gìn giữ nghề truyền thống của vùng {ward_hint}, {old_province}.</p>"
        )
        page.save_revision().publish()
        producers.append(producer)
        for p in entry["products"]:
            index += 1
            state = p.get("state", "ok")
            variants = [
                {
                    "name": v["name"],
                    "price": v["price"],
                    "weight_grams": v["weight_grams"],
                    "gtin": next(gtins) if p.get("gtin", True) else "",
                    "stock": 20 + (index * 7 + i * 13) % 80,
                    "sku": f"{producer_slug(short)[:8].upper()}-{index:03d}-{i}",
                }
                for i, v in enumerate(p["variants"])
            ]
            page = _add_product(producer, p, variants, _cert_kwargs(p, old_province, index))
            add_gallery(page, producer, count=2 if index % 3 else 1)
            publish = state in ("ok", "expiring", "revoked") and (p["stars"] or 0) >= 3
            if publish:
                page.get_latest_revision().publish()
                page.refresh_from_db()
            if state == "revoked":
                cert = page.certificates.first()
                revoke_certificate(
                    cert, reason="Kiểm tra sau chứng nhận không đạt chỉ tiêu chất lượng"
                )
        if out:
            out.write(f"  {short}: {len(entry['products'])} products\n")
    return producers


def producer_slug(name: str) -> str:
    from django.utils.text import slugify

    from catalog.search.text import fold

    return slugify(fold(name))


def reset_accounts() -> list[tuple[str, str, str]]:
    """Create (or reset the passwords of) the demo accounts; return (role, user, password)."""
    User = get_user_model()
    rows = []
    admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.vn"})
    admin.is_superuser = admin.is_staff = True
    password = secrets.token_urlsafe(10)
    admin.set_password(password)
    admin.save()
    rows.append(("superuser", "admin", password))

    officer, _ = User.objects.get_or_create(
        username="canbo.ocop",
        defaults={"email": "canbo.ocop@example.vn", "first_name": "Cán bộ", "last_name": "OCOP"},
    )
    password = secrets.token_urlsafe(10)
    officer.set_password(password)
    officer.save()
    officer.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    rows.append(("OCOP officer", officer.username, password))

    for short in ("HTX Lục Ngạn", "HTX Chè Tân Cương"):
        user = User.objects.get(username=f"editor-{producer_slug(short)}")
        password = secrets.token_urlsafe(10)
        user.set_password(password)
        user.save()
        rows.append((f"editor of {short}", user.username, password))
    return rows
