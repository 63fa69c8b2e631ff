"""Account pages under /<lang>/tai-khoan/: plain HTML forms, CSRF, never cached, no JavaScript."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.backends import phone_username
from accounts.forms import AddressForm, EmailLinkForm, PhoneSignInForm, PhoneSignUpForm
from security.throttle import hit, hit_request, rate_limited, too_many_requests
from storefront import cart as carts

BACKEND = "accounts.backends.ShopperBackend"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and len(target) < 500
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("accounts:account")


def signed_in_required(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            query = urlencode({"next": request.path}) if request.method == "GET" else ""
            target = reverse("accounts:sign_in")
            return redirect(f"{target}?{query}" if query else target)
        return view(request, *args, **kwargs)

    return wrapped


def _sign_in_page(request, *, email_form=None, phone_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "accounts/sign_in.html",
        {
            "email_form": email_form or EmailLinkForm(),
            "phone_form": phone_form or PhoneSignInForm(),
            "next": _safe_next(request),
        },
        status=status,
    )


# --- Signing in and out -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if request.user.is_authenticated:
            return redirect("accounts:account")
        return _sign_in_page(request)
    if request.POST.get("method") == "phone":
        return _phone_sign_in(request)
    return _email_link(request)


def _email_link(request: HttpRequest) -> HttpResponse:
    if not hit_request(request, "sign-in-link"):
        return too_many_requests(request, "sign-in-link")
    form = EmailLinkForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, email_form=form, status=400)
    email = services.normalise_email(form.cleaned_data["email"])
    # The same answer whether or not the address has an account (nothing to enumerate).
    if hit("sign-in-link-email", email):
        services.request_link(email, language=get_language() or "vi")
    return render(
        request,
        "accounts/link_sent.html",
        {"email": email, "minutes": services.link_max_age() // 60},
    )


@rate_limited("sign-in")
def _phone_sign_in(request: HttpRequest) -> HttpResponse:
    form = PhoneSignInForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, phone_form=form, status=400)
    user = authenticate(
        request,
        username=phone_username(form.cleaned_data["phone"]),
        password=form.cleaned_data["password"],
    )
    if user is None:  # a locked account or address: AxesMiddleware answers with its page
        form.add_error(None, _("This phone number and password do not match an account."))
        return _sign_in_page(request, phone_form=form, status=400)
    login(request, user, backend=BACKEND)
    return redirect(_safe_next(request))


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("sign-in", methods=("GET", "POST"))
def link_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners that open links must not spend them."""
    try:
        if request.method == "GET":
            link = services.find_link(token)
            return render(request, "accounts/link.html", {"link": link, "token": token})
        user, joined = services.use_link(token)
    except services.AccountError as exc:
        return render(request, "accounts/link_refused.html", {"error": str(exc)}, status=400)
    login(request, user, backend=BACKEND)
    messages.success(request, _("You are signed in."))
    if joined > 0:
        messages.info(
            request,
            ngettext(
                "%(count)d earlier order joined your account.",
                "%(count)d earlier orders joined your account.",
                joined,
            )
            % {"count": joined},
        )
    return redirect("accounts:account")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up_view(request: HttpRequest) -> HttpResponse:
    form = PhoneSignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not hit_request(request, "sign-up"):
            return too_many_requests(request, "sign-up")
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.sign_up_by_phone(data["phone"], data["password1"], data["name"])
            except services.AccountError as exc:
                form.add_error("phone", str(exc))
            else:
                login(request, user, backend=BACKEND)
                messages.success(
                    request,
                    _(
                        "Your account is ready. Add your e-mail address to see the orders you "
                        "placed without an account."
                    ),
                )
                return redirect("accounts:account")
        status = 400
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "email_form": EmailLinkForm()},
        status=status,
    )


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect(f"/{get_language() or 'vi'}/")


# --- The account ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
@signed_in_required
def account_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "orders": services.orders_of(request.user).prefetch_related("lines"),
            "profile": services.shopper_profile(request.user),
            "email_form": EmailLinkForm(),
        },
    )


@require_POST
@signed_in_required
def add_email_view(request: HttpRequest) -> HttpResponse:
    if not hit_request(request, "sign-in-link"):
        return too_many_requests(request, "sign-in-link")
    form = EmailLinkForm(request.POST)
    profile = services.shopper_profile(request.user)
    if profile is None:
        raise Http404
    if form.is_valid():
        email = services.normalise_email(form.cleaned_data["email"])
        try:
            if hit("sign-in-link-email", email):
                services.request_link(email, language=get_language() or "vi", user=request.user)
        except services.AccountError as exc:
            messages.error(request, str(exc))
        else:
            messages.info(
                request,
                _("We sent a link to %(email)s: open it to confirm the address.")
                % {"email": email},
            )
    else:
        for error in form.errors.get("email", []):
            messages.error(request, error)
    return redirect("accounts:account")


@require_POST
@rate_limited("cart")
@signed_in_required
def reorder_view(request: HttpRequest, reference: str) -> HttpResponse:
    order = services.order_of(request.user, reference)
    if order is None:
        raise Http404
    cart = carts.get_cart(request, create=True)
    result = services.reorder(cart, order)
    if result.added:
        messages.success(
            request,
            ngettext(
                "%(count)d product from order %(ref)s is in your cart again.",
                "%(count)d products from order %(ref)s are in your cart again.",
                len(result.added),
            )
            % {"count": len(result.added), "ref": order.reference},
        )
    for problem in result.problems:
        messages.warning(request, problem)
    return redirect("storefront:cart")


# --- Saved addresses --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@signed_in_required
def addresses_view(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST" and request.POST.get("step") != "province":
        form = AddressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_address(
                    request.user,
                    name=data["name"],
                    phone=data["phone"],
                    province_code=data["province"],
                    ward_code=data["ward"],
                    street_address=data["street_address"],
                    is_default=data["is_default"],
                )
            except services.AccountError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Address saved."))
                return redirect("accounts:addresses")
        status = 400
    elif request.method == "POST":
        initial = {k: v for k, v in request.POST.items() if k in AddressForm.base_fields}
        initial.pop("ward", None)
        form = AddressForm(initial=initial)
    else:
        form = AddressForm()
    return render(
        request,
        "accounts/addresses.html",
        {"form": form, "addresses": services.addresses_of(request.user)},
        status=status,
    )


@require_POST
@signed_in_required
def address_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.delete_address(request.user, pk):
        raise Http404
    messages.success(request, _("Address removed."))
    return redirect("accounts:addresses")


@require_POST
@signed_in_required
def address_default_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.make_default(request.user, pk):
        raise Http404
    messages.success(request, _("This address now comes first at checkout."))
    return redirect("accounts:addresses")
