"""A small, realistic catalogue for the search behaviour suite (built once per module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from catalog.models import Certificate, OcopGroup, ProducerType, ProductPage
from tests.factories import ProducerFactory, leaf_group, make_product


@dataclass
class Catalogue:
    products: dict[str, ProductPage] = field(default_factory=dict)
    hidden: dict[str, ProductPage] = field(default_factory=dict)

    def group(self, slug: str) -> OcopGroup:
        return OcopGroup.objects.get(scheme="148", slug=slug)

    def top(self, slug: str) -> OcopGroup:
        return self.group(slug).top


# title → (producer key, group slug, stars, prices, stock, summary, days since published)
PRODUCTS = {
    "Vải thiều Lục Ngạn": (
        "luc_ngan",
        "rau-cu-qua-hat-tuoi",
        4,
        [120_000],
        40,
        "Vải thiều tươi hái tại vườn đồi Lục Ngạn, cùi dày, hạt nhỏ.",
        50,
    ),
    "Cà phê Robusta Đắk Lắk": (
        "dak_lak",
        "ca-phe-ca-cao",
        5,
        [250_000, 450_000],
        30,
        "Cà phê Robusta rang mộc từ cao nguyên Buôn Ma Thuột.",
        40,
    ),
    "Nước mắm Phan Thiết 40 độ đạm": (
        "phan_thiet",
        "nuoc-mam",
        4,
        [95_000],
        100,
        "Nước mắm cá cơm ủ chượp 12 tháng trong thùng gỗ.",
        30,
    ),
    "Mắm tôm Sầm Sơn": (
        "phan_thiet",
        "tuong-nuoc-cham",
        3,
        [60_000],
        20,
        "Mắm tôm lên men tự nhiên, đóng hũ thủy tinh.",
        20,
    ),
    "Mật ong hoa nhãn": (
        "honey",
        "mat-ong-nong-san-so-che",
        3,
        [180_000],
        15,
        "Mật ong nguyên chất từ vườn nhãn Hưng Yên.",
        10,
    ),
    "Mật ong rừng U Minh": (
        "honey",
        "mat-ong-nong-san-so-che",
        4,
        [320_000],
        8,
        "Mật ong rừng tràm khai thác thủ công.",
        5,
    ),
    "Mâm gỗ sơn mài": (
        "luc_ngan",
        "do-gia-dung-trang-tri",
        3,
        [550_000],
        5,
        "Mâm gỗ vẽ tay, sơn ta nhiều lớp.",
        60,
    ),
    "Chè Shan tuyết cổ thụ": (
        "honey",
        "che",
        4,
        [300_000],
        0,
        "Chè Shan tuyết hái từ cây cổ thụ trên núi cao.",
        70,
    ),
}

PRODUCERS = {
    "luc_ngan": {
        "name": "Hợp tác xã Vải thiều Lục Ngạn",
        "short_name": "HTX Vải Lục Ngạn",
        "kind": ProducerType.COOPERATIVE,
        "province_code": 24,
    },
    "dak_lak": {
        "name": "Công ty TNHH Cà phê Cao Nguyên",
        "short_name": "Cà phê Cao Nguyên",
        "kind": ProducerType.ENTERPRISE,
        "province_code": 66,
    },
    "phan_thiet": {
        "name": "Cơ sở chế biến hải sản Hòa Thắng",
        "short_name": "Cơ sở Hòa Thắng",
        "kind": ProducerType.HOUSEHOLD,
        "province_code": 68,
    },
    "honey": {
        "name": "Tổ hợp tác Nông sản Tây Bắc",
        "short_name": "THT Nông sản Tây Bắc",
        "kind": ProducerType.COOPERATIVE_GROUP,
        "province_code": 33,
    },
}


def build_catalogue() -> Catalogue:
    from catalog.services import revoke_certificate
    from cms.services import setup_site, translate_tree

    home = setup_site()
    producers = {key: ProducerFactory(**fields) for key, fields in PRODUCERS.items()}
    cat = Catalogue()
    now = timezone.now()
    for title, (who, slug, stars, prices, stock, summary, age) in PRODUCTS.items():
        page = make_product(
            producers[who],
            title=title,
            group=leaf_group(slug),
            stars=stars,
            summary=summary,
            variants=[
                {"name": f"Loại {i + 1}", "price": price, "stock": stock}
                for i, price in enumerate(prices)
            ],
        )
        ProductPage.objects.filter(pk=page.pk).update(
            first_published_at=now - dt.timedelta(days=age)
        )
        cat.products[title] = page

    # Not for sale as OCOP: a draft, a revoked certificate, an expired one still live.
    honey = producers["honey"]
    cat.hidden["draft"] = make_product(honey, title="Mật ong bạc hà bản nháp", publish=False)
    revoked = make_product(honey, title="Mật ong rừng bị thu hồi")
    revoke_certificate(Certificate.objects.get(product=revoked), reason="test")
    cat.hidden["revoked"] = revoked
    expired = make_product(honey, title="Mật ong Phú Quốc hết hạn")
    translate_tree(home)
    # Expired yesterday; the daily run has not unpublished it yet.
    Certificate.objects.filter(product=expired).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    cat.hidden["expired"] = expired
    return cat
