"""Admin → Reviews: officers moderate, producers' editors answer their own products' reviews."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from django.utils.translation import gettext, override

from reviews.models import Review, ReviewStatus
from reviews.services import submit_review
from tests.factories import make_product

from .conftest import make_order


def _review(product, body="Mật thơm"):
    order = make_order(product)
    return submit_review(order.lines.first(), rating=4, body=body, author_name="Lan")


@pytest.fixture
def own(product):
    return _review(product, "Của HTX mình")


@pytest.fixture
def foreign(other_producer):
    return _review(make_product(other_producer, title="Cà phê Robusta"), "Của cơ sở khác")


def test_editor_lists_and_answers_only_their_own_products_reviews(client, editor, own, foreign):
    client.force_login(editor)
    listing = client.get("/admin/reviews/").content.decode()
    assert "Lan" in listing and f"/admin/reviews/edit/{own.pk}/" in listing
    assert f"/admin/reviews/edit/{foreign.pk}/" not in listing
    assert client.get(f"/admin/reviews/edit/{foreign.pk}/").status_code == 404
    assert client.post(f"/admin/reviews/edit/{foreign.pk}/", {"reply": "x"}).status_code == 404

    form = client.get(f"/admin/reviews/edit/{own.pk}/").content.decode()
    assert "Của HTX mình" in form and 'name="reply"' in form and 'name="status"' not in form
    response = client.post(
        f"/admin/reviews/edit/{own.pk}/", {"reply": "Cảm ơn chị!", "status": "approved"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.reply == "Cảm ơn chị!" and own.replied_at is not None
    assert own.status == ReviewStatus.PENDING  # an editor cannot approve
    assert foreign.reply == ""
    assert [e.kind for e in own.events.all()] == ["written", "answered"]


def test_officer_approves_and_hides_with_a_reason(client, officer, own):
    client.force_login(officer)
    url = f"/admin/reviews/edit/{own.pk}/"
    form = client.get(url).content.decode()
    assert 'name="status"' in form and 'name="reply"' not in form
    assert client.post(url, {"status": "approved", "moderation_reason": ""}).status_code == 302
    own.refresh_from_db()
    assert own.status == ReviewStatus.APPROVED

    refused = client.post(url, {"status": "hidden", "moderation_reason": ""})
    assert refused.status_code == 200
    with override("vi"):
        reason_needed = escape(gettext("Say why the review is hidden."))
    assert reason_needed in refused.content.decode()
    own.refresh_from_db()
    assert own.status == ReviewStatus.APPROVED

    assert (
        client.post(url, {"status": "hidden", "moderation_reason": "Quảng cáo"}).status_code == 302
    )
    own.refresh_from_db()
    assert (own.status, own.moderation_reason) == (ReviewStatus.HIDDEN, "Quảng cáo")
    assert [e.kind for e in own.events.all()] == ["written", "approved", "hidden"]


def test_nobody_adds_or_deletes_reviews_in_the_admin(client, officer, editor, own):
    for user in (officer, editor):
        client.force_login(user)
        assert client.get("/admin/reviews/new/").status_code in (302, 403)
        assert client.post(f"/admin/reviews/delete/{own.pk}/").status_code in (302, 403)
        assert Review.objects.filter(pk=own.pk).exists()
