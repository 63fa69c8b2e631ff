"""A Content-Security-Policy on every page; no inline script on ours; the admin's own policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from traceability.services import generate_serials

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# A <script> that is neither loaded from a file nor JSON-LD data (which is never executed).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]


def assert_no_inline_code(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert not INLINE_STYLE.search(html)


@pytest.mark.parametrize(
    "url",
    ["/vi/", "/en/", "/vi/san-pham/", "/vi/chu-the/", "/vi/tim-kiem/?q=mat+ong", "/vi/gio-hang/"],
)
def test_public_pages_carry_the_strict_policy_and_no_inline_code(site, product, client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_code(response.content.decode())


def test_product_page_carries_the_strict_policy(product, client):
    response = client.get(product.url)
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_code(response.content.decode())


def test_scan_pages_carry_the_strict_policy_and_no_inline_script(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    for url in (
        f"/vi/truy-xuat/{batch.short_code}/",
        f"/vi/truy-xuat/{batch.short_code}/s/{serial}/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)
        html = response.content.decode()
        assert_no_inline_code(html)
        assert 'type="application/ld+json"' in html  # data, allowed: browsers never run it


def test_the_share_location_script_is_a_static_file(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    html = client.get(f"/vi/truy-xuat/{batch.short_code}/s/{serial}/").content.decode()
    assert "js/share-location.js" in html


def test_error_and_throttled_pages_carry_the_policy(site, client, settings):
    assert_strict(client.get("/vi/khong-co-trang-nay/"))
    settings.RATE_LIMITS = {"search": (0, 60)}
    throttled = client.get("/vi/tim-kiem/?q=x")
    assert throttled.status_code == 429
    assert_strict(throttled)


def test_no_template_of_ours_has_inline_script_or_handlers():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text) or INLINE_STYLE.search(text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_admin_gets_its_own_policy(client, officer):
    login = client.get("/admin/login/")
    assert login.status_code == 200
    csp = policy(login)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    client.force_login(officer)
    for url in ("/admin/", "/admin/pages/", "/admin/security/sign-in-locks/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" in policy(response)["script-src"]
        assert policy(response)["frame-ancestors"] == ["'self'"]


ADMIN_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)([^>]*)>", re.I
)


def test_the_admin_keeps_unsafe_inline_because_wagtail_runs_inline_scripts(client, officer, batch):
    """Wagtail 8 renders inline <script>s without a nonce in its edit forms (InlinePanel, the
    date/time pickers, the image chooser): without 'unsafe-inline' they would not run. When an
    upgrade stops rendering them, this fails: then remove 'unsafe-inline' from
    ADMIN_CONTENT_SECURITY_POLICY (docs/security.md, "Content-Security-Policy")."""
    client.force_login(officer)
    product = batch.variant.page
    for url in (f"/admin/pages/{product.pk}/edit/", "/admin/traceability/batch/new/"):
        response = client.get(url)
        assert response.status_code == 200, url
        inline = ADMIN_INLINE_SCRIPT.findall(response.content.decode())
        assert inline, url
        assert not any("nonce" in attrs for attrs in inline), url
        assert "'unsafe-inline'" in policy(response)["script-src"], url


def test_forms_may_lead_to_stripe_only_when_card_payment_is_on(site, client, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert policy(client.get("/vi/gio-hang/"))["form-action"] == ["'self'"]
    settings.STRIPE_SECRET_KEY = "sk_test_fake_never_used"
    assert policy(client.get("/vi/gio-hang/"))["form-action"] == [
        "'self'",
        "https://checkout.stripe.com",
    ]
