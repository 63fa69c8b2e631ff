"""Demo evaluation rounds: applications in every state, built through the services.

Called by `load_demo_data` (cms) after the catalogue. Re-runnable: skipped once the demo
rounds exist. The council's logins are printed with their new passwords.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.models import ProductPage
from catalog.permissions import OFFICERS_GROUP
from evaluation import services
from evaluation.models import MANDATORY_DOCUMENTS, CouncilRound, OcopApplication
from evaluation.sheets import load_sample_sheets

PROVINCIAL_ROUND = "Đợt 2/2026 – Hội đồng đánh giá OCOP tỉnh"
CENTRAL_ROUND = "Hội đồng đánh giá OCOP cấp Trung ương 2026"
COUNCIL = [
    ("hoidong.chutich", "Nguyễn Văn", "Chủ tịch"),
    ("hoidong.thanhvien1", "Trần Thị", "Thành viên"),
    ("hoidong.thanhvien2", "Lê Minh", "Thành viên"),
]
PDF = b"%PDF-1.4\n% MAU THU - tai lieu demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (state to reach, council's marks as a share of each maximum)
PLAN = [
    ("draft", None),
    ("returned", None),
    ("submitted", None),
    ("in_council", 0.74),
    ("scored", 0.66),
    ("certified", 0.78),
    ("proposed_central", 0.93),
    ("rejected", 0.42),
    ("withdrawn", None),
]


def _user(username: str, first: str, last: str, password: str):
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.vn", "first_name": first, "last_name": last},
    )
    user.set_password(password)
    user.save()
    return user


def _raw(application, share: float) -> dict[int, str]:
    ratio = Decimal(str(share))
    return {
        c.pk: str((c.max_points * ratio).quantize(Decimal("0.5")))
        for c in application.sheet.ordered_criteria()
    }


def _dossier(editor, application) -> None:
    for kind in MANDATORY_DOCUMENTS:
        services.add_document(
            editor, application, kind, ContentFile(PDF, name=f"{kind}.pdf"), title=""
        )
    services.save_self_assessment(editor, application, _raw(application, 0.8))


def load_demo(stdout: TextIO | None = None) -> None:
    write = stdout.write if stdout else (lambda _s: None)
    sheets = load_sample_sheets()
    write(f"  evaluation: SAMPLE scoring sheets for {len(sheets)} criteria sets\n")
    passwords = {username: secrets.token_urlsafe(10) for username, *_ in COUNCIL}
    council = [_user(u, f, last, passwords[u]) for u, f, last in COUNCIL]
    for username, *_ in COUNCIL:
        write(f"  {'OCOP council member':<28} {username:<28} {passwords[username]}\n")
    if CouncilRound.objects.filter(name=PROVINCIAL_ROUND).exists():
        write("  evaluation: demo rounds already there\n")
        return
    officer, _created = get_user_model().objects.get_or_create(
        username="canbo.ocop", defaults={"email": "canbo.ocop@example.vn"}
    )
    officer.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    criteria_set = services.criteria_set_in_force()
    province = services.create_round(
        officer,
        name=PROVINCIAL_ROUND,
        level="province",
        criteria_set=criteria_set,
        issuing_body="UBND tỉnh Bắc Ninh",
        chair=council[0],
        members=council[1:],
    )
    services.create_round(
        officer,
        name=CENTRAL_ROUND,
        level="central",
        criteria_set=criteria_set,
        issuing_body="Thủ tướng Chính phủ",
        chair=council[0],
        members=[council[0]],
    )
    products = [
        p
        for p in ProductPage.objects.filter(locale__language_code="vi", alias_of__isnull=True)
        .select_related("producer__editors_group", "group")
        .order_by("path")
        if p.producer_id
        and p.producer.editors_group_id
        and p.group_id
        and p.group.scheme == criteria_set.group_scheme
        and p.producer.editors_group.user_set.exists()
    ]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    made = 0
    for (state, share), product in zip(PLAN, products, strict=False):
        editor = product.producer.editors_group.user_set.order_by("pk").first()
        renews = product.certificates.order_by("-decision_date").first()
        application = services.open_application(editor, product, product.group, renews=renews)
        made += 1
        if state == "draft":
            services.add_document(
                editor,
                application,
                "business_registration",
                ContentFile(PDF, name="dang-ky-kinh-doanh.pdf"),
            )
            continue
        _dossier(editor, application)
        if state == "withdrawn":
            services.withdraw(editor, application)
            continue
        services.submit(editor, application)
        if state == "submitted":
            continue
        if state == "returned":
            services.return_(
                officer, application, "Phiếu kiểm nghiệm đã quá 12 tháng: bổ sung phiếu mới."
            )
            continue
        services.accept(officer, application, province)
        members = [council[0], *council[1:]]
        for index, member in enumerate(members):
            bump = Decimal(index - 1) / 100  # members differ a little
            raw = _raw(application, max(0.0, min(1.0, share + float(bump))))
            final = not (state == "in_council" and index == len(members) - 1)
            services.save_member_scores(member, application, raw, final=final)
        if state == "in_council":
            continue
        services.close_scoring(council[0], application)
        if state == "scored":
            continue
        if state == "rejected":
            services.reject(
                council[0], application, "Chưa đạt 50 điểm: cần hoàn thiện bao bì và câu chuyện."
            )
            continue
        services.decide(
            council[0],
            application,
            number=f"{300 + made}/QĐ-UBND",
            date=yesterday,
            issuing_body=province.issuing_body,
            scan=ContentFile(PDF, name="quyet-dinh.pdf"),
            comment="Đạt yêu cầu.",
        )
    states = sorted(OcopApplication.objects.values_list("status", flat=True).distinct())
    write(f"  evaluation: {made} applications ({', '.join(states)})\n")
