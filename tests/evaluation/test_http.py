"""The whole process over HTTP, as the producer's editor, an officer and the council use it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from catalog.models import Certificate
from evaluation.models import (
    MANDATORY_DOCUMENTS,
    ApplicationDocument,
    DocumentKind,
    OcopApplication,
)
from tests.evaluation.conftest import full_marks_ratio, pdf
from tests.factories import leaf_group

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " | ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _sheet_post(sheet, ratio: float, **extra) -> dict[str, str]:
    return {f"c{pk}": value for pk, value in full_marks_ratio(sheet, ratio).items()} | extra


@pytest.fixture
def act(client, django_capture_on_commit_callbacks):
    """POST like a browser, running what waits for the commit (e-mails, re-indexing)."""

    def post(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return post


def test_producer_applies_council_scores_chair_decides_product_goes_live(
    client, act, editor, officer, members, council_round, new_product, sheet
):
    # The editor opens an application for their own product.
    client.force_login(editor)
    assert "Trà hoa vàng" in client.get("/admin/evaluation/new/").content.decode()
    response = act("/admin/evaluation/new/", {"product": new_product.pk, "group": leaf_group().pk})
    application = OcopApplication.objects.get(product=new_product)
    assert response.status_code == 302
    assert response.url == f"/admin/evaluation/{application.pk}/"
    base = response.url

    # Submitting without the dossier is refused, naming what is missing.
    response = act(base + "do/submit/", follow=True)
    text = _messages(response)
    with translation.override("vi"):
        missing = [str(DocumentKind(k).label) for k in MANDATORY_DOCUMENTS]
        refusal = gettext("Add the missing documents before submitting: %(documents)s.") % {
            "documents": ", ".join(missing)
        }
    assert refusal in text
    application.refresh_from_db()
    assert application.status == "draft"

    # A file that is not what it claims is refused; real PDFs go in.
    fake = SimpleUploadedFile("nhan.pdf", b"MZ not a pdf", content_type="application/pdf")
    act(base + "documents/", {"kind": "label", "file": fake})
    assert not ApplicationDocument.objects.filter(application=application).exists()
    for kind in MANDATORY_DOCUMENTS:
        act(base + "documents/", {"kind": kind, "file": pdf(f"{kind}.pdf")})
    assert application.documents.count() == len(MANDATORY_DOCUMENTS)

    # The self-assessment: a score above its maximum is refused and nothing is saved.
    first = sheet.ordered_criteria()[0]
    response = act(base + "self-assessment/", _sheet_post(sheet, 0.8) | {f"c{first.pk}": "99"})
    assert response.status_code == 200
    assert not application.scorecards.exists()
    act(base + "self-assessment/", _sheet_post(sheet, 0.8))
    assert application.scorecards.get(role="self").total() == 80

    mail.outbox.clear()
    act(base + "do/submit/")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert any(officer.email in m.bcc for m in mail.outbox)

    # The officer returns it with comments; the editor submits again; the officer accepts.
    client.force_login(officer)
    act(base + "do/return/", {"comment": "Thiếu phiếu kiểm nghiệm mới nhất."})
    application.refresh_from_db()
    assert application.status == "returned"
    client.force_login(editor)
    assert "Thiếu phiếu kiểm nghiệm" in client.get(base).content.decode()
    act(base + "do/submit/")
    client.force_login(officer)
    mail.outbox.clear()
    act(base + "do/accept/", {"round": council_round.pk})
    application.refresh_from_db()
    assert application.status == "in_council"
    told = {address for m in mail.outbox for address in m.bcc}
    assert {members[0].email, members[1].email, editor.email} <= told

    # Member 1 scores and submits; member 2 cannot see member 1's sheet before submitting.
    client.force_login(members[0])
    act(base + "score/", _sheet_post(sheet, 0.8, submit="1"))
    client.force_login(members[1])
    page = client.get(base).content.decode()
    assert "<th>Member 1" not in page  # the history says member 1 submitted, never the points
    act(base + "score/", _sheet_post(sheet, 0.76, submit="1"))
    page = client.get(base).content.decode()
    assert "<th>Member 1" in page  # after submitting, the other sheets are shown

    # The chair closes the scoring and records the decision.
    client.force_login(members[0])
    act(base + "do/close/")
    application.refresh_from_db()
    assert application.status == "scored"
    decide_page = client.get(base + "decide/").content.decode()
    assert "78" in decide_page  # mean of 80 and 76
    scan = pdf("quyet-dinh.pdf")
    response = act(
        base + "decide/",
        {
            "number": "1234/QĐ-UBND",
            "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "issuing_body": "UBND tỉnh Bắc Ninh",
            "scan": scan,
            "decide": "1",
        },
    )
    application.refresh_from_db()
    assert application.status == "certified", _messages(client.get(base))
    cert = Certificate.objects.get(product=new_product)
    assert (cert.stars, cert.total_score, cert.issuing_level) == (4, Decimal(78), "province")
    assert (cert.score_a, cert.score_b, cert.score_c) == tuple(
        Decimal(v) for v in ("31.2", "19.5", "27.3")
    )
    assert cert.evidence is not None
    assert cert.expires_on.year - cert.decision_date.year == 3
    assert application.certificate == cert

    # The product can now be published, and its page says how it was evaluated.
    new_product.save_revision().publish()
    new_product.refresh_from_db()
    assert new_product.live
    client.logout()
    public = client.get(new_product.url).content.decode()
    assert re.search(r"78(,00|\.00)?/100", public)
    assert "1234/QĐ-UBND" in public
    assert "hội đồng cấp tỉnh" in public.lower() or "provincial council" in public.lower()


def test_documents_are_served_only_to_those_concerned(
    client, editor, other_producer, officer, new_product, sheet
):
    from tests.evaluation.conftest import complete_dossier, draft

    application = draft(editor, new_product, sheet)
    complete_dossier(editor, application)
    document = application.documents.first()
    url = f"/admin/evaluation/documents/{document.pk}/"
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_producer.onboarded.editor)
    assert client.get(url).status_code == 404
    assert client.get(f"/admin/evaluation/{application.pk}/").status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_expiry_notice_links_to_a_prefilled_renewal(client, act, producer, editor, sheet):
    from dateutil.relativedelta import relativedelta

    from catalog.services import run_certificate_checks
    from tests.factories import make_product

    today = timezone.localdate()
    product = make_product(
        producer,
        title="Nước mắm Cát Hải",
        certificate_kwargs={"decision_date": today - relativedelta(months=36) + dt.timedelta(10)},
    )
    cert = product.certificates.get()
    mail.outbox.clear()
    run_certificate_checks()
    link = f"/admin/evaluation/new/?renew={cert.pk}"
    assert any(link in m.body for m in mail.outbox)

    client.force_login(editor)
    form = client.get(link).context["form"]
    assert (form.initial["product"], form.initial["renews"]) == (product.pk, cert.pk)
    act("/admin/evaluation/new/", {k: v for k, v in form.initial.items() if v})
    application = OcopApplication.objects.get(product=product)
    assert (application.kind, application.renews) == ("renewal", cert)


def test_another_producers_product_cannot_be_chosen(client, editor, other_producer, sheet):
    from tests.factories import make_product

    theirs = make_product(other_producer, title="Cà phê của người khác", stars=None, publish=False)
    client.force_login(editor)
    page = client.get("/admin/evaluation/new/").content.decode()
    assert "Cà phê của người khác" not in page
    response = client.post(
        "/admin/evaluation/new/", {"product": theirs.pk, "group": leaf_group().pk}
    )
    assert response.status_code == 200
    assert "product" in response.context["form"].errors
    assert not OcopApplication.objects.exists()
