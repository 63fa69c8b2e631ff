"""Verified-purchase reviews, as shoppers, producers' editors and officers see them over HTTP."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils.html import escape
from django.utils.translation import gettext, override
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from wagtail.models import Locale

from cms.services import translate_tree
from reviews.models import Review, ReviewStatus
from reviews.services import REVIEWABLE_ORDER_STATUSES, moderate_review
from storefront.models import OrderStatus
from tests.factories import make_product

from .conftest import make_order


def review_url(order, lang="vi"):
    return f"/{lang}/danh-gia/don-hang/{order.token}/"


def post_review(
    client, order, *, rating=5, body="Mật thơm, đặc.", name="Lan", line=None, lang="vi"
):
    line = line or order.lines.first()
    data = {"line": line.pk, "rating": rating, "body": body, "author_name": name}
    return client.post(review_url(order, lang), data)


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def summary(html: str) -> tuple[str, str]:
    """(average, count) as the rating summary line shows them, in any language."""
    match = re.search(r'<p class="rating-summary">(.*?)</p>', html, re.S)
    assert match, "no rating summary"
    numbers = re.findall(r"\d+(?:[.,]\d)?", re.sub(r"<[^>]+>", "", match.group(1)))
    return numbers[0].replace(",", "."), numbers[-1]


def vi(msgid: str, **params) -> str:
    """The Vietnamese text the shopper sees for ``msgid``, as the page renders it.

    ``{% translate %}`` and ``{{ message }}`` escape the whole text; ``{% blocktranslate %}``
    (called here with ``params``) escapes only the values put into it.
    """
    with override("vi"):
        if not params:
            return escape(gettext(msgid))
        return gettext(msgid) % {key: escape(str(value)) for key, value in params.items()}


def approve(review, officer):
    moderate_review(review, ReviewStatus.APPROVED, user=officer)


# --- Who may review ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", OrderStatus.values)
def test_only_a_delivered_order_can_be_reviewed(client, product, status):
    order = make_order(product, status=status)
    page = client.get(review_url(order)).content.decode()
    response = post_review(client, order)
    if status in REVIEWABLE_ORDER_STATUSES:
        assert 'name="rating"' in page
        assert response.status_code == 302
        assert Review.objects.filter(order=order).count() == 1
    else:
        assert 'name="rating"' not in page
        with override("vi"):
            shown_status = str(order.get_status_display())
        expected = vi(
            "You can review the products once the order is delivered. Status now: %(status)s.",
            status=shown_status,
        )
        assert expected in page
        assert response.status_code == 400
        assert Review.objects.filter(order=order).count() == 0


def test_reviewable_statuses_are_only_delivered():
    assert {OrderStatus.DELIVERED} == REVIEWABLE_ORDER_STATUSES


def test_unknown_or_short_token_is_404(client, delivered):
    assert client.get("/vi/danh-gia/don-hang/abc/").status_code == 404
    assert client.get(f"/vi/danh-gia/don-hang/{'x' * 32}/").status_code == 404
    assert client.post(f"/vi/danh-gia/don-hang/{'x' * 32}/", {"rating": 5}).status_code == 404


def test_one_review_per_order_line_a_second_post_rewrites_it(client, delivered, officer):
    assert post_review(client, delivered, rating=5, body="Rất ngon").status_code == 302
    approve(Review.objects.get(), officer)
    assert post_review(client, delivered, rating=3, body="Hơi ngọt").status_code == 302
    review = Review.objects.get()
    assert (review.rating, review.body, review.status) == (3, "Hơi ngọt", ReviewStatus.PENDING)
    page = client.get(review_url(delivered)).content.decode()
    assert vi("Update my review") in page
    assert vi("Awaiting moderation") in page


def test_a_line_of_another_order_cannot_be_reviewed_through_this_link(client, product, delivered):
    other = make_order(product)
    response = post_review(client, delivered, line=other.lines.first())
    assert response.status_code == 400
    assert vi("This product cannot be reviewed.") in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("rating", "body", "name", "message"),
    [
        ("", "ok", "Lan", "Choose a rating from 1 to 5 stars."),
        ("0", "ok", "Lan", "Choose a rating from 1 to 5 stars."),
        ("6", "ok", "Lan", "Choose a rating from 1 to 5 stars."),
        ("năm", "ok", "Lan", "Choose a rating from 1 to 5 stars."),
        ("5", "x" * 2001, "Lan", "at most 2000 characters (it has 2001)"),
        ("5", "ok", "x" * 61, "at most 60 characters (it has 61)"),
        ("5", "nul\x00byte", "Lan", "Null characters are not allowed."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, delivered, rating, body, name, message
):
    response = post_review(client, delivered, rating=rating, body=body, name=name, lang="en")
    assert response.status_code == 400
    assert re.search(
        r'class="errors" role="alert">.*' + re.escape(message), response.content.decode()
    )
    assert not Review.objects.exists()


def test_signed_in_shopper_finds_delivered_orders_in_their_account(
    client, product, django_user_model
):
    user = django_user_model.objects.create_user("lan", "lan@example.vn", "a-long-pass-123")
    mine = make_order(product, user=user)
    make_order(product, user=user, status=OrderStatus.SHIPPED)
    make_order(product)  # a guest's order
    assert client.get("/vi/danh-gia/cua-toi/").status_code == 302  # sign in first
    client.force_login(user)
    page = client.get("/vi/danh-gia/cua-toi/").content.decode()
    assert page.count("/vi/danh-gia/don-hang/") == 1
    assert review_url(mine) in page
    assert post_review(client, mine).status_code == 302


def test_submissions_are_rate_limited(client, delivered, settings):
    settings.RATE_LIMITS = {"review": (3, 3600)}
    codes = [post_review(client, delivered).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


# --- What product pages show ------------------------------------------------------------------


def test_a_review_is_shown_only_once_an_officer_approves_it(client, product, delivered, officer):
    post_review(client, delivered, rating=4, body="Mật thơm hoa nhãn")
    html = client.get(product.url).content.decode()
    assert "Mật thơm hoa nhãn" not in html
    assert (
        vi("No reviews yet. Shoppers can review a product once their order is delivered.") in html
    )
    assert "aggregateRating" not in json.dumps(jsonld(html))

    approve(Review.objects.get(), officer)
    html = client.get(product.url).content.decode()
    assert "Mật thơm hoa nhãn" in html
    assert summary(html) == ("4.0", "1")
    assert vi("Verified purchase") in html


def test_hidden_reviews_leave_the_page_and_the_rating(client, product, officer):
    for rating in (5, 2):
        post_review(client, make_order(product), rating=rating, body=f"Ý kiến {rating} sao")
    for review in Review.objects.all():
        approve(review, officer)
    html = client.get(product.url).content.decode()
    assert summary(html) == ("3.5", "2")
    moderate_review(
        Review.objects.get(rating=2), ReviewStatus.HIDDEN, user=officer, reason="Ngôn từ"
    )
    html = client.get(product.url).content.decode()
    assert "Ý kiến 2 sao" not in html
    assert summary(html) == ("5.0", "1")
    assert jsonld(html)["aggregateRating"]["reviewCount"] == 1


def test_json_ld_carries_aggregate_rating_and_reviews(client, product, officer):
    for rating, name in ((5, "Lan"), (4, "Minh")):
        post_review(client, make_order(product), rating=rating, body="Ngon", name=name)
    for review in Review.objects.all():
        approve(review, officer)
    data = jsonld(client.get(product.url).content.decode())
    assert data["@type"] == "Product"
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.5",
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert sorted(r["author"]["name"] for r in data["review"]) == ["Lan", "Minh"]
    assert {r["reviewRating"]["ratingValue"] for r in data["review"]} == {4, 5}
    assert all(r["@type"] == "Review" and r["reviewBody"] == "Ngon" for r in data["review"])


def test_english_page_shows_the_same_reviews(client, site, product, delivered, officer):
    post_review(client, delivered, rating=5, body="Tuyệt vời")
    approve(Review.objects.get(), officer)
    translate_tree(site)
    english = product.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(english.url).content.decode()
    assert "Tuyệt vời" in html
    assert "5.0 out of 5 · 1 review" in html
    assert jsonld(html)["aggregateRating"]["reviewCount"] == 1


def test_english_shopper_can_review_through_the_english_link(client, delivered):
    page = client.get(review_url(delivered, "en")).content.decode()
    assert "Send my review" in page
    assert post_review(client, delivered, lang="en").status_code == 302
    assert Review.objects.get().language == "en"


def test_reviews_of_another_product_are_not_shown(client, product, producer, officer):
    other = make_product(producer, title="Chè Shan tuyết")
    post_review(client, make_order(other), body="Chè đậm vị")
    approve(Review.objects.get(), officer)
    assert "Chè đậm vị" not in client.get(product.url).content.decode()
    assert "Chè đậm vị" in client.get(other.url).content.decode()


# --- The page cache ---------------------------------------------------------------------------


def test_every_review_change_purges_the_cached_product_page(
    client, product, delivered, officer, editor, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    visitor = type(client)()

    def shown():
        response = visitor.get(product.url)
        return response.get("X-Page-Cache"), response.content.decode()

    assert shown()[0] == "miss"
    assert shown()[0] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        post_review(client, delivered, rating=5, body="Đậm đà")
    review = Review.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        approve(review, officer)
    state, html = shown()
    assert state == "miss" and "Đậm đà" in html
    assert shown()[0] == "hit"

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/reviews/edit/{review.pk}/", {"reply": "Cảm ơn chị Lan!"})
    state, html = shown()
    assert state == "miss" and "Cảm ơn chị Lan!" in html
    assert shown()[0] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        moderate_review(review, ReviewStatus.HIDDEN, user=officer, reason="Trùng lặp")
    state, html = shown()
    assert state == "miss" and "Đậm đà" not in html


# --- HTML injection ---------------------------------------------------------------------------


class _ReviewText(HTMLParser):
    """The text of each review body and author as a browser would show it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.capture: str | None = None
        self.found: dict[str, list[str]] = {"review-body": [], "review-author": []}
        self.tags_inside = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        for name in self.found:
            if name in classes:
                self.capture = name
                self.found[name].append("")
                return
        if self.capture and tag != "br":
            self.tags_inside += 1

    def handle_endtag(self, tag):
        if self.capture and tag in ("p", "strong"):
            self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.found[self.capture][-1] += data


TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(list("<>&\"'/=;:() \\`{}[]%")),
            st.sampled_from(["<script>", "</p>", "<img src=x onerror=alert(1)>", "&amp;", "&#60;"]),
            st.characters(blacklist_categories=("Cc", "Cs")),
        ),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .filter(lambda s: s.strip() and len(s) <= 200)
)


@hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=TEXT, name=TEXT.filter(lambda s: len(s.strip()) <= 60))
def test_review_text_is_shown_as_text_never_as_markup(client, product, officer, body, name):
    Review.objects.all().delete()
    cache.clear()
    order = make_order(product)
    assert post_review(client, order, body=body, name=name).status_code == 302
    review = Review.objects.get()
    approve(review, officer)
    html = client.get(product.url).content.decode()
    parser = _ReviewText()
    parser.feed(html)
    assert parser.found["review-body"] == [review.body]
    assert parser.found["review-author"] == [review.author_name]
    assert parser.tags_inside == 0
    assert jsonld(html)["review"][0]["reviewBody"] == review.body
