"""The evaluation in Chromium: a producer applies, two council members score, the chair
decides, and the product goes live with "evaluated by the provincial council" on its page."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from evaluation.models import MANDATORY_DOCUMENTS, OcopApplication
from evaluation.services import accept
from tests.evaluation.conftest import (  # noqa: F401 (fixtures shared with the HTTP tests)
    PDF,
    council_round,
    members,
    new_product,
    sheet,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _sign_in(browser, base: str, username: str, password: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return context, page


def _fill_sheet(page, ratio: float) -> None:
    # `all()` does not wait: without this the fields of a page still loading are missed.
    page.locator("input[data-max]").first.wait_for()
    for field in page.locator("input[data-max]").all():
        maximum = float(field.get_attribute("data-max"))
        field.fill(f"{maximum * ratio:.2f}")


def _status_becomes(application, status: str, seconds: float = 20) -> str:
    """The application's stored status once it reads `status`, or when `seconds` have passed:
    the page the browser shows may arrive before the test's own connection sees the write."""
    deadline = time.monotonic() + seconds
    while True:
        application.refresh_from_db()
        if application.status == status or time.monotonic() > deadline:
            return application.status
        time.sleep(0.2)


def test_producer_applies_council_scores_chair_decides(
    browser,
    live_server,
    editor,
    officer,
    members,  # noqa: F811
    council_round,  # noqa: F811
    new_product,  # noqa: F811
    sheet,  # noqa: F811
    screenshot_dir,
    tmp_path,
    settings,
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    base = live_server.url
    pdf = tmp_path / "giay-to.pdf"
    pdf.write_bytes(PDF)

    # The producer applies.
    context, page = _sign_in(browser, base, editor.username, "editor-pass-123")
    page.goto(base + "/admin/evaluation/new/")
    page.select_option("#id_product", str(new_product.pk))
    page.select_option("#id_group", str(new_product.group_id))
    page.click(".evaluation-form button[type=submit]")
    page.wait_for_url("**/admin/evaluation/*/")
    application = OcopApplication.objects.get(product=new_product)
    for kind in MANDATORY_DOCUMENTS:
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(pdf))
        with page.expect_navigation():
            page.click("#add-document")
    with page.expect_navigation():
        page.click("#self-assessment-link")
    _fill_sheet(page, 0.8)
    page.screenshot(path=str(screenshot_dir / "evaluation-self-assessment.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-sheet")
    # Wait for the submission's own page load: a bare wait_for_load_state() after the
    # click can return before the POST has been sent, leaving the application a draft.
    with page.expect_navigation():
        page.click("#submit-application")
    page.screenshot(path=str(screenshot_dir / "evaluation-submitted.png"), full_page=True)
    assert _status_becomes(application, "submitted") == "submitted"
    context.close()

    accept(officer, application, council_round)  # the officer's check (tested over HTTP)

    # Two council members score; the first is the chair.
    for member, ratio in ((members[1], 0.76), (members[0], 0.8)):
        context, page = _sign_in(browser, base, member.username, "council-pass-1")
        page.goto(f"{base}/admin/evaluation/{application.pk}/score/")
        _fill_sheet(page, ratio)
        with page.expect_navigation():
            page.click("button[name=submit]")
        if member == members[0]:
            break
        context.close()

    # The chair sees the result, closes the scoring and records the decision.
    with page.expect_navigation():
        page.click("#close-scoring")
    page.click("#decide-link")
    assert "78" in page.locator(".evaluation-result").inner_text()
    page.fill("#id_number", "1234/QĐ-UBND")
    page.fill("#id_date", (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.set_input_files("#id_scan", str(pdf))
    page.screenshot(path=str(screenshot_dir / "evaluation-decide.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=decide]")
    page.screenshot(path=str(screenshot_dir / "evaluation-certified.png"), full_page=True)
    context.close()
    assert _status_becomes(application, "certified") == "certified"

    # The product can go live; its page tells how it was evaluated.
    new_product.refresh_from_db()
    new_product.save_revision().publish()
    new_product.refresh_from_db()
    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.goto(base + new_product.url)
    box = phone.locator(".cert-evaluated").inner_text()
    assert "78" in box and "1234/QĐ-UBND" in box
    phone.screenshot(path=str(screenshot_dir / "evaluation-product-page.png"), full_page=True)
