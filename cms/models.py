"""Home and content pages, and the site-wide settings editors manage."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager

from cms.audit import producer_ids, producer_keys, visible_producers
from cms.sitememo import KnownViewRestrictionsMixin

# Each worker's memo of HomePage.route: (home page's tree path, url_path) -> (page id, type).
_PAGES_AT: dict[tuple[str, str], tuple[int, int]] = {}
PAGES_AT_MAX = 4096  # a few hundred kB; emptied when full


def _specific(pk: int, content_type_id: int, **checks) -> Page | None:
    """The page `pk` as its own model, with what serving it reads (see HomePage.route); not
    ordered (one row at most: ordering by the inherited `path` costs Django ~0.4 ms to build)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
    related = ("locale", *getattr(model, "route_related", ()))
    pages = model.objects.select_related(*related).order_by()
    found = list(pages.filter(pk=pk, content_type_id=content_type_id, **checks)[:1])
    return found[0] if found else None


class HomePage(KnownViewRestrictionsMixin, Page):
    """The storefront's front page: featured 5★/4★ products, the six groups, provinces."""

    intro = models.CharField(_("tagline"), max_length=255, blank=True)
    body = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["catalog.ProducerIndexPage", "catalog.ProductIndexPage", "cms.ContentPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def localized_draft(self):
        """This page, without Wagtail's query for the active `Locale`, when it is already in
        the active language (the Site's home page comes with its locale from cms.sitememo)."""
        locale = self._state.fields_cache.get("locale")
        if locale is not None:
            try:
                active = get_supported_content_language_variant(translation.get_language())
            except LookupError:
                active = None
            if active == locale.language_code:
                return self
        return super().localized_draft

    def route(self, request, path_components):
        """Find the deepest page on the path in one query, not two per path segment (Wagtail's
        default); that page routes what remains (a listing's `nhom/<slug>/`) and checks `live`.
        A second query reads it as its own model, with its locale and the rows its model names
        in `route_related` (what serving it reads anyway).

        A page found at the whole path is remembered (`_PAGES_AT`: its id and type), so the
        next request for that path needs only the second query; that query itself checks the
        page is still of that type at that path under this home page (a move, a new slug or a
        deletion fails it, and the path is looked up afresh)."""
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "".join(f"{c}/" for c in path_components[:n])
            for n in range(1, len(path_components) + 1)
        ]
        key = (self.path, prefixes[-1])
        known = _PAGES_AT.get(key)
        if known is not None:
            deepest = _specific(*known, url_path=key[1], path__startswith=self.path)
            if deepest is not None:
                return deepest.route(request, [])
            _PAGES_AT.pop(key, None)
        found = (
            Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
            .order_by("-depth")
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            raise Http404
        deepest = _specific(*found)
        if deepest is None:  # deleted in between
            raise Http404
        remaining = path_components[deepest.depth - self.depth :]
        if not remaining:
            if len(_PAGES_AT) >= PAGES_AT_MAX:
                _PAGES_AT.clear()
            _PAGES_AT[key] = found
        return deepest.route(request, remaining)

    def get_context(self, request, *args, **kwargs):
        from catalog.listing import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageBlock(label=_("Image"))


class ContentPage(KnownViewRestrictionsMixin, Page):
    """About us, delivery and returns, the OCOP programme explained…"""

    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and the operator's bank account (used for VietQR transfers)."""

    hotline = models.CharField(_("hotline"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    bank_bin = models.CharField(
        _("bank BIN"), max_length=6, blank=True, help_text=_("Six digits, from NAPAS's list.")
    )
    bank_name = models.CharField(_("bank name"), max_length=80, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=120, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("hotline"), FieldPanel("contact_email")], heading=_("Contact")),
        MultiFieldPanel(
            [
                FieldPanel("bank_bin"),
                FieldPanel("bank_name"),
                FieldPanel("bank_account_number"),
                FieldPanel("bank_account_name"),
            ],
            heading=_("Bank account for VietQR transfers"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


# --- Audit log ----------------------------------------------------------------------------------


class AuditLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(
            object_id=str(instance.pk), producer_keys=producer_keys(producer_ids(instance))
        )
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        """Officers see every entry; a producer's editors only entries of their producers."""
        entries = super().viewable_by_user(user)
        ids = visible_producers(user)
        if ids is None:
            return entries
        if not ids:
            return entries.none()
        mine = models.Q()
        for producer_id in ids:
            mine |= models.Q(producer_keys__contains=f"|{producer_id}|")
        return entries.filter(mine)


class AuditLogEntry(BaseLogEntry):
    """A Wagtail log entry of a producer's record or an order, with the producers it concerns
    ("|3|7|"; empty: officers only). Written through `cms.audit.record()` and by Wagtail's own
    generic views for the models in `cms.audit.AUDITED_MODELS`."""

    object_id = models.CharField(max_length=255, db_index=True)
    producer_keys = models.CharField(max_length=255, blank=True, db_index=True)

    objects = AuditLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self) -> str:
        return f"{self.action} {self.object_id} {self.timestamp:%Y-%m-%d %H:%M}"
