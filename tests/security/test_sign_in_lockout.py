"""Admin sign-in locks after repeated failures, per account and per address; officers unlock."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = "/admin/login/"
LIMIT = 5
LOCKED_EN = f"Sign-in is locked after {LIMIT} failed attempts."


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(client, username: str, password: str, ip: str = "203.0.113.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def fail(client, username: str, times: int, ip: str = "203.0.113.10") -> None:
    for _ in range(times):
        response = sign_in(client, username, "wrong-password", ip)
        assert response.status_code in (200, 429)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/")


def test_a_right_password_signs_in_through_wagtails_login_view(client, officer):
    assert signed_in(sign_in(client, "officer", "officer-pass-1"))


def test_failures_below_the_limit_do_not_lock(client, officer):
    fail(client, "officer", LIMIT - 1)
    assert signed_in(sign_in(client, "officer", "officer-pass-1"))


def test_an_account_locks_after_the_limit_even_with_the_right_password(client, officer):
    fail(client, "officer", LIMIT)
    # From another address, so only the account's count can be the reason.
    response = sign_in(client, "officer", "officer-pass-1", ip="198.51.100.20")
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()
    assert "_auth_user_id" not in client.session
    # What was typed is never kept: the attempt records mask the password.
    assert not AccessAttempt.objects.filter(post_data__contains="wrong-password").exists()
    assert AccessAttempt.objects.filter(username="officer").exists()


def test_the_lockout_page_is_translated(client, officer):
    fail(client, "officer", LIMIT)
    response = client.post(
        LOGIN,
        {"username": "officer", "password": "officer-pass-1"},
        REMOTE_ADDR="203.0.113.10",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 429
    assert '<html lang="vi"' in response.content.decode()


def test_signing_in_to_ones_own_account_does_not_reset_an_attack(client, officer, editor):
    editor.set_password("editor-pass-123456")
    editor.save()
    fail(client, "officer", LIMIT - 2, ip="203.0.113.77")
    assert signed_in(sign_in(client, editor.username, "editor-pass-123456", ip="203.0.113.77"))
    client.logout()
    fail(client, "officer", 2, ip="203.0.113.77")
    assert sign_in(client, "officer", "officer-pass-1", ip="198.51.100.30").status_code == 429


def test_an_address_locks_after_the_limit_across_accounts(client, officer, editor):
    for n in range(LIMIT):
        fail(client, f"guess-{n}", 1, ip="203.0.113.66")
    assert sign_in(client, editor.username, "whatever", ip="203.0.113.66").status_code == 429
    # The same officer from elsewhere is not affected.
    assert signed_in(sign_in(client, "officer", "officer-pass-1", ip="198.51.100.21"))


def test_an_ipv6_address_locks_with_its_64_network(client, officer):
    for n in range(LIMIT):
        fail(client, f"guess-{n}", 1, ip=f"2001:db8:1:2::{n + 1}")
    assert sign_in(client, "officer", "officer-pass-1", ip="2001:db8:1:2::99").status_code == 429
    assert signed_in(sign_in(client, "officer", "officer-pass-1", ip="2001:db8:1:3::1"))


def test_other_accounts_are_not_affected(client, officer, editor, django_user_model):
    django_user_model.objects.create_user("lan", "lan@example.vn", "lan-pass-123456")
    fail(client, editor.username, LIMIT, ip="203.0.113.11")
    assert signed_in(sign_in(client, "lan", "lan-pass-123456", ip="198.51.100.22"))


def test_the_address_comes_from_the_trusted_proxy(client, officer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for n in range(LIMIT):  # one attacker behind the proxy, guessing different accounts
        client.post(
            LOGIN,
            {"username": f"guess-{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        )
    other_shopper = client.post(
        LOGIN,
        {"username": "officer", "password": "officer-pass-1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert signed_in(other_shopper)
    attacker = client.post(
        LOGIN,
        {"username": "officer", "password": "officer-pass-1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert attacker.status_code == 429


def test_an_officer_sees_and_unlocks_an_account(client, officer, editor):
    fail(client, editor.username, LIMIT, ip="203.0.113.12")
    officer_client = type(client)()
    officer_client.force_login(officer)
    url = reverse("security_sign_in_locks")

    page = officer_client.get(url)
    assert page.status_code == 200
    assert editor.username in page.content.decode()
    assert "203.0.113.12" in page.content.decode()  # the address is locked too

    response = officer_client.post(url, {"kind": "account", "value": editor.username})
    assert response.status_code == 302
    officer_client.post(url, {"kind": "address", "value": "203.0.113.12"})

    editor.set_password("editor-pass-123456")
    editor.save()
    assert signed_in(sign_in(client, editor.username, "editor-pass-123456", ip="203.0.113.12"))
    assert f'value="{editor.username}"' not in officer_client.get(url).content.decode()


def test_the_menu_item_is_shown_to_officers_only(client, officer, editor):
    client.force_login(officer)
    assert reverse("security_sign_in_locks") in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert reverse("security_sign_in_locks") not in client.get("/admin/").content.decode()


def test_an_editor_can_neither_see_nor_unlock(client, officer, editor):
    fail(client, "officer", LIMIT, ip="203.0.113.13")
    client.force_login(editor)
    url = reverse("security_sign_in_locks")
    for response in (
        client.get(url),
        client.post(url, {"kind": "account", "value": "officer"}),
        client.post(url, {"kind": "address", "value": "203.0.113.13"}),
    ):
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    anonymous = type(client)()
    assert sign_in(anonymous, "officer", "officer-pass-1", ip="198.51.100.24").status_code == 429
    assert sign_in(anonymous, "lan", "whatever", ip="203.0.113.13").status_code == 429


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.post(reverse("security_sign_in_locks"), {"kind": "account", "value": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
