"""OCOP catalogue: reference data (groups, criteria sets), producers, product pages, certificates.

The legal rules (score maxima, star bands, who may recognise what) live in `CriteriaSet` rows
loaded from `catalog/data/`, never as constants in code: they changed three times since 2019.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import GroupApprovalTask, Orderable, Page
from wagtail.search import index

from catalog.addresses import AdministrativeAddressMixin, province_choices
from catalog.gtin import validate_gtin
from catalog.scoping import ProducerScopedFormMixin
from cms import pagecache
from cms.admin_forms import InlinePanel
from cms.pageurls import UrlPartsPerRequestMixin
from cms.renditions import only_renditions, rendition
from cms.sitememo import KnownViewRestrictionsMixin

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser


# --- Reference data ---------------------------------------------------------------------------


class OcopGroup(models.Model):
    """A node of the OCOP product taxonomy: ngành (group) → nhóm → phân nhóm (subgroup).

    One tree per criteria version: certificates issued under 1048/2019 keep the old groups.
    """

    code = models.CharField(_("code"), max_length=20)
    scheme = models.CharField(_("criteria version"), max_length=10, default="148")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    depth = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("OCOP group")
        verbose_name_plural = _("OCOP groups")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="ocopgroup_unique_code"),
            models.UniqueConstraint(fields=["scheme", "slug"], name="ocopgroup_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def top(self) -> OcopGroup:
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


class CriteriaSet(models.Model):
    """One version of the OCOP evaluation criteria (a legal decision), as data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    decision = models.CharField(_("legal text"), max_length=60)
    effective_from = models.DateField(_("effective from"))
    max_a = models.DecimalField(_("maximum of part A"), max_digits=5, decimal_places=2)
    max_b = models.DecimalField(_("maximum of part B"), max_digits=5, decimal_places=2)
    max_c = models.DecimalField(_("maximum of part C"), max_digits=5, decimal_places=2)
    # {"1": 0, "2": 30, "3": 50, "4": 70, "5": 90}: lowest total for each star count.
    star_bands = models.JSONField(_("star bands"))
    # {"3": ["district"], "4": ["province"], "5": ["central"]}: who may recognise each rank.
    recognising_levels = models.JSONField(_("recognising levels"), default=dict)
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=36)
    group_scheme = models.CharField(_("group scheme"), max_length=10, default="148")

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.code

    def stars_for(self, total: Decimal) -> int:
        stars = 0
        for star, lowest in sorted(self.star_bands.items(), key=lambda kv: int(kv[0])):
            if total >= Decimal(str(lowest)):
                stars = int(star)
        return stars

    @property
    def max_total(self) -> Decimal:
        return self.max_a + self.max_b + self.max_c


# --- Producers --------------------------------------------------------------------------------


class ProducerType(models.TextChoices):
    COOPERATIVE = "htx", _("Cooperative (HTX)")
    COOPERATIVE_GROUP = "tht", _("Cooperative group (THT)")
    ENTERPRISE = "dn", _("Enterprise (DN)")
    HOUSEHOLD = "hkd", _("Registered household business (HKD)")


# The format (recorded in migrations); `Producer.clean()` adds the check digit, the one rule of
# catalog.tax_codes that the public registration form uses too.
tax_code_validator = RegexValidator(
    r"^\d{10}(-?\d{3})?$",
    _("A tax code has 10 digits, or 13 digits written as 10 digits, a hyphen and 3 digits."),
)


class Producer(AdministrativeAddressMixin, models.Model):
    """A *chủ thể*: the legal subject that holds OCOP certificates and sells products."""

    name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("type"), max_length=3, choices=ProducerType.choices)
    tax_code = models.CharField(
        _("tax code"), max_length=14, unique=True, validators=[tax_code_validator]
    )
    province_code = models.PositiveSmallIntegerField(_("province"), choices=province_choices)
    ward_code = models.PositiveIntegerField(_("commune / ward"))
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    address_as_recorded = models.CharField(
        _("address as recorded"),
        max_length=500,
        blank=True,
        help_text=_("The address as written on older documents, before the 2025 reform."),
    )
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors' group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producer",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producer",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
        FieldPanel("tax_code"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("province_code"), FieldPanel("ward_code")]),
                FieldPanel("street_address"),
                FieldPanel("address_as_recorded"),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("representative"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("website"),
            ],
            heading=_("Contacts"),
        ),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        from catalog.addresses import ward_in_province
        from catalog.tax_codes import validate_tax_code

        errors: dict[str, list] = {}
        if self.tax_code and tax_code_validator.regex.match(self.tax_code):
            try:  # the field's validator checked the format; this adds the check digit
                validate_tax_code(self.tax_code)
            except ValidationError as exc:
                errors["tax_code"] = exc.messages
        if (
            self.province_code
            and self.ward_code
            and not ward_in_province(self.ward_code, self.province_code)
        ):
            errors["ward_code"] = [_("This commune or ward is not in the chosen province.")]
        if errors:
            raise ValidationError(errors)


class ProducerIndexPage(KnownViewRestrictionsMixin, Page):
    """The parent of every producer page ("Chủ thể OCOP")."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["catalog.ProducerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("producer index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producers = list(
            ProducerPage.objects.live().child_of(self).select_related("producer").order_by("title")
        )
        pagecache.tag(
            request, pagecache.LISTING, *(pagecache.producer_tag(p.producer_id) for p in producers)
        )
        context["producers"] = producers
        return context


class ProducerPageForm(ProducerScopedFormMixin, WagtailAdminPageForm):
    """Offers an editor only their own producer (and images of their own collection)."""


class ProducerPage(UrlPartsPerRequestMixin, KnownViewRestrictionsMixin, Page):
    """The public page of one producer; its product pages live under it."""

    producer_scope_field = "producer"
    base_form_class = ProducerPageForm

    # A ForeignKey, not one-to-one: the English tree holds alias copies of this page.
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="pages"
    )
    story = RichTextField(_("story"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    title_en = models.CharField(
        _("name (English)"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English site; left empty, the Vietnamese name is shown."),
    )
    story_en = RichTextField(
        _("story (English)"),
        blank=True,
        help_text=_("Left empty, the English site shows the Vietnamese story and says so."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("producer", permission="catalog.change_producer"),
        FieldPanel("story"),
        FieldPanel("cover_image"),
    ]
    english_panels = [FieldPanel("title_en"), FieldPanel("story_en")]
    search_fields = [*Page.search_fields, index.SearchField("story")]
    parent_page_types = ["catalog.ProducerIndexPage"]
    subpage_types = ["catalog.ProductPage"]

    class Meta:
        verbose_name = _("producer page")

    def get_context(self, request, *args, **kwargs):
        from catalog.english import texts

        # The product cards come from `{% producer_products page %}` (catalog.listing): the
        # model does not call up into the read models, which import the models.
        context = super().get_context(request, *args, **kwargs)
        context["text"] = texts(self, ("title", "story"))
        pagecache.tag(request, pagecache.LISTING, pagecache.producer_tag(self.producer_id))
        return context


# --- Products ---------------------------------------------------------------------------------


class StoryBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    image = ImageBlock(label=_("Image"))
    quote = blocks.StructBlock(
        [
            ("text", blocks.TextBlock(label=_("Quote"))),
            ("author", blocks.CharBlock(label=_("Who said it"), required=False)),
        ],
        label=_("Quote"),
        icon="openquote",
    )

    class Meta:
        label = _("Product story")


class ProductPageQuerySet(models.QuerySet):
    pass


class ProductPage(UrlPartsPerRequestMixin, KnownViewRestrictionsMixin, Page):
    """A product as shoppers and consumers see it; sellable variants hang off it."""

    producer_scope_field = "producer"

    group = models.ForeignKey(
        OcopGroup,
        verbose_name=_("OCOP group"),
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"scheme": "148"},
    )
    summary = models.TextField(_("summary"), max_length=400)
    story = StreamField(StoryBlock(), verbose_name=_("product story"), blank=True)
    # Set from the parent producer page on save, so admin data can be scoped per producer.
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("producer"),
        on_delete=models.PROTECT,
        related_name="products",
        editable=False,
        null=True,
    )
    ingredients = models.TextField(_("ingredients"), blank=True)
    storage = models.CharField(_("storage"), max_length=255, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=120, blank=True)
    # English text, given on the Vietnamese page and copied to its English alias (catalog.english).
    title_en = models.CharField(
        _("name (English)"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English site; left empty, the Vietnamese name is shown."),
    )
    summary_en = models.TextField(_("summary (English)"), max_length=400, blank=True)
    story_en = StreamField(
        StoryBlock(),
        verbose_name=_("product story (English)"),
        blank=True,
        help_text=_("Left empty, the English site shows the Vietnamese story and says so."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("group"),
        FieldPanel("summary"),
        FieldPanel("story"),
        InlinePanel("gallery", label=_("Image gallery"), min_num=0),
        InlinePanel("variants", label=_("Variants"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("ingredients"), FieldPanel("storage"), FieldPanel("shelf_life")],
            heading=_("Details"),
        ),
    ]
    english_panels = [FieldPanel("title_en"), FieldPanel("summary_en"), FieldPanel("story_en")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["catalog.ProducerPage"]
    subpage_types: list[str] = []
    route_related = ("group", "producer")  # read with the page when it is served (HomePage.route)

    class Meta:
        verbose_name = _("product page")

    @cached_property
    def source(self) -> ProductPage:
        """The page in the default locale: variants, stock and certificates live there."""
        if self.alias_of_id:
            return ProductPage.objects.get(pk=self.alias_of_id)
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        return (
            ProductPage.objects.filter(
                translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
            ).first()
            or self
        )

    # -- certification --------------------------------------------------------------------

    def certificates_queryset(self) -> models.QuerySet[Certificate]:
        """Certificates of this product in any locale (they are recorded on the source page)."""
        return Certificate.objects.filter(product__translation_key=self.translation_key)

    @cached_property
    def _certificates(self) -> list[Certificate]:
        # Whether a council evaluated it is all the pages show of its evaluation. Sorted here
        # as the model's ordering says (newest decision first; ties: newest record first),
        # which costs less than Django building the ORDER BY.
        fields = [f.name for f in Certificate._meta.concrete_fields]
        found = list(
            self.certificates_queryset()
            .select_related("evaluation")
            .only(*fields, "evaluation__id")
            .order_by()
        )
        return sorted(found, key=lambda c: (c.decision_date, c.pk), reverse=True)

    @cached_property
    def current_certificate(self) -> Certificate | None:
        """The certificate that makes this product OCOP today, if any (highest stars wins)."""
        in_force = [c for c in self._certificates if c.in_force]
        return max(in_force, key=lambda c: (c.stars, c.expires_on), default=None)

    @cached_property
    def latest_certificate(self) -> Certificate | None:
        return max(self._certificates, key=lambda c: c.decision_date, default=None)

    @property
    def is_certified(self) -> bool:
        cert = self.current_certificate
        return cert is not None and cert.stars >= MIN_CERTIFIED_STARS

    # -- publishing: the 3-star rule ------------------------------------------------------

    def publish(self, revision, *args, **kwargs):
        assert_publishable(revision.as_object())
        return super().publish(revision, *args, **kwargs)

    def save(self, *args, **kwargs):
        if self.producer_id is None and self.depth and self.path:
            parent = self.get_parent()
            if parent is not None and isinstance(parent.specific, ProducerPage):
                self.producer_id = parent.specific.producer_id
        if self.live:
            was_live = (
                type(self).objects.filter(pk=self.pk, live=True).exists() if self.pk else False
            )
            if not was_live:
                assert_publishable(self)
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """Revisions carry prices and names, never stock: keep the live stock on restore."""
        obj = super().with_content_json(content)
        live_stock = dict(ProductVariant.objects.filter(page=self).values_list("pk", "stock"))
        for variant in obj.variants.all():
            if variant.pk in live_stock:
                variant.stock = live_stock[variant.pk]
        return obj

    def _producer_page_and_translations(self) -> Page | None:
        """Its producer's page in its language (its title, link and page-cache tag) and, for
        the language links (`{% live_translations %}`), its live translations: one query.
        Both as plain Wagtail pages in tree order, as the two queries they replace gave them."""
        if self.producer_id is None:
            self._live_translations = list(
                Page.objects.filter(translation_key=self.translation_key, live=True)
                .exclude(pk=self.pk)
                .select_related("locale")
                .only("url_path", "locale__language_code")
            )
            return ProducerPage.objects.filter(producer_id=None, locale_id=self.locale_id).first()
        translation = models.Q(translation_key=self.translation_key, live=True) & ~models.Q(
            pk=self.pk
        )
        of_producer = models.Q(producerpage__producer_id=self.producer_id, locale_id=self.locale_id)
        pages = list(
            Page.objects.filter(translation | of_producer)
            .select_related("locale")
            .only("title", "url_path", "translation_key", "locale__language_code")
        )
        self._live_translations = [p for p in pages if p.translation_key == self.translation_key]
        return next((p for p in pages if p.translation_key != self.translation_key), None)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from catalog.english import texts
        from catalog.seo import product_jsonld

        source = self.source
        variants = list(source.variants.all())
        gallery = list(
            source.gallery.select_related("image").prefetch_related(
                # the hero's two sizes, the thumbnails, the share and JSON-LD image
                only_renditions("image__renditions", "fill-400x300", "fill-800x600", "fill-160x120")
            )
        )
        producer = self.producer
        certificate = self.current_certificate
        producer_page = self._producer_page_and_translations()
        pagecache.tag(request, pagecache.producer_tag(self.producer_id))
        if producer_page is not None:
            pagecache.tag(request, pagecache.page_tag(producer_page.translation_key))
        image_url = ""
        if gallery:
            image_url = request.build_absolute_uri(rendition(gallery[0].image, "fill-800x600").url)
        context.update(
            text=texts(self, ("title", "summary", "story")),
            certificate=certificate,
            latest_certificate=self.latest_certificate,
            variants=variants,
            gallery=gallery,
            producer=producer,
            producer_page=producer_page,
            jsonld=product_jsonld(self, request, variants, certificate, producer, image_url),
        )
        return context


MIN_CERTIFIED_STARS = 3


class ProductPageForm(ProducerScopedFormMixin, WagtailAdminPageForm):
    """Refuses to publish or approve an uncertified product, keeping what the editor typed."""

    def clean(self):
        cleaned = super().clean()
        publishing = "action-publish" in self.data or (
            "action-workflow-action" in self.data
            and self.data.get("workflow-action-name") == "approve"
        )
        if publishing:
            message = publishability_error(self.instance)
            if message:
                self.add_error(None, message)
        self._check_unique_gtins()
        self._check_variant_removals()
        return cleaned

    def _check_variant_removals(self) -> None:
        """A variant that batches or orders point at cannot be removed (it is kept as history)."""
        from django.db.models.deletion import Collector, ProtectedError, RestrictedError

        formset = self.formsets.get("variants")
        if formset is None:
            return
        for form in formset.forms:
            variant = form.instance
            if not variant.pk or not (getattr(form, "cleaned_data", None) or {}).get("DELETE"):
                continue
            try:
                Collector(using="default").collect([variant])
            except (ProtectedError, RestrictedError):
                form.add_error(
                    None,
                    _(
                        "“%(name)s” has batches or orders recorded against it and cannot be "
                        "removed; set its stock to 0 instead."
                    )
                    % {"name": variant.name},
                )

    def _check_unique_gtins(self) -> None:
        formset = self.formsets.get("variants")
        if formset is None:
            return
        seen: set[str] = set()
        for form in formset.forms:
            gtin = (form.cleaned_data or {}).get("gtin") if hasattr(form, "cleaned_data") else None
            if not gtin or (form.cleaned_data or {}).get("DELETE"):
                continue
            clash = ProductVariant.objects.filter(
                gtin=gtin, page__locale__language_code=settings.LANGUAGE_CODE
            ).exclude(page__translation_key=self.instance.translation_key)
            if gtin in seen or clash.exists():
                form.add_error("gtin", _("Another product already uses this GTIN."))
            seen.add(gtin)


ProductPage.base_form_class = ProductPageForm


def _tabs_with_english(model: type[Page]) -> TabbedInterface:
    """Wagtail's tabs plus "English", where cooperatives give the English site's text."""
    return TabbedInterface(
        [
            ObjectList(model.content_panels, heading=_("Content")),
            ObjectList(model.english_panels, heading=_("English")),
            ObjectList(model.promote_panels, heading=_("Promote")),
            ObjectList(model.settings_panels, heading=_("Settings")),
        ],
        base_form_class=model.base_form_class,
    )


ProductPage.edit_handler = _tabs_with_english(ProductPage)
ProducerPage.edit_handler = _tabs_with_english(ProducerPage)


class ProductImage(Orderable):
    producer_scope_field = "page__producer"

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductVariant(Orderable):
    """A sellable unit ("Hộp 500 g"). Price in whole đồng; stock is live data, not content."""

    producer_scope_field = "page__producer"

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=120)
    sku = models.CharField(_("SKU"), max_length=40, blank=True)
    price = models.PositiveIntegerField(_("price (VND)"), validators=[MinValueValidator(1000)])
    weight_grams = models.PositiveIntegerField(_("shipping weight (g)"))
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_("GTIN-8, 12, 13 or 14 from the package barcode, if the product has one."),
    )
    stock = models.PositiveIntegerField(_("stock"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("sku")]),
        FieldRowPanel([FieldPanel("price"), FieldPanel("weight_grams")]),
        FieldPanel("gtin"),
    ]

    class Meta(Orderable.Meta):
        # GTINs are unique among source (Vietnamese) pages; aliases in other locales copy them,
        # so uniqueness is checked in ProductPage's form, not by a database constraint.
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        indexes = [models.Index(fields=["gtin"])]

    def __str__(self) -> str:
        return f"{self.page.title} – {self.name}"

    @property
    def gtin14(self) -> str:
        return self.gtin.zfill(14) if self.gtin else ""

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


# --- Certificates -----------------------------------------------------------------------------


class IssuingLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central government")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring within 30 days")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


EXPIRY_NOTICE_DAYS = 30


def today() -> dt.date:
    return timezone.localdate()


# --- Certificate rules (the models' own save/clean use them; so does catalog.services) ------


def default_expiry(decision_date: dt.date, criteria_set: CriteriaSet) -> dt.date:
    """Recognition is valid for the criteria set's validity (36 months) from the decision."""
    return decision_date + relativedelta(months=criteria_set.validity_months)


def certificate_errors(cert: Certificate) -> dict[str, list[str]]:
    """Every rule a certificate breaks, keyed by the field a person should fix."""
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    criteria = cert.criteria_set if cert.criteria_set_id else None
    scores = {"score_a": cert.score_a, "score_b": cert.score_b, "score_c": cert.score_c}
    if criteria is not None:
        maxima = {"score_a": criteria.max_a, "score_b": criteria.max_b, "score_c": criteria.max_c}
        parts = {"score_a": "A", "score_b": "B", "score_c": "C"}
        for name, value in scores.items():
            if value is not None and value > maxima[name]:
                add(
                    name,
                    gettext("Part %(part)s scores at most %(max)s under %(criteria)s.")
                    % {"part": parts[name], "max": maxima[name], "criteria": criteria.code},
                )
    if all(v is not None for v in scores.values()):
        expected_total = sum(scores.values(), Decimal(0))
        if cert.total_score is None:
            cert.total_score = expected_total
        elif Decimal(cert.total_score) != expected_total:
            add(
                "total_score",
                gettext("The total must be the sum of parts A, B and C (%(sum)s).")
                % {"sum": expected_total},
            )
    if criteria is not None and cert.total_score is not None and cert.stars:
        expected_stars = criteria.stars_for(Decimal(cert.total_score))
        if expected_stars != cert.stars:
            add(
                "stars",
                gettext("A total of %(total)s earns %(expected)s★, not %(stars)s★.")
                % {"total": cert.total_score, "expected": expected_stars, "stars": cert.stars},
            )
    if criteria is not None and cert.stars and cert.issuing_level:
        allowed = criteria.recognising_levels.get(str(cert.stars))
        if allowed and cert.issuing_level not in allowed:
            add(
                "issuing_level",
                gettext("Under %(criteria)s, %(stars)s★ is recognised at %(levels)s level.")
                % {"criteria": criteria.code, "stars": cert.stars, "levels": ", ".join(allowed)},
            )
    if cert.decision_date and cert.expires_on and cert.expires_on <= cert.decision_date:
        add("expires_on", gettext("The certificate cannot expire on or before its decision date."))
    if cert.decision_date and cert.decision_date > today():
        add("decision_date", gettext("The decision date cannot be in the future."))
    if criteria is not None and cert.group_id and cert.group.scheme != criteria.group_scheme:
        add("group", gettext("This group belongs to another version of the criteria."))
    return errors


class CertificateQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None) -> CertificateQuerySet:
        on = on or today()
        return self.filter(revoked_at__isnull=True, decision_date__lte=on, expires_on__gte=on)

    def certified(self, on: dt.date | None = None) -> CertificateQuerySet:
        return self.in_force(on).filter(stars__gte=MIN_CERTIFIED_STARS)


class Certificate(models.Model):
    """A recognition decision (*quyết định công nhận*) rating one product."""

    producer_scope_field = "product__producer"

    product = models.ForeignKey(
        ProductPage,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        OcopGroup,
        verbose_name=_("group as recorded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    score_a = models.DecimalField(
        _("part A score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    score_b = models.DecimalField(
        _("part B score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    score_c = models.DecimalField(
        _("part C score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    total_score = models.DecimalField(
        _("total score"), max_digits=5, decimal_places=2, blank=True, help_text=_("A + B + C")
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), choices=[(i, f"{i}★") for i in range(1, 6)]
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuing_body = models.CharField(
        _("issuing body as written"), max_length=255, help_text=_("E.g. UBND tỉnh Bắc Giang")
    )
    issuing_level = models.CharField(
        _("issuing level"), max_length=10, choices=IssuingLevel.choices
    )
    expires_on = models.DateField(
        _("valid until"),
        blank=True,
        help_text=_("Left empty: the decision date plus the validity of the criteria set."),
    )
    evidence = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scanned decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)
    expiry_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    panels = [
        FieldPanel("product"),
        FieldRowPanel([FieldPanel("criteria_set"), FieldPanel("group")]),
        FieldRowPanel([FieldPanel("score_a"), FieldPanel("score_b"), FieldPanel("score_c")]),
        FieldPanel("stars"),
        FieldRowPanel([FieldPanel("decision_number"), FieldPanel("decision_date")]),
        FieldRowPanel([FieldPanel("issuing_body"), FieldPanel("issuing_level")]),
        FieldPanel("expires_on"),
        FieldPanel("evidence"),
    ]

    class Meta:
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        ordering = ["-decision_date"]
        indexes = [models.Index(fields=["expires_on", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.decision_number} – {self.stars}★"

    def save(self, *args, **kwargs):
        if not self.expires_on and self.decision_date and self.criteria_set_id:
            self.expires_on = default_expiry(self.decision_date, self.criteria_set)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = certificate_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def status(self) -> str:
        if self.revoked_at:
            return CertificateStatus.REVOKED
        now = today()
        if self.expires_on < now:
            return CertificateStatus.EXPIRED
        if (self.expires_on - now).days <= EXPIRY_NOTICE_DAYS:
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label

    @property
    def in_force(self) -> bool:
        return self.status in (CertificateStatus.VALID, CertificateStatus.EXPIRING)

    @property
    def shows_badge(self) -> bool:
        return self.in_force and self.stars >= MIN_CERTIFIED_STARS


class CertificateEvent(models.Model):
    """Append-only history of what happened to a certificate (recorded, notified, revoked…)."""

    producer_scope_field = "certificate__product__producer"

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    note = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"


# --- The 3★ publishing rule (ProductPage.publish/save, forms, approval task, services) ------


class ProductNotPublishable(ValidationError):
    """Raised wherever a product page would go live without a valid certificate of ≥3★.

    The message is held as a non-field error (`message_dict` works): Wagtail's admin API
    actions turn a ValidationError into a 400 through `message_dict`, and a plain-message
    one made them fail with a 500 instead.
    """

    def __init__(self, message: str, code: str = "not_certified") -> None:
        super().__init__({NON_FIELD_ERRORS: [ValidationError(message, code=code)]})


def publishability_error(page: ProductPage) -> str | None:
    """Why this product cannot be published now, or None if it holds a certificate ≥3★."""
    cert = (
        Certificate.objects.filter(product__translation_key=page.translation_key)
        .certified()
        .first()
    )
    if cert is None:
        latest = (
            Certificate.objects.filter(product__translation_key=page.translation_key)
            .order_by("-decision_date")
            .first()
        )
        if latest is None:
            return gettext("“%(title)s” has no OCOP certificate yet: it cannot be published.") % {
                "title": page.title
            }
        if latest.revoked_at:
            return gettext(
                "The certificate of “%(title)s” was revoked: it cannot be published."
            ) % {"title": page.title}
        if latest.expires_on < today():
            return gettext(
                "The certificate of “%(title)s” expired on %(date)s: it cannot be published."
            ) % {"title": page.title, "date": latest.expires_on.strftime("%d/%m/%Y")}
        return gettext(
            "“%(title)s” is rated %(stars)s★; only products of 3★ or more can be published."
        ) % {"title": page.title, "stars": latest.stars}
    return None


def assert_publishable(page: ProductPage) -> None:
    message = publishability_error(page)
    if message:
        raise ProductNotPublishable(message, code="not_certified")


def user_producers(user: AbstractUser) -> models.QuerySet[Producer]:
    """The producers whose editors' group the user belongs to."""
    if not user.is_authenticated:
        return Producer.objects.none()
    return Producer.objects.filter(editors_group__user=user)


class ProductIndexPage(KnownViewRestrictionsMixin, RoutablePageMixin, Page):
    """All OCOP products, with listings by group (`nhom/<slug>/`) and province (`tinh/<slug>/`)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("product index")

    # Each route names what is listed; `{% product_listing %}` in the template fills the page of
    # cards, groups and provinces (catalog.listing), so the model imports nothing above it.
    @path("")
    def all_products(self, request):
        return self.render(request, context_overrides=self.route_context())

    @path("nhom/<slug:slug>/", name="group")
    def by_group(self, request, slug: str):
        group = OcopGroup.objects.filter(scheme="148", slug=slug).first()
        if group is None:
            raise Http404(_("No such OCOP group."))
        return self.render(request, context_overrides=self.route_context(group=group))

    @path("tinh/<slug:slug>/", name="province")
    def by_province(self, request, slug: str):
        from catalog.addresses import province_by_slug

        province = province_by_slug(slug)
        if province is None:
            raise Http404(_("No such province."))
        return self.render(request, context_overrides=self.route_context(province=province))

    def route_context(self, group: OcopGroup | None = None, province=None) -> dict:
        if group is not None:
            heading = group.display_name
        elif province is not None:
            heading = gettext("OCOP products of %(province)s") % {"province": province.name}
        else:
            heading = gettext("All OCOP products")
        return {"heading": heading, "product_index": self, "group": group, "province": province}


class OcopApprovalTask(GroupApprovalTask):
    """An officer's approval that cannot publish a product without a valid ≥3★ certificate."""

    def _blocked(self, obj) -> bool:
        specific = getattr(obj, "specific", obj)
        return isinstance(specific, ProductPage) and publishability_error(specific) is not None

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if self._blocked(obj):
            actions = [a for a in actions if not a[0].startswith("approve")]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name.startswith("approve") and self._blocked(
            task_state.workflow_state.content_object
        ):
            raise PermissionDenied(_("This product has no valid OCOP certificate of 3★ or more."))
        return super().on_action(task_state, user, action_name, **kwargs)

    class Meta:
        verbose_name = _("OCOP officer approval")
        verbose_name_plural = _("OCOP officer approvals")
