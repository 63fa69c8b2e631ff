"""Shopper accounts: e-mail links, phone sign-up, joining guest orders, re-order, addresses.

Rules (docs/storefront.md, "Accounts"):
- an e-mail link signs in (and makes the account on first use); it is signed with an expiry
  (`LINK_MAX_AGE`) and works once: the row's `used_at` is set by a guarded UPDATE;
- a guest's orders join an account only by an e-mail address the shopper proved by opening a
  link sent there; a phone number is never verified (no SMS gateway), so it joins nothing;
- a shopper is never staff, in a group or given a permission.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.links import LINK_SALT, link_max_age
from accounts.models import EmailLink, LinkPurpose, SavedAddress, ShopperProfile
from storefront import cart as carts
from storefront.models import Cart, Order

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

MAX_ADDRESSES = 10


class AccountError(ValueError):
    """A request refused, with a message the shopper can read."""


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- Accounts ---------------------------------------------------------------------------------


def shopper_profile(user) -> ShopperProfile | None:
    """The profile of a signed-in shopper; None for anyone else (staff, officers, guests)."""
    if user is None or not user.is_authenticated:
        return None
    return ShopperProfile.objects.filter(user=user).first()


def _new_user(email: str = "", name: str = "") -> AbstractUser:
    user = get_user_model().objects.create_user(
        f"shopper-{secrets.token_hex(8)}", email=email, password=None
    )
    if name:
        user.first_name = name[:150]
        user.save(update_fields=["first_name"])
    return user


def sign_up_by_phone(phone: str, password: str, name: str = "") -> AbstractUser:
    """A phone account (`phone` already in E.164); AccountError if the number has one."""
    if ShopperProfile.objects.filter(phone=phone).exists():
        raise AccountError(_("An account with this phone number already exists: sign in."))
    try:
        with transaction.atomic():
            user = _new_user(name=name)
            user.set_password(password)
            user.save(update_fields=["password"])
            ShopperProfile.objects.create(user=user, phone=phone)
    except IntegrityError:  # the same number, a moment earlier
        raise AccountError(
            _("An account with this phone number already exists: sign in.")
        ) from None
    return user


# --- E-mail links -----------------------------------------------------------------------------


def request_link(email: str, *, language: str = "vi", user=None) -> EmailLink:
    """Make a link and e-mail it after commit. With `user`, the link verifies `email` for
    that account; without, it signs in whoever owns (or will own) the address."""
    email = normalise_email(email)
    if user is not None:
        taken = ShopperProfile.objects.filter(email=email).exclude(user=user).exists()
        if taken:
            raise AccountError(_("This e-mail address belongs to another account."))
    nonce = secrets.token_urlsafe(18)
    link = EmailLink.objects.create(
        email=email,
        purpose=LinkPurpose.VERIFY if user is not None else LinkPurpose.SIGN_IN,
        user=user,
        nonce_hash=_hash(nonce),
        language=language,
    )
    token = signing.dumps([link.pk, nonce], salt=LINK_SALT)
    from accounts.tasks import send_link_email

    link_id = link.pk
    transaction.on_commit(lambda: send_link_email.enqueue(link_id, token))
    return link


def find_link(token: str) -> EmailLink:
    """The link a token names, if it is still usable; AccountError saying why not."""
    try:
        pk, nonce = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
        pk, nonce = int(pk), str(nonce)
    except signing.SignatureExpired:
        raise AccountError(_("This link has expired. Ask for a new one.")) from None
    except (signing.BadSignature, TypeError, ValueError):
        raise AccountError(_("This link is not valid. Ask for a new one.")) from None
    link = EmailLink.objects.filter(pk=pk, nonce_hash=_hash(nonce)).first()
    if link is None:
        raise AccountError(_("This link is not valid. Ask for a new one."))
    if link.used_at is not None:
        raise AccountError(_("This link has already been used. Ask for a new one."))
    return link


def use_link(token: str) -> tuple[AbstractUser, int]:
    """Spend a link once: sign-in (the account is made on first use) or verification; then
    the guest orders placed with this address join the account. Returns (user, joined)."""
    with transaction.atomic():
        link = find_link(token)
        spent = EmailLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not spent:  # another request spent it between the two lines above
            raise AccountError(_("This link has already been used. Ask for a new one."))
        owner = ShopperProfile.objects.select_related("user").filter(email=link.email).first()
        if link.purpose == LinkPurpose.VERIFY:
            profile = ShopperProfile.objects.select_related("user").filter(user=link.user).first()
            if profile is None:
                raise AccountError(_("This link is not valid. Ask for a new one."))
            if owner is not None and owner.pk != profile.pk:
                raise AccountError(_("This e-mail address belongs to another account."))
            profile.email = link.email
            profile.save(update_fields=["email"])
        elif owner is not None:
            profile = owner
        else:
            profile = ShopperProfile.objects.create(user=_new_user(link.email), email=link.email)
        user = profile.user
        if user.email != link.email:
            user.email = link.email
            user.save(update_fields=["email"])
        if not user.is_active:
            raise AccountError(_("This account is closed."))
        joined = join_guest_orders(user)
    return user, joined


def join_guest_orders(user) -> int:
    """Guest orders placed with the account's *verified* e-mail become the account's."""
    profile = ShopperProfile.objects.filter(user=user).first()
    if profile is None or not profile.email:
        return 0
    return Order.objects.filter(user__isnull=True, email__iexact=profile.email).update(user=user)


# --- Orders -----------------------------------------------------------------------------------


def orders_of(user):
    return Order.objects.filter(user=user).order_by("-created_at", "-pk")


def order_of(user, reference: str) -> Order | None:
    if not isinstance(reference, str) or len(reference) > 12:
        return None
    return orders_of(user).filter(reference=reference).first()


@dataclass
class Reordered:
    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def reorder(cart: Cart, order: Order) -> Reordered:
    """Put the order's variants back in the cart, in the same quantities where possible;
    say which are no longer available (deleted, unpublished, uncertified, out of stock)."""
    result = Reordered()
    for line in order.lines.all():
        label = f"{line.product_title} – {line.variant_name}"
        if line.variant_id is None:
            result.problems.append(_("%(product)s is no longer sold.") % {"product": label})
            continue
        wanted = min(line.quantity, carts.MAX_QUANTITY)
        try:
            carts.add_to_cart(cart, line.variant_id, wanted)
        except carts.CartError as exc:
            variant = line.variant
            if variant is not None and 0 < variant.stock < wanted:
                try:
                    carts.add_to_cart(cart, line.variant_id, variant.stock)
                except carts.CartError:
                    pass
                else:
                    result.problems.append(
                        _("Only %(count)d of %(product)s left: added those.")
                        % {"count": variant.stock, "product": label}
                    )
                    continue
            result.problems.append(str(exc))
        else:
            result.added.append(label)
    return result


# --- Addresses --------------------------------------------------------------------------------


def addresses_of(user):
    return SavedAddress.objects.filter(user=user)


def save_address(user, *, name, phone, province_code, ward_code, street_address, is_default):
    """Keep an address (the first one, or one marked so, becomes the default)."""
    with transaction.atomic():
        mine = addresses_of(user)
        if mine.count() >= MAX_ADDRESSES:
            raise AccountError(
                _("You can keep up to %(count)d addresses.") % {"count": MAX_ADDRESSES}
            )
        is_default = is_default or not mine.exists()
        if is_default:
            mine.update(is_default=False)
        return SavedAddress.objects.create(
            user=user,
            name=name,
            phone=phone,
            province_code=province_code,
            ward_code=ward_code,
            street_address=street_address,
            is_default=is_default,
        )


def _row_id(pk) -> int | None:
    """A primary key the database can hold (a URL may carry any number of digits)."""
    return pk if isinstance(pk, int) and 0 < pk < 2**63 else None


def delete_address(user, pk) -> bool:
    pk = _row_id(pk)
    if pk is None:
        return False
    with transaction.atomic():
        address = addresses_of(user).filter(pk=pk).first()
        if address is None:
            return False
        address.delete()
        if address.is_default:
            nxt = addresses_of(user).order_by("-created_at", "-pk").first()
            if nxt is not None:
                nxt.is_default = True
                nxt.save(update_fields=["is_default"])
    return True


def make_default(user, pk) -> bool:
    pk = _row_id(pk)
    if pk is None:
        return False
    with transaction.atomic():
        if not addresses_of(user).filter(pk=pk).exists():
            return False
        addresses_of(user).update(is_default=False)
        addresses_of(user).filter(pk=pk).update(is_default=True)
    return True


def checkout_initial(user) -> dict:
    """What the checkout form starts with for a signed-in shopper: the default address, the
    name and the verified e-mail (empty for anyone without a shopper profile)."""
    profile = shopper_profile(user)
    if profile is None:
        return {}
    initial = {"name": user.get_full_name(), "email": profile.email or ""}
    address = addresses_of(user).order_by("-is_default", "-created_at").first()
    if address is not None:
        initial.update(
            name=address.name,
            phone=address.phone,
            province=address.province_code,
            ward=address.ward_code,
            street_address=address.street_address,
        )
    elif profile.phone:
        initial["phone"] = profile.phone
    return {k: v for k, v in initial.items() if v not in ("", None)}
