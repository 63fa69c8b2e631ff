"""Signing in: by e-mail link (one use, expiring), by phone + password, the lockout, limits."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.utils.html import escape
from django.utils.translation import gettext, override

from accounts.links import LINK_SALT
from accounts.models import EmailLink, ShopperProfile
from tests.accounts.conftest import (
    ACCOUNT,
    PASSWORD,
    SIGN_IN,
    ask_link,
    last_link,
    sign_in_by_link,
    sign_in_by_phone,
    sign_up_by_phone,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db

NOT_VALID = "This link is not valid. Ask for a new one."
NO_MATCH = "This phone number and password do not match an account."


def vietnamese(msgid: str) -> str:
    """What a user on a /vi/ page reads for `msgid`."""
    with override("vi"):
        return gettext(msgid)


def test_an_email_link_signs_in_and_makes_the_account_on_first_use(client, site):
    response = ask_link(client, "Lan@Example.vn")
    assert response.status_code == 200
    assert "lan@example.vn" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lan@example.vn"]
    assert not ShopperProfile.objects.exists()  # nothing made before the link is used

    path = last_link()
    page = client.get(path)  # a mail scanner opening the link spends nothing
    assert page.status_code == 200 and 'id="use-link"' in page.content.decode()
    assert signed_in_user_id(client) is None

    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/en/tai-khoan/"
    profile = ShopperProfile.objects.get(email="lan@example.vn")
    assert signed_in_user_id(client) == str(profile.user_id)
    assert client.get(ACCOUNT).status_code == 200
    assert "/en/tai-khoan/lien-ket/" in path  # the link opens in the language asked in


def test_a_second_link_signs_in_the_same_account(client, site):
    sign_in_by_link(client, "lan@example.vn")
    other = Client()
    sign_in_by_link(other, "LAN@example.vn")
    assert signed_in_user_id(other) == signed_in_user_id(client)
    assert ShopperProfile.objects.count() == 1


def test_a_used_link_is_refused_in_any_browser(client, site):
    path = sign_in_by_link(client, "lan@example.vn")
    for browser in (client, Client()):
        for method in (browser.get, browser.post):
            response = method(path)
            assert response.status_code == 400
            assert "already been used" in response.content.decode()
    assert signed_in_user_id(Client()) is None


def test_an_expired_link_is_refused(client, site, monkeypatch):
    ask_link(client, "lan@example.vn")
    path = last_link()
    real = signing.time.time
    monkeypatch.setattr(signing, "time", type("Later", (), {"time": lambda: real() + 16 * 60}))
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 400
        assert "expired" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert EmailLink.objects.get().used_at is None


def forged_tokens() -> dict[str, str]:
    link = EmailLink.objects.get()
    valid = signing.dumps([link.pk, "x" * 24], salt=LINK_SALT)
    return {
        "garbage": "not-a-token",
        "tampered signature": valid[:-3] + ("AAA" if not valid.endswith("AAA") else "BBB"),
        "other salt": signing.dumps([link.pk, "x" * 24], salt="something.else"),
        "right id, wrong nonce": valid,
        "unknown id": signing.dumps([link.pk + 999, "x" * 24], salt=LINK_SALT),
        "not a pair": signing.dumps({"id": link.pk}, salt=LINK_SALT),
        "id not a number": signing.dumps(["one", "two"], salt=LINK_SALT),
    }


def test_forged_tokens_are_refused_with_a_clear_message(client, site):
    ask_link(client, "lan@example.vn")
    for name, token in forged_tokens().items():
        for method in (client.get, client.post):
            response = method(f"/vi/tai-khoan/lien-ket/{token}/")
            assert response.status_code == 400, name
            assert escape(vietnamese(NOT_VALID)) in response.content.decode(), name
    assert signed_in_user_id(client) is None
    assert EmailLink.objects.get().used_at is None


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, site):
    sign_in_by_link(Client(), "known@example.vn")
    known = ask_link(Client(), "known@example.vn").content.decode()
    unknown = ask_link(Client(), "unknown@example.vn").content.decode()
    assert known.replace("known@", "X@") == unknown.replace("unknown@", "X@")


def test_one_address_gets_at_most_three_links_an_hour(client, site):
    for _ in range(5):
        assert ask_link(Client(REMOTE_ADDR="198.51.100.7"), "lan@example.vn").status_code == 200
    assert len(mail.outbox) == 3


def test_one_client_address_asks_for_at_most_ten_links_an_hour(client, site):
    for i in range(10):
        assert ask_link(client, f"shopper{i}@example.vn").status_code == 200
    response = ask_link(client, "one-more@example.vn")
    assert response.status_code == 429
    assert len(mail.outbox) == 10


def test_phone_sign_up_then_sign_in_with_any_way_of_writing_the_number(client, site):
    response = sign_up_by_phone(client, "0912 345 678")
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    profile = ShopperProfile.objects.get(phone="+84912345678")
    assert signed_in_user_id(client) == str(profile.user_id)
    for written in ("0912345678", "+84 912 345 678", "84912345678", " 0912.345.678 "):
        browser = Client()
        response = sign_in_by_phone(browser, written)
        assert response.status_code == 302, written
        assert signed_in_user_id(browser) == str(profile.user_id)


def test_a_phone_number_has_one_account(client, site):
    sign_up_by_phone(client, "0912 345 678")
    response = sign_up_by_phone(Client(), "+84912345678", name="Kẻ khác")
    assert response.status_code == 400
    assert ShopperProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("phone", "password", "reason"),
    [
        ("0912 345 678", "wrong-password-1", "wrong password"),
        ("0987 654 321", PASSWORD, "unknown number"),
    ],
)
def test_a_wrong_phone_sign_in_says_so_and_signs_in_nobody(client, site, phone, password, reason):
    sign_up_by_phone(Client())
    response = sign_in_by_phone(client, phone, password, lang="en")
    assert response.status_code == 400, reason
    assert escape(vietnamese(NO_MATCH)) in response.content.decode()
    assert signed_in_user_id(client) is None


def test_errors_are_translated(client, site):
    english = client.post("/en/tai-khoan/dang-nhap/", {"method": "phone", "phone": "12"})
    assert "Enter a Vietnamese phone number" in english.content.decode()
    vietnamese = client.post(SIGN_IN, {"method": "phone", "phone": "12"})
    assert vietnamese.status_code == 400
    assert "Enter a Vietnamese phone number" not in vietnamese.content.decode()


def test_staff_never_sign_in_through_the_shopper_form(client, site, officer):
    officer.is_staff = True
    officer.save()
    ShopperProfile.objects.create(user=officer, phone="+84912345678")
    response = sign_in_by_phone(client, "0912 345 678", "officer-pass-1")
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_a_shopper_never_gets_into_the_admin(client, site):
    sign_up_by_phone(client)
    user = get_user_model().objects.get()
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/pages/").status_code == 302


def test_phone_sign_in_locks_after_five_failures(client, site, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    sign_up_by_phone(Client(REMOTE_ADDR="198.51.100.1"))
    for _ in range(5):
        response = sign_in_by_phone(client, password="wrong-password-1")
        assert response.status_code in (400, 429)
    # From another address: the account's count alone locks it, even with the right password.
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    locked = elsewhere.post(
        "/en/tai-khoan/dang-nhap/",
        {"method": "phone", "phone": "0912 345 678", "password": PASSWORD},
    )
    assert locked.status_code == 429
    assert "Sign-in is locked after 5 failed attempts." in locked.content.decode()
    assert signed_in_user_id(elsewhere) is None
    assert AccessAttempt.objects.filter(username="phone:+84912345678").exists()


def test_sign_out_ends_the_session(client, site):
    sign_up_by_phone(client)
    response = client.post("/vi/tai-khoan/dang-xuat/")
    assert response.status_code == 302 and response["Location"] == "/vi/"
    assert signed_in_user_id(client) is None
    assert client.get(ACCOUNT)["Location"].startswith(SIGN_IN)


def test_sign_out_needs_a_post(client, site):
    sign_up_by_phone(client)
    assert client.get("/vi/tai-khoan/dang-xuat/").status_code == 405
    assert signed_in_user_id(client) is not None


def test_forms_need_the_csrf_token(site):
    browser = Client(enforce_csrf_checks=True)
    for data in (
        {"method": "email", "email": "lan@example.vn"},
        {"method": "phone", "phone": "0912345678", "password": PASSWORD},
    ):
        assert browser.post(SIGN_IN, data).status_code == 403
    assert not mail.outbox
