"""The 3★ rule on the admin's other ways to make a product page live.

`ProductPage.publish()`/`.save()` refuse an uncertified product on every path, by raising
`ProductNotPublishable`. Wagtail's bulk publish, "Copy" with "Publish copies" and "Create alias"
do not catch it, so the rule held but the officer got a 500. These hooks ask the same question
(`publishability_error`) *before* Wagtail acts, and answer with an admin message listing each
refused product; nothing is written. (The admin API turns the exception into a 400 itself:
`ProductNotPublishable` carries a non-field error dict, see catalog.services.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from catalog.models import ProductPage
from catalog.services import publishability_error


def _checked(request, name: str) -> bool:
    """A checkbox as Django's CheckboxInput reads it."""
    if name not in request.POST:
        return False
    value = request.POST.get(name)
    return {"true": True, "false": False}.get(str(value).lower(), bool(value))


def _product_pages(pages: Iterable[Page]) -> list[ProductPage]:
    return [p.specific for p in pages if issubclass(p.specific_class or Page, ProductPage)]


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_uncertified_products(request, action_type, objects, action):
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    pages: list[Page] = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages.extend(
                p
                for p in page.get_descendants().not_live().type(ProductPage)
                if p.permissions_for_user(request.user).can_publish()
            )
    refusals = [m for m in map(publishability_error, _product_pages(pages)) if m]
    if not refusals:
        return None
    messages.error(
        request,
        _("Nothing was published: %(reasons)s") % {"reasons": " ".join(dict.fromkeys(refusals))},
    )
    return redirect(action.next_url)


@hooks.register("before_copy_page")
def refuse_copies_that_would_be_uncertified_live_products(request, page):
    """A copy or an alias gets a new translation key, so none of the source's certificates:
    a product page in it may exist only as a draft copy (certified and published later)."""
    if request.method != "POST":
        return None
    raw_parent = request.POST.get("new_parent_page", "")
    valid_id = raw_parent.isascii() and raw_parent.isdigit() and len(raw_parent) < 10
    parent = Page.objects.filter(pk=int(raw_parent)).first() if valid_id else None
    if parent is None:  # Wagtail's view would look it up with .get() and fail with a 500
        messages.error(request, _("Choose the page to copy this page under."))
        return redirect(request.get_full_path())
    alias = _checked(request, "alias")
    publish = _checked(request, "publish_copies")
    if not (alias or publish):
        return None
    if not alias and not parent.permissions_for_user(request.user).can_publish_subpage():
        return None  # Wagtail copies as drafts: nothing goes live
    pages = [page]
    if _checked(request, "copy_subpages"):
        pages.extend(page.get_descendants())
    products = _product_pages(pages)
    if alias:
        reasons = [
            _(
                "An alias of “%(title)s” would be a second product page without an OCOP "
                "certificate of its own. Translate the page for another language, or copy it "
                "without publishing."
            )
            % {"title": p.title}
            for p in products
        ]
    else:
        reasons = [
            _(
                "The copy of “%(title)s” would go live as a new product without an OCOP "
                "certificate. Copy it without “Publish copies”, record its certificate, then "
                "publish it."
            )
            % {"title": p.title}
            for p in products
            if p.live
        ]
    if not reasons:
        return None
    messages.error(request, " ".join(reasons))
    return redirect(request.get_full_path())
