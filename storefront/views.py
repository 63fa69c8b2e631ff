"""Cart, checkout, order page and the Stripe webhook. Plain HTML forms: no JavaScript needed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalog.addresses import province_choices
from cms.site_settings import site_settings
from security.csrf import csrf_protect_or
from security.throttle import rate_limited
from storefront import cart as carts
from storefront.checkout import CheckoutDetails, CheckoutError, place_order
from storefront.forms import CheckoutForm
from storefront.models import Order, OrderStatus, PaymentMethodCode
from storefront.payments.base import PaymentError
from storefront.payments.gateways import available_gateways, get_gateway

logger = logging.getLogger(__name__)


def _int_or_none(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The page to return to: only a path on this site ("/vi/…"), never another host, a
    scheme or a bare word (which `redirect()` would try to reverse as a URL name)."""
    target = request.POST.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


# --- Cart -------------------------------------------------------------------------------------


@never_cache
@require_safe
def cart_view(request: HttpRequest) -> HttpResponse:
    cart = carts.get_cart(request)
    province = _int_or_none(request.GET.get("province"))
    if province not in dict(province_choices()):
        province = None
    summary = carts.summarise(cart, province)
    return render(
        request,
        "storefront/cart.html",
        {
            "summary": summary,
            "provinces": province_choices(),
            "province": province,
            "recent_orders": recent_orders(request),
        },
    )


def confirm_add_view(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A post the CSRF check refused (no JavaScript or no cookie yet on a cached product page,
    or a post forged by another site): ask before adding, with a real token. Changes nothing."""
    context: dict = {"quantity": 1, "error": ""}
    try:
        context["quantity"] = max(1, carts.parse_quantity(request.POST.get("quantity", 1)))
        variant = context["variant"] = carts.find_variant(request.POST.get("variant"))
        context["error"] = carts.sellability_error(variant) or ""
    except carts.CartError as exc:
        context["error"] = str(exc)
        variant = None
    fallback = variant.page.url if variant is not None and variant.page.url else ""
    context["back"] = _safe_next(request, fallback or reverse("storefront:cart"))
    response = render(
        request, "storefront/confirm_add.html", context, status=400 if context["error"] else 200
    )
    add_never_cache_headers(response)
    return response


@require_POST
@rate_limited("cart")
@csrf_protect_or(confirm_add_view)
def add_to_cart_view(request: HttpRequest) -> HttpResponse:
    cart = carts.get_cart(request, create=True)
    try:
        line = carts.add_to_cart(cart, request.POST.get("variant"), request.POST.get("quantity", 1))
    except carts.CartError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_safe_next(request, reverse("storefront:cart")))
    messages.success(request, _("Added %(product)s to your cart.") % {"product": str(line.variant)})
    return redirect("storefront:cart")


@never_cache
@require_safe
def csrf_cookie_view(request: HttpRequest) -> HttpResponse:
    """Nothing but this visitor's CSRF cookie (204): static/js/csrf-cookie.js asks for it at
    the first add to cart from a cached page, which sets no cookie (cms/pagecache.py)."""
    get_token(request)
    return HttpResponse(status=204)


@require_POST
@rate_limited("cart")
def update_cart_view(request: HttpRequest) -> HttpResponse:
    cart = carts.get_cart(request)
    if cart is not None:
        try:
            carts.set_quantity(cart, request.POST.get("variant"), request.POST.get("quantity"))
        except carts.CartError as exc:
            messages.error(request, str(exc))
    return redirect("storefront:cart")


# --- Checkout ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("checkout")
def checkout_view(request: HttpRequest) -> HttpResponse:
    """Two steps without JavaScript: the province first (it fixes the communes and the
    shipping fee), then the rest; with JavaScript, changing the province submits step one."""
    cart = carts.get_cart(request)
    gateways = available_gateways()
    if cart is None or not cart.lines.exists():
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")

    if request.method == "POST" and request.POST.get("step") != "province":
        form = CheckoutForm(request.POST, gateways=gateways)
        if form.is_valid():
            data = form.cleaned_data
            details = CheckoutDetails(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                province_code=data["province"],
                ward_code=data["ward"],
                street_address=data["street_address"],
                note=data["note"],
                payment_method=data["payment_method"],
            )
            try:
                order = place_order(
                    cart,
                    details,
                    user=request.user,
                    language=get_language() or "vi",
                    expected_total=data.get("expected_total"),
                )
            except CheckoutError as exc:  # PriceChanged too: the page shows the new total
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return _after_placing(request, order)
    else:
        initial = {}
        if request.method == "POST":
            initial = {k: v for k, v in request.POST.items() if k in CheckoutForm.base_fields}
            initial.pop("ward", None)
        elif request.user.is_authenticated:
            initial = _signed_in_initial(request.user)
        if request.method == "GET" and request.GET.get("province"):
            initial["province"] = request.GET["province"]  # from the cart's shipping estimate
        form = CheckoutForm(initial=initial, gateways=gateways)

    summary = carts.summarise(cart, form.province_code)
    if summary.total is not None and form.is_bound:
        # Show the figures this page displays; a tampered or stale one only triggers review.
        form.data = form.data.copy()
        form.data["expected_total"] = str(summary.total)
    elif summary.total is not None:
        form.initial["expected_total"] = summary.total
    return render(
        request,
        "storefront/checkout.html",
        {"form": form, "summary": summary, "gateways": gateways},
    )


def _signed_in_initial(user) -> dict:
    """A signed-in shopper's checkout starts from `settings.CHECKOUT_INITIAL` (a dotted path
    that config points at accounts' saved addresses: storefront never imports accounts), else
    from the account's name and e-mail."""
    path = getattr(settings, "CHECKOUT_INITIAL", "")
    initial = import_string(path)(user) if path else {}
    return initial or {"email": user.email, "name": user.get_full_name()}


def _after_placing(request: HttpRequest, order: Order) -> HttpResponse:
    gateway = get_gateway(order.payment_method)
    try:
        target = gateway.start(order, request)
    except PaymentError as exc:
        messages.error(request, str(exc))
        target = order.get_absolute_url()
    response = redirect(target)
    remember_order(request, response, order)
    return response


# The browser keeps the links of its last orders (a signed cookie, no account needed): a
# shopper who paid cash with a phone number only finds the order again from the cart page.
RECENT_ORDERS_COOKIE = "ocop_orders"
RECENT_ORDERS_KEPT = 5
RECENT_ORDERS_DAYS = 180


def _recent_tokens(request: HttpRequest) -> list[str]:
    raw = request.get_signed_cookie(RECENT_ORDERS_COOKIE, default="", salt=RECENT_ORDERS_COOKIE)
    return [t for t in raw.split(",") if len(t) >= 20][:RECENT_ORDERS_KEPT]


def remember_order(request: HttpRequest, response: HttpResponse, order: Order) -> None:
    tokens = [order.token] + [t for t in _recent_tokens(request) if t != order.token]
    response.set_signed_cookie(
        RECENT_ORDERS_COOKIE,
        ",".join(tokens[:RECENT_ORDERS_KEPT]),
        salt=RECENT_ORDERS_COOKIE,
        max_age=RECENT_ORDERS_DAYS * 24 * 3600,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )


def recent_orders(request: HttpRequest) -> list[Order]:
    tokens = _recent_tokens(request)
    if not tokens:
        return []
    found = {o.token: o for o in Order.objects.filter(token__in=tokens)}
    return [found[t] for t in tokens if t in found]


# --- Orders -----------------------------------------------------------------------------------


def _order_or_404(token: str) -> Order:
    if len(token) < 20:
        raise Http404
    order = Order.objects.filter(token=token).first()
    if order is None:
        raise Http404
    return order


@never_cache
@require_safe
def order_view(request: HttpRequest, token: str) -> HttpResponse:
    from storefront.payments import vietqr

    order = _order_or_404(token)
    qr_svg = payload = None
    bank = None
    if order.payment_method == PaymentMethodCode.VIETQR and order.status == (
        OrderStatus.PENDING_PAYMENT
    ):
        bank = site_settings(request)
        payload = vietqr.payload_for_order(order, bank)
        if payload:
            qr_svg = mark_safe(vietqr.qr_svg(payload))  # noqa: S308 - generated by qrcode
    fulfilments = order.fulfilments.select_related("producer").prefetch_related("lines")
    return render(
        request,
        "storefront/order.html",
        {
            "order": order,
            "order_url": settings.SITE_URL + order.get_absolute_url(),
            "fulfilments": fulfilments,
            "events": order.events.exclude(kind__startswith="email_"),
            "qr_svg": qr_svg,
            "bank": bank,
            "returned_from_stripe": request.GET.get("returned") == "1",
            "can_pay_by_card": order.payment_method == PaymentMethodCode.STRIPE
            and order.status == OrderStatus.PENDING_PAYMENT
            and get_gateway(PaymentMethodCode.STRIPE).is_available(),
        },
    )


@require_POST
@rate_limited("checkout")
def order_pay_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open a new Stripe Checkout Session for an unpaid card order (retry after a failure)."""
    order = _order_or_404(token)
    if order.payment_method != PaymentMethodCode.STRIPE:
        return redirect(order.get_absolute_url())
    return _after_placing(request, order)


# --- Stripe webhook ---------------------------------------------------------------------------


@csrf_exempt
@require_POST
def stripe_webhook_view(request: HttpRequest) -> HttpResponse:
    """Answer fast: verify, store, and let the task do the work after commit."""
    from storefront.payments import stripe_api, webhooks

    try:
        created = webhooks.receive(request.body, request.headers.get("Stripe-Signature"))
    except stripe_api.SignatureError:
        return HttpResponseBadRequest("invalid signature")
    except ValueError:
        return HttpResponseBadRequest("invalid payload")
    return HttpResponse("ok" if created else "duplicate", content_type="text/plain")
