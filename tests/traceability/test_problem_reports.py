"""Problem reports: an honest confirmation, e-mails to the OCOP office and the producer, a
status with a transitions table, an answer in the admin, and the reporter's private link."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core import mail

from tests.factories import make_batch, make_product
from traceability.models import ProblemReport, ProblemReportStatus
from traceability.reports import (
    REPORT_TRANSITIONS,
    IllegalReportTransition,
    ReportAnswerMissing,
    set_report_status,
    submit_report,
)

pytestmark = pytest.mark.django_db

OFFICE = "ocop@bacgiang.gov.vn"


@pytest.fixture(autouse=True)
def _office(settings):
    settings.OCOP_OFFICER_EMAIL = OFFICE


def report_url(batch, lang="en") -> str:
    return f"/{lang}/truy-xuat/{batch.short_code}/bao-loi/"


def post_report(client, batch, capture, **data):
    with capture(execute=True):
        return client.post(
            report_url(batch), {"message": "Hộp bị móp", "contact": "0912 000 111", **data}
        )


def follow_link(html: str) -> str:
    match = re.search(r'href="(https?://[^"]+/phan-anh/[^"]+/)"', html)
    assert match, "no follow-up link in the confirmation"
    return match.group(1).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_the_confirmation_says_only_that_the_report_was_recorded_and_gives_a_private_link(
    client, batch, django_capture_on_commit_callbacks
):
    response = post_report(client, batch, django_capture_on_commit_callbacks)

    html = response.content.decode()
    report = ProblemReport.objects.get()
    assert response.status_code == 200
    assert "Your report has been recorded" in html
    assert "has been sent" not in html
    assert follow_link(html) == f"/en/phan-anh/{report.token}/"
    assert report.status == ProblemReportStatus.NEW
    assert (
        response["Cache-Control"].startswith("max-age=0")
        or "no-store" in (response["Cache-Control"])
    )


def test_a_report_is_emailed_to_the_ocop_office_and_the_producer_after_commit(
    client, batch, producer, django_capture_on_commit_callbacks
):
    producer.email = "htx@example.vn"
    producer.save()
    mail.outbox.clear()

    post_report(client, batch, django_capture_on_commit_callbacks, serial="")

    [message] = mail.outbox
    assert OFFICE in message.to and "htx@example.vn" in message.to
    assert producer.onboarded.editor.email in message.to
    assert batch.lot_code in message.subject
    assert "Hộp bị móp" in message.body and "0912 000 111" in message.body
    report = ProblemReport.objects.get()
    assert f"/admin/traceability/problemreport/edit/{report.pk}/" in message.body
    assert report.token not in message.body  # the reporter's link is theirs alone
    assert list(report.events.values_list("kind", flat=True)) == ["received", "emailed"]


def test_no_email_is_sent_before_the_report_is_committed(batch, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_report(batch, "Vải bị dập")
    assert mail.outbox == [] and len(callbacks) == 1


def test_the_reporter_follows_the_status_and_reads_the_answer(
    client, batch, officer, django_capture_on_commit_callbacks
):
    response = post_report(client, batch, django_capture_on_commit_callbacks)
    link = follow_link(response.content.decode())

    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    text = page.content.decode()
    assert "New" in text and "No answer yet" in text and "Hộp bị móp" in text
    assert "0912 000 111" not in text

    report = ProblemReport.objects.get()
    set_report_status(report, "answered", user=officer, answer="HTX sẽ đổi hộp mới cho bạn.")

    text = client.get(link).content.decode()
    assert "Answered" in text and "HTX sẽ đổi hộp mới cho bạn." in text


@pytest.mark.parametrize("token", ["x", "a" * 32, "a" * 200])
def test_a_wrong_token_finds_nothing(client, batch, token):
    submit_report(batch, "Vải bị dập")
    assert client.get(f"/en/phan-anh/{token}/").status_code == 404


def test_tokens_are_unguessable_and_distinct(batch):
    tokens = {submit_report(batch, f"Lỗi {i}").token for i in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 32 for t in tokens)


STATUSES = list(ProblemReportStatus.values)


@pytest.mark.parametrize(("current", "wanted"), list(itertools.permutations(STATUSES, 2)))
def test_status_moves_exactly_along_the_transitions_table(batch, officer, current, wanted):
    report = submit_report(batch, "Vải bị dập")
    ProblemReport.objects.filter(pk=report.pk).update(status=current, answer="Đã xử lý")
    report.refresh_from_db()

    if wanted in REPORT_TRANSITIONS[current]:
        set_report_status(report, wanted, user=officer)
        report.refresh_from_db()
        assert report.status == wanted
        assert report.events.filter(kind="status", to_status=wanted, user=officer).exists()
    else:
        with pytest.raises(IllegalReportTransition):
            set_report_status(report, wanted, user=officer)
        report.refresh_from_db()
        assert report.status == current


def test_a_report_cannot_be_marked_answered_without_an_answer(batch, officer):
    report = submit_report(batch, "Vải bị dập")
    with pytest.raises(ReportAnswerMissing):
        set_report_status(report, "answered", user=officer, answer="  ")
    report.refresh_from_db()
    assert report.status == "new"


# --- Admin ------------------------------------------------------------------------------------


def edit_url(report) -> str:
    return f"/admin/traceability/problemreport/edit/{report.pk}/"


def test_the_producer_answers_its_own_report_in_the_admin(client, batch, editor, trace_perms):
    report = submit_report(batch, "Vải bị dập")
    client.force_login(editor)
    page = client.get(edit_url(report))
    assert page.status_code == 200 and "Vải bị dập" not in page.context["form"].fields

    response = client.post(
        edit_url(report), {"status": "answered", "answer": "Chúng tôi sẽ gọi lại cho bạn."}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "answered" and report.answer == "Chúng tôi sẽ gọi lại cho bạn."
    assert report.events.filter(kind="answer", user=editor).exists()
    assert report.message == "Vải bị dập"  # the reporter's words are not editable


def test_an_officer_answers_any_report(client, batch, officer, trace_perms):
    report = submit_report(batch, "Vải bị dập")
    client.force_login(officer)
    response = client.post(edit_url(report), {"status": "in_review", "answer": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "in_review"


def test_answered_without_an_answer_is_refused_in_the_form(client, batch, officer, trace_perms):
    report = submit_report(batch, "Vải bị dập")
    client.force_login(officer)
    response = client.post(edit_url(report), {"status": "answered", "answer": ""})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "new"


def test_another_producers_editor_cannot_see_or_answer_the_report(
    client, batch, other_producer, trace_perms
):
    report = submit_report(batch, "Vải bị dập")
    client.force_login(other_producer.onboarded.editor)
    assert client.get(edit_url(report)).status_code in (302, 403, 404)
    response = client.post(edit_url(report), {"status": "closed", "answer": "x"})
    assert response.status_code in (302, 403, 404)
    report.refresh_from_db()
    assert report.status == "new" and report.answer == ""


def test_nobody_adds_or_deletes_reports_in_the_admin(client, batch, officer, trace_perms):
    report = submit_report(batch, "Vải bị dập")
    client.force_login(officer)
    assert client.get("/admin/traceability/problemreport/new/").status_code in (302, 403)
    client.post(f"/admin/traceability/problemreport/delete/{report.pk}/")
    assert ProblemReport.objects.filter(pk=report.pk).exists()


def test_reports_of_two_producers_mail_each_producer_only_its_own(
    other_producer, django_capture_on_commit_callbacks
):
    coffee = make_product(other_producer, title="Cà phê Robusta")
    other_producer.email = "caphe@example.vn"
    other_producer.save()
    batch = make_batch(coffee, events=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(batch, "Cà phê bị ẩm")
    [message] = mail.outbox
    assert "caphe@example.vn" in message.to and OFFICE in message.to
    assert all("htx" not in address for address in message.to)
