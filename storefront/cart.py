"""The shopper's cart: found through the session, kept across signing in.

What a cart holds is only a wish: prices, stock and certification are read live every time
the cart is shown, and checked again under lock at checkout (storefront/checkout.py).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalog.models import Producer, ProductVariant
from storefront.models import Cart, CartLine
from storefront.shipping import NoShippingRule, shipping_fee

if TYPE_CHECKING:
    from django.http import HttpRequest

CART_SESSION_KEY = "storefront_cart"
MAX_QUANTITY = 99


class CartError(ValueError):
    """A request the cart refuses, with a message the shopper can read."""


def sellability_error(variant: ProductVariant) -> str | None:
    """Why a variant cannot be bought now (None when it can)."""
    page = variant.page
    if not page.live:
        return _("%(product)s is no longer on sale.") % {"product": page.title}
    if not page.is_certified:
        return _("%(product)s has no valid OCOP certificate and cannot be bought.") % {
            "product": page.title
        }
    return None


# --- Finding the cart -------------------------------------------------------------------------


def get_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The request's cart: the session's, else the signed-in user's latest; made on demand."""
    cart = None
    token = request.session.get(CART_SESSION_KEY)
    if token:
        cart = Cart.objects.filter(token=token).first()
        if cart is not None and cart.user_id and cart.user_id != getattr(request.user, "pk", None):
            cart = None  # another account's cart: never show it
    if cart is None and request.user.is_authenticated:
        cart = Cart.objects.filter(user=request.user).order_by("-updated_at").first()
    if cart is None and create:
        cart = Cart.objects.create(user=request.user if request.user.is_authenticated else None)
    if cart is not None:
        if request.user.is_authenticated and cart.user_id is None:
            cart.user = request.user
            cart.save(update_fields=["user", "updated_at"])
        if request.session.get(CART_SESSION_KEY) != cart.token:
            request.session[CART_SESSION_KEY] = cart.token
    return cart


def attach_cart_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On signing in, the guest cart becomes the user's, merged into any cart they had."""
    token = request.session.get(CART_SESSION_KEY) if hasattr(request, "session") else None
    guest = Cart.objects.filter(token=token, user__isnull=True).first() if token else None
    existing = Cart.objects.filter(user=user).order_by("-updated_at").first()
    if guest is None:
        if existing is not None:
            request.session[CART_SESSION_KEY] = existing.token
        return
    if existing is None:
        guest.user = user
        guest.save(update_fields=["user", "updated_at"])
        return
    with transaction.atomic():
        for line in guest.lines.all():
            mine = existing.lines.filter(variant_id=line.variant_id).first()
            if mine is None:
                line.cart = existing
                line.save(update_fields=["cart"])
            else:
                mine.quantity = min(MAX_QUANTITY, mine.quantity + line.quantity)
                mine.save(update_fields=["quantity"])
        guest.delete()
    request.session[CART_SESSION_KEY] = existing.token


# --- Changing it ------------------------------------------------------------------------------


def parse_quantity(raw: Any) -> int:
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise CartError(_("Please enter a whole number of items.")) from None
    if quantity < 0 or quantity > MAX_QUANTITY:
        raise CartError(_("You can buy between 1 and %(max)d of an item.") % {"max": MAX_QUANTITY})
    return quantity


def find_variant(variant_id: Any) -> ProductVariant:
    try:
        pk = int(str(variant_id))
    except (TypeError, ValueError):
        raise CartError(_("This product does not exist.")) from None
    variant = ProductVariant.objects.select_related("page").filter(pk=pk).first()
    if variant is None:
        raise CartError(_("This product does not exist."))
    return variant


def add_to_cart(cart: Cart, variant_id: Any, quantity: Any = 1) -> CartLine:
    """Add items of a variant; refuse uncertified or unpublished products and missing stock."""
    quantity = parse_quantity(quantity)
    if quantity < 1:
        raise CartError(_("You can buy between 1 and %(max)d of an item.") % {"max": MAX_QUANTITY})
    variant = find_variant(variant_id)
    problem = sellability_error(variant)
    if problem:
        raise CartError(problem)
    line = cart.lines.filter(variant=variant).first()
    wanted = quantity + (line.quantity if line else 0)
    if variant.stock <= 0:
        raise CartError(_("%(product)s is out of stock.") % {"product": str(variant)})
    if wanted > variant.stock:
        raise CartError(
            _("Only %(count)d of %(product)s left in stock.")
            % {"count": variant.stock, "product": str(variant)}
        )
    wanted = min(wanted, MAX_QUANTITY)
    if line is None:
        try:
            with transaction.atomic():
                line = CartLine.objects.create(cart=cart, variant=variant, quantity=wanted)
        except IntegrityError:  # a double click raced us
            line = cart.lines.get(variant=variant)
    else:
        line.quantity = wanted
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


def set_quantity(cart: Cart, variant_id: Any, quantity: Any) -> None:
    """Change a line's quantity; zero removes it."""
    quantity = parse_quantity(quantity)
    line = cart.lines.filter(variant_id=find_variant(variant_id).pk).first()
    if line is None:
        return
    if quantity == 0:
        line.delete()
    else:
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])


# --- Reading it -------------------------------------------------------------------------------


@dataclass
class CartItem:
    variant: ProductVariant
    quantity: int
    problem: str | None = None

    @property
    def unit_price(self) -> int:
        return self.variant.price

    @property
    def line_total(self) -> int:
        return self.variant.price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.variant.weight_grams * self.quantity

    @property
    def product(self):
        return self.variant.page


@dataclass
class CartSummary:
    items: list[CartItem]
    groups: OrderedDict[Producer | None, list[CartItem]] = field(default_factory=OrderedDict)
    province_code: int | None = None
    shipping_fee: int | None = None
    shipping_error: str | None = None

    @property
    def subtotal(self) -> int:
        return sum(i.line_total for i in self.items)

    @property
    def weight_grams(self) -> int:
        return sum(i.weight_grams for i in self.items)

    @property
    def total(self) -> int | None:
        if self.shipping_fee is None:
            return None
        return self.subtotal + self.shipping_fee

    @property
    def has_problems(self) -> bool:
        return any(i.problem for i in self.items)

    @property
    def is_empty(self) -> bool:
        return not self.items


def summarise(cart: Cart | None, province_code: int | None = None) -> CartSummary:
    """Live prices, stock, problems and (given a province) the shipping fee of a cart."""
    if cart is None:
        return CartSummary(items=[], province_code=province_code)
    lines = cart.lines.select_related("variant__page__producer").order_by("added_at", "pk")
    items: list[CartItem] = []
    groups: OrderedDict[Producer | None, list[CartItem]] = OrderedDict()
    for line in lines:
        variant = line.variant
        problem = sellability_error(variant)
        if problem is None and variant.stock < line.quantity:
            problem = (
                _("Only %(count)d left in stock.") % {"count": variant.stock}
                if variant.stock
                else _("Out of stock.")
            )
        item = CartItem(variant=variant, quantity=line.quantity, problem=problem)
        items.append(item)
        groups.setdefault(variant.page.producer, []).append(item)
    summary = CartSummary(items=items, groups=groups, province_code=province_code)
    if province_code and items:
        try:
            summary.shipping_fee = shipping_fee(
                province_code, summary.weight_grams, summary.subtotal
            )
        except NoShippingRule:
            summary.shipping_error = _("We cannot ship to this province yet.")
    return summary


def item_count(request: HttpRequest) -> int:
    cart = get_cart(request)
    if cart is None:
        return 0
    return sum(cart.lines.values_list("quantity", flat=True))
