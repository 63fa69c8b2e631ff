"""A believable demo catalogue, built through the same factories as the tests.

17 producers of the four types in 14 provinces, 90 products across the six OCOP groups, with
3★, 4★ and a few 5★ products published, and products that must stay unpublished: rated 1–2★,
with an expired certificate, or with a revoked one. Product images are drawn here (no downloads).
"""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass
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
from catalog.models import (
    IssuingLevel,
    OcopGroup,
    Producer,
    ProducerType,
    ProductImage,
    ProductPage,
)
from catalog.permissions import OFFICERS_GROUP

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass
class P:
    """One demo product: title, subgroup slug, stars (None: no certificate), variants."""

    title: str
    group: str
    stars: int | None
    variants: list[tuple[str, int, int]]  # (name, price VND, weight g)
    summary: str
    state: str = "ok"  # ok | expired | revoked | expiring | old-1048 | draft
    gtin: bool = True


# (legal name, short name, type, province code, ward hint, issuing province, products)
PRODUCERS: list[tuple[str, str, str, int, str, str, list[P]]] = [
    (
        "Hợp tác xã Nông nghiệp Dịch vụ Lục Ngạn",
        "HTX Lục Ngạn",
        ProducerType.COOPERATIVE,
        24,
        "Lục Ngạn",
        "Bắc Ninh",
        [
            P(
                "Vải thiều Lục Ngạn",
                "rau-cu-qua-hat-tuoi",
                4,
                [("Hộp 2 kg", 180_000, 2200), ("Thùng 5 kg", 420_000, 5400)],
                "Vải thiều chín cây, cùi dày, hạt nhỏ, hái buổi sớm và đóng hộp trong ngày.",
            ),
            P(
                "Vải thiều sấy khô Lục Ngạn",
                "thuc-pham-che-bien",
                3,
                [("Túi 500 g", 165_000, 550)],
                "Vải sấy lò than truyền thống, ngọt thanh, để được quanh năm.",
            ),
            P(
                "Mật ong hoa vải Lục Ngạn",
                "mat-ong-nong-san-so-che",
                4,
                [("Chai 500 ml", 220_000, 750)],
                "Mật ong hoa vải thu hoạch tháng tư, thơm mùi vải chín.",
            ),
            P(
                "Cam Lục Ngạn",
                "rau-cu-qua-hat-tuoi",
                3,
                [("Thùng 5 kg", 250_000, 5300)],
                "Cam sành vỏ mỏng, mọng nước, trồng theo VietGAP.",
            ),
            P(
                "Nước cốt vải thiều",
                "do-uong-khong-con-khac",
                2,
                [("Chai 330 ml", 45_000, 400)],
                "Nước vải ép nguyên chất.",
                state="draft",
            ),
        ],
    ),
    (
        "Công ty TNHH Cà phê Buôn Ma Thuột Xanh",
        "Cà phê BMT Xanh",
        ProducerType.ENTERPRISE,
        66,
        "Buôn Ma Thuột",
        "Đắk Lắk",
        [
            P(
                "Cà phê Robusta Buôn Ma Thuột rang mộc",
                "ca-phe-ca-cao",
                4,
                [("Gói 500 g", 160_000, 520), ("Gói 1 kg", 300_000, 1030)],
                "Robusta Đắk Lắk chín đỏ, rang mộc không tẩm ướp.",
            ),
            P(
                "Cà phê Arabica Cư M'gar",
                "ca-phe-ca-cao",
                4,
                [("Gói 250 g", 145_000, 270)],
                "Arabica sơ chế ướt, hương trái cây, vị chua thanh.",
            ),
            P(
                "Cà phê phin giấy Đắk Lắk",
                "ca-phe-ca-cao",
                3,
                [("Hộp 10 gói", 95_000, 180)],
                "Cà phê phin giấy tiện lợi, pha trong 4 phút.",
            ),
            P(
                "Cà phê chồn Đắk Lắk",
                "ca-phe-ca-cao",
                5,
                [("Hộp 250 g", 950_000, 320)],
                "Cà phê lên men tự nhiên, hậu vị ngọt sâu; sản phẩm OCOP 5 sao.",
            ),
            P(
                "Ca cao Đắk Lắk nguyên chất",
                "ca-phe-ca-cao",
                3,
                [("Hũ 200 g", 120_000, 260)],
                "Bột ca cao lên men 6 ngày, không đường.",
            ),
            P(
                "Cà phê hòa tan 3 in 1 Ban Mê",
                "ca-phe-ca-cao",
                3,
                [("Hộp 18 gói", 75_000, 350)],
                "Cà phê hòa tan từ Robusta địa phương.",
                state="expired",
            ),
        ],
    ),
    (
        "Công ty Cổ phần Nước mắm Phan Thiết Mũi Né",
        "Nước mắm Mũi Né",
        ProducerType.ENTERPRISE,
        68,
        "Phan Thiết",
        "Bình Thuận",
        [
            P(
                "Nước mắm Phan Thiết 40 độ đạm",
                "nuoc-mam",
                4,
                [("Chai 500 ml", 135_000, 800), ("Can 2 lít", 460_000, 2500)],
                "Nước mắm nhỉ cá cơm than ủ chượp 12 tháng trong thùng gỗ.",
            ),
            P(
                "Nước mắm Phan Thiết 30 độ đạm",
                "nuoc-mam",
                3,
                [("Chai 500 ml", 85_000, 800)],
                "Nước mắm truyền thống cho bữa cơm hằng ngày.",
            ),
            P(
                "Mắm ruốc Phan Thiết",
                "gia-vi-khac",
                3,
                [("Hũ 400 g", 70_000, 500)],
                "Mắm ruốc ủ muối biển, thơm đậm.",
            ),
            P(
                "Nước mắm cá cơm nhỉ đặc biệt",
                "nuoc-mam",
                5,
                [("Chai 250 ml", 320_000, 450)],
                "Giọt nước mắm nhỉ đầu tiên, 45 độ đạm; OCOP 5 sao.",
            ),
            P(
                "Nước mắm chay Mũi Né",
                "nuoc-mam",
                2,
                [("Chai 500 ml", 60_000, 750)],
                "Nước mắm chay từ đậu nành.",
                state="draft",
                gtin=False,
            ),
        ],
    ),
    (
        "Hợp tác xã Chè Tân Cương Hoàng Bình",
        "HTX Chè Tân Cương",
        ProducerType.COOPERATIVE,
        19,
        "Tân Cương",
        "Thái Nguyên",
        [
            P(
                "Chè Tân Cương đinh",
                "che",
                5,
                [("Hộp 100 g", 450_000, 200)],
                "Búp chè một tôm, sao tay trên chảo gang; OCOP 5 sao.",
            ),
            P(
                "Chè móc câu Tân Cương",
                "che",
                4,
                [("Túi 500 g", 280_000, 550)],
                "Chè móc câu cánh nhỏ, nước xanh, vị chát dịu hậu ngọt.",
            ),
            P(
                "Chè nõn tôm Thái Nguyên",
                "che",
                4,
                [("Túi 200 g", 190_000, 240)],
                "Chè nõn tôm hái tay vụ xuân.",
            ),
            P(
                "Trà xanh túi lọc Tân Cương",
                "che",
                3,
                [("Hộp 25 túi", 65_000, 120)],
                "Trà xanh túi lọc tiện dùng nơi công sở.",
            ),
            P(
                "Hồng trà Tân Cương",
                "che",
                3,
                [("Hộp 100 g", 150_000, 180)],
                "Chè lên men hoàn toàn, nước đỏ nâu.",
            ),
        ],
    ),
    (
        "Hợp tác xã Mật ong Bắc Hà",
        "HTX Mật ong Bắc Hà",
        ProducerType.COOPERATIVE,
        15,
        "Bắc Hà",
        "Lào Cai",
        [
            P(
                "Mật ong hoa bạc hà",
                "mat-ong-nong-san-so-che",
                4,
                [("Chai 500 ml", 250_000, 750), ("Chai 1 lít", 480_000, 1450)],
                "Mật ong hoa bạc hà cao nguyên đá, kết tinh mịn khi trời lạnh.",
            ),
            P(
                "Mật ong rừng Bắc Hà",
                "mat-ong-nong-san-so-che",
                3,
                [("Chai 500 ml", 300_000, 750)],
                "Mật ong khai thác từ rừng tự nhiên.",
            ),
            P(
                "Mận Bắc Hà sấy dẻo",
                "thuc-pham-che-bien",
                3,
                [("Túi 300 g", 85_000, 330)],
                "Mận tam hoa sấy dẻo, chua ngọt.",
            ),
            P(
                "Rượu ngô Bắc Hà",
                "ruou-trang",
                4,
                [("Chai 500 ml", 120_000, 900)],
                "Rượu ngô men lá nấu theo cách của người Mông.",
            ),
            P(
                "Mật ong sữa chúa Bắc Hà",
                "thuc-pham-chuc-nang",
                3,
                [("Hũ 200 g", 350_000, 300)],
                "Mật ong trộn sữa ong chúa tươi.",
                state="revoked",
            ),
        ],
    ),
    (
        "Tổ hợp tác Gạo thơm Mỹ Xuyên",
        "THT Gạo Mỹ Xuyên",
        ProducerType.COOPERATIVE_GROUP,
        92,
        "Mỹ Xuyên",
        "Sóc Trăng",
        [
            P(
                "Gạo ST25 Mỹ Xuyên",
                "gao-ngu-coc",
                4,
                [("Túi 5 kg", 185_000, 5100)],
                "Gạo ST25 trồng trên đất luân canh tôm – lúa, cơm dẻo thơm lá dứa.",
            ),
            P(
                "Gạo lứt đỏ ST25",
                "gao-ngu-coc",
                3,
                [("Túi 2 kg", 90_000, 2050)],
                "Gạo lứt đỏ giữ lớp cám giàu chất xơ.",
            ),
            P(
                "Gạo ST24 hữu cơ",
                "gao-ngu-coc",
                4,
                [("Túi 5 kg", 210_000, 5100)],
                "Gạo hữu cơ chứng nhận, không phân bón hóa học.",
            ),
            P(
                "Bánh pía Sóc Trăng sầu riêng",
                "thuc-pham-che-bien",
                4,
                [("Hộp 4 cái", 95_000, 500)],
                "Bánh pía nhân sầu riêng trứng muối, vỏ ngàn lớp.",
            ),
            P(
                "Bánh phồng tôm Mỹ Xuyên",
                "thuc-pham-che-bien",
                3,
                [("Gói 500 g", 70_000, 520)],
                "Bánh phồng tôm tươi, chiên giòn.",
            ),
        ],
    ),
    (
        "Hộ kinh doanh Nem chua Hậu Lộc Bà Hường",
        "Nem chua Bà Hường",
        ProducerType.HOUSEHOLD,
        38,
        "Hậu Lộc",
        "Thanh Hóa",
        [
            P(
                "Nem chua Thanh Hóa",
                "thuc-pham-che-bien",
                3,
                [("Chục 10 cái", 60_000, 450)],
                "Nem chua thịt lợn, lá đinh lăng, ủ 3 ngày.",
                gtin=False,
            ),
            P(
                "Mắm tôm Hậu Lộc",
                "tuong-nuoc-cham",
                4,
                [("Hũ 500 g", 55_000, 650)],
                "Mắm tôm moi ủ chượp, mịn và thơm.",
            ),
            P(
                "Chả tôm Thanh Hóa",
                "thuc-pham-che-bien",
                3,
                [("Hộp 500 g", 150_000, 550)],
                "Chả tôm nướng than hoa, đóng hộp cấp đông.",
                gtin=False,
            ),
            P(
                "Bánh gai Tứ Trụ",
                "thuc-pham-che-bien",
                3,
                [("Hộp 10 cái", 90_000, 700)],
                "Bánh gai lá gai rừng, nhân đỗ xanh dừa.",
                gtin=False,
            ),
        ],
    ),
    (
        "Hợp tác xã Tỏi Lý Sơn",
        "HTX Tỏi Lý Sơn",
        ProducerType.COOPERATIVE,
        51,
        "Lý Sơn",
        "Quảng Ngãi",
        [
            P(
                "Tỏi cô đơn Lý Sơn",
                "rau-cu-qua-hat-tuoi",
                4,
                [("Túi 500 g", 250_000, 520)],
                "Tỏi một tép trồng trên cát núi lửa, hăng nồng.",
            ),
            P(
                "Tỏi Lý Sơn nhiều tép",
                "rau-cu-qua-hat-tuoi",
                3,
                [("Túi 1 kg", 180_000, 1030)],
                "Tỏi tép trắng ngà, củ chắc.",
            ),
            P(
                "Tỏi đen Lý Sơn",
                "thuc-pham-chuc-nang",
                4,
                [("Hũ 250 g", 280_000, 400)],
                "Tỏi lên men 45 ngày, dẻo ngọt.",
            ),
            P(
                "Rượu tỏi Lý Sơn",
                "do-uong-co-con-khac",
                3,
                [("Chai 500 ml", 150_000, 900)],
                "Rượu gạo ngâm tỏi cô đơn.",
            ),
            P(
                "Hành tím Lý Sơn",
                "rau-cu-qua-hat-tuoi",
                3,
                [("Túi 1 kg", 90_000, 1030)],
                "Hành tím củ nhỏ, thơm, để lâu.",
            ),
        ],
    ),
    (
        "Hợp tác xã Bưởi Đoan Hùng",
        "HTX Bưởi Đoan Hùng",
        ProducerType.COOPERATIVE,
        25,
        "Đoan Hùng",
        "Phú Thọ",
        [
            P(
                "Bưởi Sửu Đoan Hùng",
                "rau-cu-qua-hat-tuoi",
                4,
                [("Quả 1,2 kg", 70_000, 1300), ("Thùng 6 quả", 390_000, 7500)],
                "Bưởi Sửu tép vàng, ngọt mát, không hạt lép.",
            ),
            P(
                "Bưởi Bằng Luân",
                "rau-cu-qua-hat-tuoi",
                3,
                [("Quả 1 kg", 55_000, 1100)],
                "Bưởi Bằng Luân vị ngọt thanh, để lâu.",
            ),
            P(
                "Tinh dầu vỏ bưởi Đoan Hùng",
                "tinh-dau",
                3,
                [("Chai 50 ml", 120_000, 120)],
                "Chưng cất từ vỏ bưởi, dưỡng tóc.",
            ),
            P(
                "Chè Long Cốc Phú Thọ",
                "che",
                4,
                [("Túi 200 g", 150_000, 240)],
                "Chè xanh đồi Long Cốc, nước vàng sánh.",
            ),
        ],
    ),
    (
        "Công ty TNHH Rượu Bàu Đá An Nhơn",
        "Rượu Bàu Đá",
        ProducerType.ENTERPRISE,
        52,
        "An Nhơn",
        "Bình Định",
        [
            P(
                "Rượu Bàu Đá 45 độ",
                "ruou-trang",
                4,
                [("Chai 500 ml", 160_000, 950)],
                "Rượu gạo nấu bằng nước giếng Bàu Đá, chưng cất hai lần.",
            ),
            P(
                "Rượu Bàu Đá ngâm chuối hột",
                "ruou-trang",
                3,
                [("Chai 500 ml", 140_000, 950)],
                "Rượu ngâm chuối hột rừng.",
            ),
            P(
                "Nem chợ Huyện",
                "thuc-pham-che-bien",
                4,
                [("Chục 10 cái", 70_000, 400)],
                "Nem chua chợ Huyện gói lá chuối.",
                gtin=False,
            ),
            P(
                "Bánh tráng nước dừa Tam Quan",
                "thuc-pham-che-bien",
                3,
                [("Xấp 10 cái", 40_000, 500)],
                "Bánh tráng nướng nước cốt dừa.",
            ),
            P(
                "Rượu Bàu Đá hũ sành",
                "ruou-trang",
                3,
                [("Hũ 2 lít", 380_000, 3500)],
                "Rượu ủ hũ sành 12 tháng.",
                state="old-1048",
            ),
        ],
    ),
    (
        "Hợp tác xã Dệt thổ cẩm Mai Châu",
        "HTX Thổ cẩm Mai Châu",
        ProducerType.COOPERATIVE,
        25,
        "Mai Châu",
        "Hòa Bình",
        [
            P(
                "Khăn thổ cẩm Mai Châu",
                "vai-may-mac",
                3,
                [("Chiếc 40×180 cm", 250_000, 250)],
                "Khăn dệt tay hoa văn Thái trắng.",
                gtin=False,
            ),
            P(
                "Túi thổ cẩm dệt tay",
                "vai-may-mac",
                4,
                [("Chiếc", 320_000, 400)],
                "Túi đeo vai dệt thổ cẩm, lót vải bố.",
                gtin=False,
            ),
            P(
                "Gối tựa thổ cẩm",
                "do-gia-dung-trang-tri",
                3,
                [("Vỏ gối 45×45 cm", 180_000, 300)],
                "Vỏ gối hoa văn truyền thống.",
                gtin=False,
            ),
            P(
                "Du lịch cộng đồng bản Lác",
                "du-lich",
                4,
                [("Vé trải nghiệm 1 ngày", 350_000, 0)],
                "Một ngày ở bản Lác: dệt vải, nấu cơm lam, múa xòe.",
                gtin=False,
            ),
        ],
    ),
    (
        "Hộ kinh doanh Gốm Bát Tràng Minh Hải",
        "Gốm Minh Hải",
        ProducerType.HOUSEHOLD,
        1,
        "Bát Tràng",
        "Hà Nội",
        [
            P(
                "Bộ ấm chén men lam Bát Tràng",
                "do-gia-dung-trang-tri",
                4,
                [("Bộ 1 ấm 6 chén", 650_000, 1800)],
                "Gốm men lam vẽ tay, nung 1.250°C.",
            ),
            P(
                "Bình hoa men rạn Bát Tràng",
                "do-gia-dung-trang-tri",
                3,
                [("Bình cao 30 cm", 480_000, 2000)],
                "Bình men rạn cổ, dáng tỏi.",
            ),
            P(
                "Đĩa gốm men hoa lam",
                "do-gia-dung-trang-tri",
                3,
                [("Đĩa 26 cm", 220_000, 800)],
                "Đĩa gốm vẽ sen, dùng được máy rửa bát.",
            ),
            P(
                "Bát ăn cơm men trắng ngà",
                "do-gia-dung-trang-tri",
                3,
                [("Bộ 10 bát", 300_000, 2600)],
                "Bát gốm men trắng ngà an toàn thực phẩm.",
            ),
            P(
                "Tượng gốm Phúc Lộc Thọ",
                "do-gia-dung-trang-tri",
                1,
                [("Bộ 3 tượng", 900_000, 3000)],
                "Tượng trang trí.",
                state="draft",
            ),
        ],
    ),
    (
        "Hợp tác xã Dược liệu Sâm Ngọc Linh",
        "HTX Sâm Ngọc Linh",
        ProducerType.COOPERATIVE,
        51,
        "Ngọc Linh",
        "Kon Tum",
        [
            P(
                "Sâm Ngọc Linh tươi",
                "thuc-pham-chuc-nang",
                5,
                [("Củ 100 g", 12_000_000, 200)],
                "Sâm Ngọc Linh 7 năm tuổi trồng dưới tán rừng; OCOP 5 sao.",
            ),
            P(
                "Rượu sâm Ngọc Linh",
                "do-uong-co-con-khac",
                4,
                [("Bình 2 lít", 2_500_000, 3500)],
                "Rượu gạo ngâm củ sâm và lá sâm.",
            ),
            P(
                "Trà lá sâm Ngọc Linh",
                "che",
                3,
                [("Hộp 20 túi", 180_000, 150)],
                "Trà túi lọc lá sâm, ngủ ngon.",
            ),
            P(
                "Cao sâm Ngọc Linh",
                "thuc-pham-chuc-nang",
                4,
                [("Lọ 100 g", 3_500_000, 250)],
                "Cao đặc chiết từ thân rễ sâm.",
            ),
        ],
    ),
    (
        "Hợp tác xã Quế hồi Văn Yên",
        "HTX Quế Văn Yên",
        ProducerType.COOPERATIVE,
        15,
        "Mậu A",
        "Yên Bái",
        [
            P(
                "Tinh dầu quế Văn Yên",
                "tinh-dau",
                4,
                [("Chai 10 ml", 65_000, 60), ("Chai 100 ml", 450_000, 200)],
                "Tinh dầu chưng cất từ lá và vỏ quế.",
            ),
            P(
                "Quế thanh Văn Yên",
                "gia-vi-khac",
                3,
                [("Túi 200 g", 70_000, 230)],
                "Quế thanh cạo vỏ, cay ngọt.",
            ),
            P(
                "Bột quế nguyên chất",
                "gia-vi-khac",
                3,
                [("Hũ 100 g", 55_000, 160)],
                "Bột quế xay mịn từ quế 15 năm tuổi.",
            ),
            P(
                "Gối tựa vỏ quế",
                "do-gia-dung-trang-tri",
                3,
                [("Chiếc", 250_000, 900)],
                "Gối nhồi vỏ quế khô, thơm dịu.",
            ),
            P(
                "Xà phòng quế thủ công",
                "my-pham",
                3,
                [("Bánh 100 g", 45_000, 120)],
                "Xà phòng dầu dừa và tinh dầu quế.",
                state="expiring",
            ),
        ],
    ),
    (
        "Hợp tác xã Hoa Đà Lạt Thái Phiên",
        "HTX Hoa Thái Phiên",
        ProducerType.COOPERATIVE,
        68,
        "Lâm Viên",
        "Lâm Đồng",
        [
            P(
                "Hoa lan hồ điệp Đà Lạt",
                "hoa",
                3,
                [("Chậu 3 cành", 850_000, 3000)],
                "Lan hồ điệp trồng nhà kính, nở 2–3 tháng.",
                gtin=False,
            ),
            P(
                "Atiso Đà Lạt sấy khô",
                "thuc-pham-chuc-nang",
                4,
                [("Túi 200 g", 140_000, 240)],
                "Bông atiso sấy lạnh, pha trà mát gan.",
            ),
            P(
                "Mứt dâu tây Đà Lạt",
                "thuc-pham-che-bien",
                3,
                [("Hũ 300 g", 85_000, 450)],
                "Dâu tây Đà Lạt sên ít đường.",
            ),
            P(
                "Cây sen đá Đà Lạt",
                "cay-canh",
                3,
                [("Chậu nhỏ", 45_000, 400)],
                "Sen đá nhiều màu, dễ chăm.",
                gtin=False,
            ),
            P(
                "Trà atiso túi lọc",
                "che",
                3,
                [("Hộp 50 túi", 90_000, 200)],
                "Trà thân, rễ, hoa atiso.",
            ),
        ],
    ),
    (
        "Hợp tác xã Du lịch cộng đồng Trà Quế",
        "HTX Trà Quế",
        ProducerType.COOPERATIVE,
        48,
        "Hội An",
        "Quảng Nam",
        [
            P(
                "Rau Trà Quế",
                "rau-cu-qua-hat-tuoi",
                4,
                [("Bó rau thơm 500 g", 35_000, 550)],
                "Rau thơm bón rong biển, mùi đậm riêng có.",
                gtin=False,
            ),
            P(
                "Trải nghiệm một ngày làm nông dân Trà Quế",
                "du-lich",
                4,
                [("Vé người lớn", 450_000, 0)],
                "Cuốc đất, tưới rau bằng gánh, học nấu cao lầu.",
                gtin=False,
            ),
            P(
                "Mì Quảng khô Hội An",
                "thuc-pham-che-bien",
                3,
                [("Túi 500 g", 45_000, 520)],
                "Sợi mì Quảng phơi nắng.",
            ),
            P(
                "Tương ớt Hội An",
                "tuong-nuoc-cham",
                3,
                [("Chai 250 ml", 40_000, 350)],
                "Tương ớt chín xay, chua ngọt.",
            ),
        ],
    ),
    (
        "Công ty TNHH Dừa và Ca cao Mỏ Cày",
        "Dừa Mỏ Cày",
        ProducerType.ENTERPRISE,
        86,
        "Mỏ Cày",
        "Bến Tre",
        [
            P(
                "Kẹo dừa Bến Tre",
                "thuc-pham-che-bien",
                4,
                [("Hộp 400 g", 55_000, 450)],
                "Kẹo dừa nấu từ nước cốt dừa tươi, ít đường.",
            ),
            P(
                "Dầu dừa tinh khiết ép lạnh",
                "my-pham",
                3,
                [("Chai 250 ml", 95_000, 330)],
                "Dầu dừa ép lạnh dùng nấu ăn và dưỡng da.",
            ),
            P(
                "Sô cô la ca cao Bến Tre",
                "ca-phe-ca-cao",
                4,
                [("Thanh 80 g", 75_000, 100)],
                "Sô cô la đen 70% từ hạt ca cao trồng xen dừa.",
            ),
            P(
                "Thạch dừa nha đam",
                "do-uong-khong-con-khac",
                3,
                [("Hộp 6 ly", 48_000, 1300)],
                "Thạch dừa giòn và nha đam.",
            ),
            P(
                "Nước dừa đóng chai",
                "do-uong-khong-con-khac",
                3,
                [("Chai 330 ml", 25_000, 380)],
                "Nước dừa xiêm xanh tiệt trùng.",
            ),
        ],
    ),
    (
        "Hợp tác xã Xoài cát Hòa Lộc Cái Bè",
        "HTX Xoài Hòa Lộc",
        ProducerType.COOPERATIVE,
        82,
        "Cái Bè",
        "Tiền Giang",
        [
            P(
                "Xoài cát Hòa Lộc",
                "rau-cu-qua-hat-tuoi",
                4,
                [("Hộp 3 kg", 240_000, 3300)],
                "Xoài cát Hòa Lộc chín cây, thịt vàng, ngọt đậm.",
            ),
            P(
                "Xoài sấy dẻo Cái Bè",
                "thuc-pham-che-bien",
                3,
                [("Túi 250 g", 75_000, 280)],
                "Xoài sấy dẻo không phẩm màu.",
            ),
            P(
                "Nước khoáng thiên nhiên Mỹ Lâm",
                "nuoc-khoang-nuoc-uong-dong-chai",
                3,
                [("Thùng 24 chai", 120_000, 12500)],
                "Nước khoáng nóng thiên nhiên, giàu khoáng chất.",
            ),
            P(
                "Bánh phồng Cái Bè",
                "thuc-pham-che-bien",
                3,
                [("Gói 10 cái", 40_000, 400)],
                "Bánh phồng nếp nướng than.",
            ),
            P(
                "Cá cảnh lia thia Cái Bè",
                "dong-vat-canh",
                3,
                [("Cặp", 150_000, 300)],
                "Cá lia thia thuần chủng.",
                gtin=False,
            ),
        ],
    ),
]


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


def _cert_kwargs(p: P, province: str, index: int) -> dict[str, Any]:
    from tests.factories import criteria_set

    today = timezone.localdate()
    if p.state == "expired":
        decision = today - dt.timedelta(days=37 * 30)
        return {
            "decision_date": decision,
            "criteria_set": criteria_set("148/2023"),
            "issuing_body": f"UBND tỉnh {province}",
            "issuing_level": IssuingLevel.PROVINCE if p.stars == 4 else IssuingLevel.DISTRICT,
        }
    if p.state == "expiring":
        decision = today - dt.timedelta(days=36 * 30 + 12)
        return {
            "decision_date": decision,
            "criteria_set": criteria_set("148/2023"),
            "issuing_body": f"UBND huyện thuộc tỉnh {province}",
            "issuing_level": IssuingLevel.DISTRICT,
        }
    if p.state == "old-1048":
        return {
            "decision_date": dt.date(2023, 1, 16),
            "criteria_set": criteria_set("1048/2019"),
            "issuing_body": f"UBND huyện thuộc tỉnh {province}",
            "issuing_level": IssuingLevel.DISTRICT,
            "score_a": 28,
            "score_b": 15,
            "score_c": 20,
            "total_score": 63,
        }
    if p.stars == 5:
        return {
            "decision_date": today - dt.timedelta(days=300 + index),
            "criteria_set": criteria_set("148/2023"),
            "issuing_body": "Bộ Nông nghiệp và Phát triển nông thôn",
            "issuing_level": IssuingLevel.CENTRAL,
        }
    if index % 2:
        return {
            "decision_date": today - dt.timedelta(days=90 + index * 3),
            "criteria_set": criteria_set("148/2023 + 1489/2025"),
            "issuing_body": f"UBND tỉnh {province}",
            "issuing_level": IssuingLevel.PROVINCE,
        }
    return {
        "decision_date": dt.date(2024, 3, 1) + dt.timedelta(days=index * 5),
        "criteria_set": criteria_set("148/2023"),
        "issuing_body": f"UBND tỉnh {province}"
        if p.stars == 4
        else f"UBND huyện thuộc tỉnh {province}",
        "issuing_level": IssuingLevel.PROVINCE if p.stars == 4 else IssuingLevel.DISTRICT,
    }


@transaction.atomic
def build_catalogue(out: TextIO | None = None) -> list[Producer]:
    from catalog.services import revoke_certificate
    from tests.factories import ProducerFactory, make_product, next_gtin13

    producers = []
    index = 0
    for legal, short, kind, province_code, ward_hint, old_province, products in PRODUCERS:
        producer = Producer.objects.filter(name=legal).first()
        if producer is not None:
            producers.append(producer)
            continue
        producer = ProducerFactory(
            name=legal,
            short_name=short,
            kind=kind,
            province_code=province_code,
            ward_code=_ward(province_code, ward_hint),
            street_address="",
            address_as_recorded=f"{ward_hint}, tỉnh {old_province}",
            editor_username=f"editor-{producer_slug(short)}",
            editor_password=secrets.token_urlsafe(10),
        )
        page = producer.onboarded.page
        page.story = (
            f"<p>{legal} gìn giữ nghề truyền thống của vùng {ward_hint}, {old_province}.</p>"
        )
        page.save_revision().publish()
        producers.append(producer)
        for p in products:
            index += 1
            variants = [
                {
                    "name": name,
                    "price": price,
                    "weight_grams": weight,
                    "gtin": next_gtin13() if p.gtin else "",
                    "stock": 20 + (index * 7 + i * 13) % 80,
                    "sku": f"{producer_slug(short)[:8].upper()}-{index:03d}-{i}",
                }
                for i, (name, price, weight) in enumerate(p.variants)
            ]
            group = OcopGroup.objects.get(scheme="148", slug=p.group)
            cert_kwargs = _cert_kwargs(p, old_province, index)
            publish = p.state in ("ok", "expiring", "old-1048", "revoked") and (p.stars or 0) >= 3
            if p.state == "old-1048":
                publish = False
            page = make_product(
                producer,
                title=p.title,
                group=group,
                stars=p.stars,
                publish=False,
                variants=variants,
                summary=p.summary,
                certificate_kwargs=cert_kwargs,
            )
            add_gallery(page, producer, count=2 if index % 3 else 1)
            if publish:
                page.get_latest_revision().publish()
                page.refresh_from_db()
            if p.state == "revoked":
                cert = page.certificates.first()
                revoke_certificate(
                    cert, reason="Kiểm tra sau chứng nhận không đạt chỉ tiêu chất lượng"
                )
        if out:
            out.write(f"  {short}: {len(products)} products\n")
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
