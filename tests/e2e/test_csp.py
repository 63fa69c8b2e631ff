"""Under the Content-Security-Policy, in Chromium: our pages and the Wagtail admin (signed in
through its own login view, with the sign-in lockout on) work and log no CSP violation."""

from __future__ import annotations

import pytest

# serialized_rollback: the flush after each test would otherwise drop Wagtail's root page.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def world(transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    from catalog.permissions import OFFICERS_GROUP
    from cms.services import setup_site
    from tests.factories import ProducerFactory, make_batch, make_product, next_gtin13
    from traceability.services import generate_serials

    setup_site()
    producer = ProducerFactory(name="Hợp tác xã Vải thiều Lục Ngạn CSP")
    product = make_product(
        producer, title="Vải thiều Lục Ngạn", variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}]
    )
    batch = make_batch(product, lot_code="VT2026-CSP")
    generate_serials(batch, 1)
    officer = django_user_model.objects.create_user("officer", "o@example.vn", "officer-pass-1")
    officer.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    return product, batch


def test_pages_and_admin_work_under_the_policy(live_server, desktop, world, settings):
    settings.AXES_ENABLED = True
    product, batch = world
    violations: list[str] = []
    desktop.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    scripts: list[str] = []
    desktop.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    base = live_server.url

    serial = batch.serials.get().serial
    for url in (
        "/vi/",
        product.url,
        f"/vi/truy-xuat/{batch.short_code}/",
        f"/vi/truy-xuat/{batch.short_code}/s/{serial}/",
        "/vi/tim-kiem/?q=vai",
    ):
        response = desktop.goto(base + url)
        assert response.status == 200, url
        directives = dict(
            part.strip().split(" ", 1)
            for part in response.headers["content-security-policy"].split(";")
            if part.strip()
        )
        assert directives["script-src"] == "'self'", url  # in any directive order
    assert any(u.endswith("/js/share-location.js") for u in scripts)
    assert any(u.endswith("/js/search.js") for u in scripts)

    desktop.goto(f"{base}/admin/login/")
    desktop.fill("input[name=username]", "officer")
    desktop.fill("input[name=password]", "officer-pass-1")
    desktop.click("button[type=submit]")
    desktop.wait_for_url(f"{base}/admin/")
    # The sidebar is drawn by Wagtail's JavaScript: it only appears if the admin's scripts ran.
    desktop.wait_for_selector("[data-wagtail-sidebar] nav, .sidebar-main-menu", timeout=15_000)
    desktop.goto(f"{base}/admin/pages/{product.pk}/edit/")
    desktop.wait_for_selector("form[data-edit-form], #page-edit-form", timeout=15_000)
    desktop.goto(f"{base}/admin/security/sign-in-locks/")
    assert desktop.locator("main").is_visible()
    # Signed in, a public page carries Wagtail's userbar (its own script and styles).
    desktop.goto(base + product.url)
    desktop.wait_for_selector("wagtail-userbar", state="attached", timeout=15_000)

    assert violations == [], "\n".join(violations)
