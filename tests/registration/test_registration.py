"""Producer registration over HTTP: the public form, the applicant's status page and e-mails,
the officers' decision in the admin, and the new editor's first sign-in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from catalog.addresses import wards_of
from catalog.models import Producer
from cms.models import AuditLogEntry
from registration.models import ProducerRequest, RequestStatus
from registration.services import (
    TRANSITIONS,
    IllegalRegistrationTransition,
    approve_request,
    can_move,
    reject_request,
)
from tests.factories import next_tax_code

URL = "/vi/dang-ky-co-so/"
PROVINCE = 24


def _data(**overrides) -> dict[str, str]:
    data = {
        "name": "Hợp tác xã Mật ong Lục Ngạn",
        "kind": "htx",
        "tax_code": next_tax_code(),
        "province": str(PROVINCE),
        "ward": str(wards_of(PROVINCE)[0][0]),
        "street_address": "Thôn Đông",
        "contact_name": "Nguyễn Văn An",
        "phone": "0912 345 678",
        "email": "an@example.vn",
        "website": "",
        "step": "apply",
    }
    data.update(overrides)
    return data


_capture = None


@pytest.fixture(autouse=True)
def _after_commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (e-mail tasks) of each request, as a real commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _post(client, url: str, data: dict):
    with _capture(execute=True):
        return client.post(url, data)


def _apply(client, url: str = URL, **overrides):
    return _post(client, url, _data(**overrides))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def pending(site):
    client = Client()
    response = _apply(client)
    assert response.status_code == 302
    mail.outbox.clear()
    return ProducerRequest.objects.get()


# --- The public form --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/vi/dang-ky-co-so/", "/en/dang-ky-co-so/"])
def test_form_is_served_in_both_languages_with_csrf_and_no_cache(client, site, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ("name", "kind", "tax_code", "province", "ward", "phone", "email"):
        assert f'name="{field}"' in html
    assert 'value="htx"' in html and 'value="hkd"' in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_footer_links_to_the_form(client, site, lang):
    html = client.get(f"/{lang}/gio-hang/").content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    assert f'href="/{lang}/dang-ky-co-so/"' in footer


def test_without_javascript_the_province_step_lists_its_communes_and_stores_nothing(client, site):
    response = client.post(URL, {"province": str(PROVINCE), "step": "province", "name": "HTX A"})
    html = response.content.decode()
    assert response.status_code == 200
    code, name = wards_of(PROVINCE)[0]
    assert f'value="{code}"' in html and name in html
    assert 'value="HTX A"' in html
    assert not ProducerRequest.objects.exists()


def test_valid_application_is_stored_pending_and_the_applicant_is_sent_the_status_link(
    client, site
):
    response = _apply(client, tax_code="0100233488")
    assert response.status_code == 302
    request = ProducerRequest.objects.get()
    assert request.status == RequestStatus.PENDING
    assert request.phone == "+84912345678" and request.language == "vi"
    assert response["Location"] == f"/vi/dang-ky-co-so/{request.token}/"
    assert len(request.token) >= 40
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert f"/vi/dang-ky-co-so/{request.token}/" in message.body
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "0100233488" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex"


def test_office_is_notified_of_a_new_application(client, site, settings):
    settings.OCOP_OFFICER_EMAIL = "ocop@example.gov.vn"
    _apply(client)
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "ocop@example.gov.vn"]


@pytest.mark.parametrize(("lang", "other"), [("vi", "en"), ("en", "vi")])
def test_emails_are_in_the_applicants_language(client, site, lang, other):
    _apply(client, url=f"/{lang}/dang-ky-co-so/")
    request = ProducerRequest.objects.get()
    assert request.language == lang
    with translation.override(lang):
        subject = _("We received your registration: %(name)s") % {"name": request.name}
    assert mail.outbox[0].subject == subject
    assert f"/{lang}/dang-ky-co-so/{request.token}/" in mail.outbox[0].body
    assert f"/{other}/dang-ky-co-so/" not in mail.outbox[0].body


def test_unknown_or_short_token_is_404(client, site):
    assert client.get("/vi/dang-ky-co-so/x/").status_code == 404
    assert client.get("/vi/dang-ky-co-so/" + "a" * 43 + "/").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_code", "0100233480", "last digit"),
        ("tax_code", "12345", "10 digits"),
        ("phone", "12345", "Vietnamese phone number"),
        ("email", "not-an-email", "email address"),
        ("ward", str(wards_of(1)[0][0]), "valid choice"),  # a commune of another province
        ("kind", "xyz", "valid choice"),
        ("name", "", "required"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    client, site, field, value, message
):
    with translation.override("en"):
        response = _apply(client, url="/en/dang-ky-co-so/", **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProducerRequest.objects.exists()
    assert mail.outbox == []


def test_honeypot_filled_stores_nothing(client, site):
    response = _apply(client, website="http://spam.example")
    assert response.status_code == 400
    assert not ProducerRequest.objects.exists() and mail.outbox == []


def test_post_without_csrf_token_is_refused(site):
    client = Client(enforce_csrf_checks=True)
    response = _apply(client)
    assert response.status_code == 403
    assert not ProducerRequest.objects.exists()


def test_posts_are_rate_limited(client, site, settings):
    settings.RATE_LIMITS = {"registration": (2, 3600)}
    cache.clear()
    assert _apply(client).status_code == 302
    assert _apply(client, name="HTX Hai").status_code == 302
    response = _apply(client, name="HTX Ba")
    assert response.status_code == 429
    assert ProducerRequest.objects.count() == 2
    cache.clear()


# --- Duplicate tax codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("0314409058-002", "0314409058-002"),
        ("0314409058-002", "0314409058002"),
        ("0100233488", "0100233488"),
    ],
)
def test_tax_code_of_an_existing_producer_is_refused(client, site, stored, typed):
    from tests.factories import ProducerFactory

    ProducerFactory(tax_code=stored)
    with translation.override("en"):
        response = _apply(client, url="/en/dang-ky-co-so/", tax_code=typed)
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert not ProducerRequest.objects.exists()


def test_tax_code_of_a_pending_application_is_refused(client, site, pending):
    response = _apply(client, tax_code=pending.tax_code, name="Another name")
    assert response.status_code == 400
    assert ProducerRequest.objects.count() == 1
    assert mail.outbox == []


def test_tax_code_of_a_rejected_application_may_apply_again(client, site, pending, officer):
    reject_request(pending, reason="Thiếu giấy đăng ký", user=officer)
    assert _apply(client, tax_code=pending.tax_code).status_code == 302
    assert ProducerRequest.objects.filter(status=RequestStatus.PENDING).count() == 1


# --- Any input --------------------------------------------------------------------------------

FIELDS = ["name", "kind", "tax_code", "province", "ward", "contact_name", "phone", "email"]


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from([*FIELDS, "website", "step", "street_address"]),
        st.one_of(
            st.text(max_size=300),
            st.sampled_from(["24", "0", "-1", "99999999999999999999", "htx", "0100233488"]),
        ),
    )
)
def test_no_input_gives_500_and_bad_input_changes_nothing(client, site, overrides):
    before = ProducerRequest.objects.count()
    mail.outbox.clear()
    data = _data(**{k: v.replace("\x00", "") for k, v in overrides.items()})
    response = _post(client, URL, data)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert ProducerRequest.objects.count() == before
        assert mail.outbox == []


# --- Officers decide --------------------------------------------------------------------------


def test_transition_table_is_enforced_for_every_pair(pending, officer):
    statuses = list(RequestStatus.values)
    for current in statuses:
        for wanted in statuses:
            pending.status = current
            assert can_move(pending, wanted) == (wanted in TRANSITIONS[current])
    pending.status = RequestStatus.PENDING
    reject_request(pending, reason="Sai địa chỉ", user=officer)
    with pytest.raises(IllegalRegistrationTransition):
        approve_request(pending, user=officer)
    with pytest.raises(IllegalRegistrationTransition):
        reject_request(pending, reason="again", user=officer)
    assert not Producer.objects.filter(tax_code=pending.tax_code).exists()


def test_officer_sees_pending_applications_in_the_admin(officer_client, pending):
    listing = officer_client.get("/admin/registration/request/")
    assert listing.status_code == 200
    assert pending.name in listing.content.decode()
    decide = officer_client.get(f"/admin/registration/request/{pending.pk}/decide/")
    assert decide.status_code == 200 and pending.tax_code in decide.content.decode()
    inspect = officer_client.get(f"/admin/registration/request/inspect/{pending.pk}/")
    assert inspect.status_code == 200 and pending.tax_code in inspect.content.decode()
    assert pending.token not in inspect.content.decode()


def test_service_refuses_a_bad_tax_code_or_address_without_the_form(site):
    from django.core.exceptions import ValidationError

    from registration.services import submit_request

    fields = {
        "name": "HTX Thử",
        "kind": "htx",
        "province_code": PROVINCE,
        "ward_code": wards_of(PROVINCE)[0][0],
        "contact_name": "An",
        "phone": "+84912345678",
        "email": "an@example.vn",
    }
    with pytest.raises(ValidationError):
        submit_request(**{**fields, "tax_code": "0100233480"})
    with pytest.raises(ValidationError):
        submit_request(**{**fields, "tax_code": "0100233488", "ward_code": wards_of(1)[0][0]})
    assert not ProducerRequest.objects.exists()


def test_producer_editor_never_sees_applications(client, editor, pending):
    client.force_login(editor)
    for url in (
        "/admin/registration/request/",
        f"/admin/registration/request/inspect/{pending.pk}/",
        f"/admin/registration/request/{pending.pk}/decide/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert pending.name not in response.content.decode()
    response = client.post(
        f"/admin/registration/request/{pending.pk}/decide/", {"action": "approve"}
    )
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING


def test_reject_needs_a_reason_and_emails_it(officer_client, pending, officer):
    url = f"/admin/registration/request/{pending.pk}/decide/"
    response = _post(officer_client, url, {"action": "reject", "reason": "  "})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING and mail.outbox == []

    response = _post(officer_client, url, {"action": "reject", "reason": "Mã số thuế không khớp"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RequestStatus.REJECTED and pending.decided_by == officer
    assert len(mail.outbox) == 1 and "Mã số thuế không khớp" in mail.outbox[0].body
    entry = AuditLogEntry.objects.get(action="ocop.registration.reject")
    assert entry.user_id == officer.pk and entry.data["from"] == "pending"
    assert entry.data["to"] == "rejected"
    status_page = Client().get(pending.get_absolute_url()).content.decode()
    assert "Mã số thuế không khớp" in status_page


def test_approval_onboards_the_producer_and_its_editor_signs_in_to_see_only_their_own(
    officer_client, pending, officer, other_producer
):
    # An officer approves.
    response = _post(
        officer_client, f"/admin/registration/request/{pending.pk}/decide/", {"action": "approve"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    producer = Producer.objects.get(tax_code=pending.tax_code)
    assert pending.status == RequestStatus.APPROVED and pending.producer == producer
    assert producer.pages.filter(live=True).exists() and producer.collection_id
    editor = producer.editors_group.user_set.get()
    assert editor.email == "an@example.vn"
    entry = AuditLogEntry.objects.get(action="ocop.registration.approve")
    assert entry.user_id == officer.pk and entry.data["to"] == "approved"

    # The applicant's e-mail has a set-password link and never a password.
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "password:" not in body.lower().replace("set-password", "")
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", body).group(1)
    assert editor.username in body

    # They set a password through the link and sign in.
    applicant = Client()
    form_page = applicant.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = applicant.post(
        set_url,
        {"new_password1": "Ong-mat-Luc-Ngan-2026", "new_password2": "Ong-mat-Luc-Ngan-2026"},
    )
    assert done.status_code == 302
    assert applicant.get(link, follow=True).context["validlink"] is False  # used once
    signed_in = applicant.post(
        "/admin/login/", {"username": editor.username, "password": "Ong-mat-Luc-Ngan-2026"}
    )
    assert signed_in.status_code == 302
    assert applicant.get("/admin/").status_code == 200

    # They see their own producer and not another.
    listing = applicant.get("/admin/producer/").content.decode()
    assert producer.name in listing
    assert other_producer.name not in listing
    assert applicant.get(f"/admin/producer/edit/{other_producer.pk}/").status_code in (302, 404)
    assert applicant.get(f"/admin/producer/edit/{producer.pk}/").status_code == 200


def test_approval_refused_when_a_producer_took_the_tax_code_meanwhile(officer_client, pending):
    from tests.factories import ProducerFactory

    ProducerFactory(tax_code=pending.tax_code)
    response = _post(
        officer_client, f"/admin/registration/request/{pending.pk}/decide/", {"action": "approve"}
    )
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING and mail.outbox == []
