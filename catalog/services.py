"""Domain actions of the catalogue: recording and revoking certificates, expiry runs, producer
onboarding, and the read models (product cards) the public pages render. The certificate and
3★ rules themselves sit in `catalog.models` (the models enforce them on save and publish, and
never call up into this module); they are re-exported here under their old names.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Count, Min, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
)

from catalog import english
from catalog.addresses import short_province_name
from catalog.models import (
    EXPIRY_NOTICE_DAYS,
    Certificate,
    CertificateEvent,
    Producer,
    ProducerIndexPage,
    ProducerPage,
    ProductPage,
    ProductVariant,
    default_expiry,
    today,
)

# The certificate and 3★ rules live with the models that enforce them; callers keep these names.
from catalog.models import ProductNotPublishable as ProductNotPublishable
from catalog.models import assert_publishable as assert_publishable
from catalog.models import certificate_errors as certificate_errors
from catalog.models import publishability_error as publishability_error
from catalog.money import format_vnd
from catalog.permissions import PRODUCER_EDITORS_GROUP, grant, permission
from cms import audit, pagecache
from cms.renditions import made_renditions, only_renditions, srcset_img

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

logger = logging.getLogger(__name__)


# --- Certificates -----------------------------------------------------------------------------


def record_certificate(user: AbstractUser | None = None, **fields: Any) -> Certificate:
    """Validate and save a new certificate; raise ValidationError naming each bad field."""
    cert = Certificate(**fields)
    if cert.total_score is None and None not in (cert.score_a, cert.score_b, cert.score_c):
        cert.total_score = cert.score_a + cert.score_b + cert.score_c
    if not cert.expires_on and cert.decision_date and cert.criteria_set_id:
        cert.expires_on = default_expiry(cert.decision_date, cert.criteria_set)
    cert.full_clean()
    with transaction.atomic():
        cert.save()
        CertificateEvent.objects.create(certificate=cert, kind="recorded", user=user)
        audit.record(
            cert,
            "ocop.certificate.record",
            user=user,
            data={"note": f"{cert.decision_number} {cert.stars}★ → {cert.expires_on}"},
        )
        transaction.on_commit(lambda: certification_changed(cert.product_id))
    return cert


def revoke_certificate(cert: Certificate, reason: str, user: AbstractUser | None = None) -> None:
    """Revoke a certificate; the product stops being sold as OCOP at once."""
    if cert.revoked_at:
        return
    with transaction.atomic():
        cert.revoked_at = timezone.now()
        cert.revoked_reason = reason
        cert.save(update_fields=["revoked_at", "revoked_reason"])
        CertificateEvent.objects.create(certificate=cert, kind="revoked", note=reason, user=user)
        audit.record(cert, "ocop.certificate.revoke", user=user, data={"note": reason})
        product = cert.product
        if not ProductPage.objects.get(pk=product.pk).is_certified:
            unpublish_product(product, reason=_("Certificate revoked"))
    transaction.on_commit(lambda: certification_changed(cert.product_id))


def certification_changed(product_id: int) -> None:
    """Hook for whatever depends on a product's certification (the search index)."""
    from catalog.signals import product_certification_changed

    product_certification_changed.send(sender=ProductPage, product_id=product_id)


# --- The 3-star rule --------------------------------------------------------------------------


def unpublish_product(page: ProductPage, reason: str, user: AbstractUser | None = None) -> None:
    """Take a product (and its aliases in other locales) off the site."""
    page = page.specific
    if page.live:  # Wagtail's unpublish takes the aliases in other locales along
        page.unpublish(user=user, log_action="wagtail.unpublish")
        logger.info("Unpublished %s: %s", page.title, reason)


# --- Daily certificate run --------------------------------------------------------------------


@dataclass
class CertificateRunReport:
    unpublished: list[str] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)


def run_certificate_checks(on: dt.date | None = None) -> CertificateRunReport:
    """The daily job: unpublish products that lost certification, warn producers 30 days ahead.

    Steps: (1) every live product page in the default locale without a certificate in force
    of ≥3★ is unpublished (aliases follow); (2) every certificate in force that expires within
    30 days and whose producer has not yet been told gets one e-mail, recorded as an event.
    """
    on = on or today()
    report = CertificateRunReport()
    certified_keys = Certificate.objects.certified(on).values("product__translation_key")
    for page in ProductPage.objects.live().exclude(translation_key__in=certified_keys):
        if page.alias_of_id:
            continue
        unpublish_product(page, reason="certificate no longer valid")
        report.unpublished.append(page.title)

    due = Certificate.objects.in_force(on).filter(
        expires_on__lte=on + dt.timedelta(days=EXPIRY_NOTICE_DAYS), expiry_notified_at__isnull=True
    )
    for cert in due.select_related("product"):
        notify_expiry(cert)
        report.notified.append(cert.product.title)
    return report


def notify_expiry(cert: Certificate) -> None:
    producer = cert.product.producer
    recipients = [producer.email] if producer and producer.email else []
    if producer and producer.editors_group_id:
        recipients += list(
            producer.editors_group.user_set.exclude(email="").values_list("email", flat=True)
        )
    if settings.OCOP_OFFICER_EMAIL:
        recipients.append(settings.OCOP_OFFICER_EMAIL)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("OCOP certificate of %(product)s expires on %(date)s") % {
            "product": cert.product.title,
            "date": cert.expires_on.strftime("%d/%m/%Y"),
        }
        body = _(
            "The OCOP certificate %(decision)s of %(product)s expires on %(date)s. "
            "Apply for a new evaluation in time: after that date the product is no longer "
            "sold as OCOP on the storefront."
        ) % {
            "decision": cert.decision_number,
            "product": cert.product.title,
            "date": cert.expires_on.strftime("%d/%m/%Y"),
        }
        # The renewal is a fresh evaluation: a link to an application pre-filled from this one.
        renewal_url = f"{settings.SITE_URL}{reverse('evaluation:new')}?renew={cert.pk}"
        body += "\n\n" + _("Open a pre-filled renewal application: %(url)s") % {"url": renewal_url}
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(set(recipients)))
    cert.expiry_notified_at = timezone.now()
    cert.save(update_fields=["expiry_notified_at"])
    CertificateEvent.objects.create(
        certificate=cert, kind="expiry_notified", note=", ".join(sorted(set(recipients)))
    )


# --- Producers and their editors --------------------------------------------------------------


EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def producer_editors_base_group() -> Group:
    """Model permissions every producer editor holds; rows are filtered per producer."""
    return grant(PRODUCER_EDITORS_GROUP, [("wagtailadmin", "access_admin")])


@dataclass
class OnboardedProducer:
    producer: Producer
    page: ProducerPage
    group: Group
    editor: Any
    password: str | None


@transaction.atomic
def create_producer(
    *,
    editor_username: str,
    editor_email: str = "",
    editor_password: str | None = None,
    editor_can_sign_in: bool = True,
    page_title: str | None = None,
    **producer_fields: Any,
) -> OnboardedProducer:
    """Create a producer with its page, its editors' group and collection, and one editor
    (without a usable password when `editor_can_sign_in` is false: a set-password link or an
    officer gives one later).

    The group may add and edit (not publish) its own producer page and everything below it,
    and use its own image/document collection; the workflow sends changes to the officers.
    """
    producer = Producer(**producer_fields)
    producer.full_clean()
    producer.save()

    with translation.override(settings.LANGUAGE_CODE):  # stored once, in the admin's language
        name = _("Editors: %(producer)s") % {"producer": producer.name}
    group = Group.objects.create(name=name[:150])
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    producer.editors_group = group

    root_collection = Collection.get_first_root_node()
    collection = root_collection.add_child(name=producer.name[:255])
    producer.collection = collection
    producer.save(update_fields=["editors_group", "collection"])
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.create(
            group=group, collection=collection, permission=permission(app_label, codename)
        )

    index = (
        ProducerIndexPage.objects.filter(locale=Locale.get_default()).first()
        or ProducerIndexPage.objects.first()
    )
    page = ProducerPage(
        title=page_title or producer.short_name or producer.name,
        producer=producer,
        locale=index.locale,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=permission("wagtailcore", codename)
        )

    password = editor_password
    User = get_user_model()
    editor = User(username=editor_username, email=editor_email, is_staff=False)
    if not editor_can_sign_in:
        password = ""
        editor.set_unusable_password()
    else:
        if password is None:
            password = _random_password()
        editor.set_password(password)
    editor.save()
    editor.groups.add(group, producer_editors_base_group())
    return OnboardedProducer(producer, page, group, editor, password)


def _random_password() -> str:
    import secrets

    return secrets.token_urlsafe(12)


# --- Read models for public pages -------------------------------------------------------------


# The sizes components/product_card.html shows (srcset), and the attributes it gives the
# <img> (`card_image_html` writes the tag the template's `{% srcset_image %}` would).
CARD_IMAGE_SIZES = ("fill-240x180", "fill-480x360")
CARD_IMAGE_ATTRS = {"sizes": "(min-width: 720px) 200px, 45vw", "loading": "lazy"}


def card_images(image_ids) -> dict[int, list]:
    """The card sizes of these images where made (one query; see `cms.renditions`)."""
    return made_renditions(image_ids, CARD_IMAGE_SIZES)


def card_image_html(renditions: list | None, title: str) -> str:
    return srcset_img(renditions, alt=title, **CARD_IMAGE_ATTRS) if renditions else ""


@dataclass
class ProductCard:
    page: ProductPage
    title: str
    url: str
    summary: str
    stars: int | None
    min_price: int | None
    in_stock: bool
    producer_name: str
    province_code: int | None
    image: Any = None
    variant_count: int = 0
    title_lang: str = ""  # "vi" on the English site when no English name is given
    image_html: str = ""  # the card's <img>, when its renditions were made (else `image`)

    @cached_property
    def html(self) -> str:
        """The card as components/product_card.html writes it (tests compare the two), or ""
        when the template must write it: its image has a size not made yet (Wagtail's tag makes
        it). A listing shows 24 cards; an include each was a sixth of its rendering."""
        if self.image is not None and not self.image_html:
            return ""
        from catalog.templatetags.ocop_tags import stars_badge

        image = self.image_html or '<div class="card-placeholder" aria-hidden="true"></div>'
        lang = f' lang="{printed(self.title_lang)}"' if self.title_lang else ""
        province = ""
        if self.province_code:
            province = f" · {printed(short_province_name(self.province_code))}"
        price = ""
        if self.min_price:
            start = f"{printed(_('from'))} " if self.variant_count > 1 else ""
            price = f'<p class="price">{start}{printed(format_vnd(self.min_price))}</p>'
        out = "" if self.in_stock else f'<p class="out-of-stock">{printed(_("Out of stock"))}</p>'
        return mark_safe(  # noqa: S308 - every value escaped as {{ }} does
            f'<article class="card">\n  <a href="{printed(self.url)}" class="card-link">\n'
            f"    {image}\n"
            f'    <h3 class="card-title"{lang}>{printed(self.title)}</h3>\n  </a>\n'
            f"  {stars_badge(self.stars)}\n"
            f'  <p class="card-producer">{printed(self.producer_name)}{province}</p>\n'
            f"  {price}\n  {out}\n</article>\n"
        )


def printed(value: Any) -> str:
    """What `{{ value }}` prints in a template, for HTML written in Python beside one (cards,
    facet options): localized, then escaped unless already safe. Django's
    `render_value_in_context` without its time-zone step (no date or time is printed this way),
    which cost the listing about 1,300 calls a request."""
    return conditional_escape(localize(value))


def certified_products(locale: Locale | None = None) -> models.QuerySet[ProductPage]:
    """Live product pages whose certificate in force is ≥3★ (what is for sale as OCOP)."""
    qs = ProductPage.objects.live().filter(
        translation_key__in=Certificate.objects.certified().values("product__translation_key")
    )
    if locale is not None:
        qs = qs.filter(locale=locale)
    return qs


def product_cards(
    queryset: models.QuerySet[ProductPage], request: Any = None, limit: int | None = None
) -> list[ProductCard]:
    """Cards for a list of products in a fixed number of queries, whatever the list's length."""
    if isinstance(queryset, models.QuerySet) and not queryset.query.is_sliced:
        queryset = queryset.select_related("locale")
    pages = list(queryset[:limit] if limit else queryset)
    if not pages:
        return []
    keys = [p.translation_key for p in pages]
    stars = dict(
        Certificate.objects.certified()
        .filter(product__translation_key__in=keys)
        .values("product__translation_key")
        .annotate(best=models.Max("stars"))
        .values_list("product__translation_key", "best")
    )
    source_ids = dict(
        ProductPage.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        ).values_list("translation_key", "pk")
    )
    variant_rows = (
        ProductVariant.objects.filter(page_id__in=source_ids.values())
        .values("page_id")
        .annotate(min_price=Min("price"), stock=Sum("stock"), count=Count("pk"))
    )
    prices = {row["page_id"]: row for row in variant_rows}
    parent_paths = {p.path[: -Page.steplen] for p in pages}
    # The producers by their page's tree path (no page objects: a card needs name and province).
    producers = {
        producer.page_path: producer
        for producer in Producer.objects.annotate(page_path=models.F("pages__path")).filter(
            page_path__in=parent_paths
        )
    }
    from catalog.models import ProductImage

    first_images: dict[int, int] = {}  # source page → its first gallery image
    image_source = {p.pk: source_ids.get(p.translation_key, p.pk) for p in pages}
    for page_id, image_id in (
        ProductImage.objects.filter(page_id__in=set(image_source.values()))
        .order_by("page_id", "sort_order")
        .values_list("page_id", "image_id")
    ):
        first_images.setdefault(page_id, image_id)
    made, images = card_images_or_models(first_images.values())

    pagecache.tag(
        request,
        *(pagecache.page_tag(key) for key in keys),
        *(pagecache.producer_tag(p.pk) for p in producers.values() if p is not None),
    )
    cards = []
    for page in pages:
        source_id = source_ids.get(page.translation_key, page.pk)
        price = prices.get(source_id, {})
        producer = producers.get(page.path[: -Page.steplen])
        image_id = first_images.get(image_source[page.pk])
        title = english.display_title(page)
        cards.append(
            ProductCard(
                page=page,
                title=title,
                title_lang=english.shown(page, "title").lang,
                url=page.get_url(request),
                summary=english.shown(page, "summary").value,
                stars=stars.get(page.translation_key),
                min_price=price.get("min_price"),
                in_stock=bool(price.get("stock")),
                producer_name=str(producer) if producer else "",
                province_code=producer.province_code if producer else None,
                image=images.get(image_id),
                image_html=card_image_html(made.get(image_id), title),
                variant_count=price.get("count", 0),
            )
        )
    return cards


def card_images_or_models(image_ids) -> tuple[dict[int, list], dict[int, Any]]:
    """The card sizes made for these images (`card_images`), and, for an image with a size not
    made yet, the image itself with those renditions (the template's `{% srcset_image %}` then
    makes it): a second query only then."""
    ids = {pk for pk in image_ids if pk}
    made = card_images(ids)
    missing = ids - made.keys()
    images = {}
    if missing:
        from wagtail.images import get_image_model

        images = {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=missing)
            .prefetch_related(only_renditions("renditions", *CARD_IMAGE_SIZES))
        }
    return made, images
