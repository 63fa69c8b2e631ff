"""Shoppers' review pages: by an order's unguessable link (guests too), and from an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from reviews.forms import ReviewForm
from reviews.services import (
    ReviewError,
    order_is_reviewable,
    orders_of,
    reviewable_lines,
    submit_review,
)
from security.throttle import rate_limited
from storefront.models import Order


def _order_or_404(token: str) -> Order:
    order = Order.objects.filter(token=token).first() if len(token) >= 20 else None
    if order is None:
        raise Http404
    return order


def _initial(item) -> dict:
    review = item.review
    if review is None:
        first_name = (item.line.order.name or "").split()
        return {"author_name": first_name[-1] if first_name else ""}
    return {"rating": review.rating, "body": review.body, "author_name": review.author_name}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("review")
def order_reviews_view(request: HttpRequest, token: str) -> HttpResponse:
    """Every product of one order, each with its review form (delivered orders only)."""
    order = _order_or_404(token)
    items = reviewable_lines(order) if order_is_reviewable(order) else []
    status = 200
    posted_line = None
    if request.method == "POST":
        posted_line, status = _post_review(request, order, items)
        if status == 302:
            return redirect(f"{request.path}#line-{posted_line}")
    for item in items:
        if item.product is not None and not hasattr(item, "form"):
            item.form = ReviewForm(initial=_initial(item), prefix_id=item.line.pk)
    return render(
        request,
        "reviews/order_reviews.html",
        {"order": order, "items": items, "reviewable": order_is_reviewable(order)},
        status=status,
    )


def _post_review(request: HttpRequest, order: Order, items: list) -> tuple[int | None, int]:
    """Validate and save one line's review; (line id, 302) on success, else an error status."""
    if not items:
        messages.error(request, _("Only a delivered order can be reviewed."))
        return None, 400
    try:
        line_id = int(request.POST.get("line", ""))
    except ValueError:
        line_id = None
    item = next((i for i in items if i.line.pk == line_id), None)
    if item is None or item.product is None:
        messages.error(request, _("This product cannot be reviewed."))
        return None, 400
    form = ReviewForm(request.POST, prefix_id=item.line.pk)
    item.form = form
    if not form.is_valid():
        return item.line.pk, 400
    try:
        submit_review(
            item.line,
            rating=form.cleaned_data["rating"],
            body=form.cleaned_data["body"],
            author_name=form.cleaned_data["author_name"],
            language=get_language() or "vi",
        )
    except ReviewError as exc:
        form.add_error(None, exc.message)
        return item.line.pk, 400
    messages.success(
        request,
        _("Thank you! Your review will be shown once it has been checked."),
    )
    return item.line.pk, 302


@never_cache
@require_safe
def my_reviews_view(request: HttpRequest) -> HttpResponse:
    """A signed-in shopper's delivered orders, each leading to its review page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    orders = list(orders_of(request.user).prefetch_related("lines", "reviews"))
    for order in orders:
        order.review_url = reverse("reviews:order", kwargs={"token": order.token})
        order.reviewed = len(order.reviews.all())
    return render(request, "reviews/my_reviews.html", {"orders": orders})
