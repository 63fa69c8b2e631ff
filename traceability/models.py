"""Traceability records: growing areas, batches (lots), their append-only journey, scans.

A batch belongs to one variant of a default-locale product page. Its history is a list of
`TraceEvent` rows that are never edited: a mistake is corrected by a new event pointing at the
wrong one (`corrects`). Status changes (active ⇄ recalled) go through
`traceability.services.set_batch_status()` and leave a `BatchStatusEvent` row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from catalog.addresses import AdministrativeAddressMixin, province_choices, ward_in_province
from cms.admin_forms import InlinePanel
from cms.geo_fields import latitude_field, longitude_field
from cms.status_events import StatusEvent
from traceability import geo
from traceability.codes import random_code, validate_area_code, validate_gs1_text
from traceability.forms import GrowingAreaForm


class ImmutableRecordError(Exception):
    """Raised when code tries to edit or delete an append-only history row."""


# --- Growing areas ----------------------------------------------------------------------------


class Standard(models.TextChoices):
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalGAP"
    ORGANIC = "organic", _("Organic")


def validate_boundary(value) -> None:
    """A valid (Multi)Polygon inside Viet Nam of a plausible size: see traceability.geo."""
    if value not in (None, "", {}):
        geo.validate_boundary(value)


class GrowingArea(AdministrativeAddressMixin, ClusterableModel):
    """A *vùng trồng / vùng nguyên liệu*: a planting area with its official code."""

    code = models.CharField(
        _("planting-area code"),
        max_length=60,
        unique=True,
        validators=[validate_area_code],
        help_text=_("E.g. VN-66-650-24370-94-21. Other codes are kept as recorded."),
    )
    name = models.CharField(_("name"), max_length=200)
    producers = models.ManyToManyField(
        "catalog.Producer", verbose_name=_("producers"), related_name="growing_areas"
    )
    province_code = models.PositiveSmallIntegerField(_("province"), choices=province_choices)
    ward_code = models.PositiveIntegerField(_("commune / ward"), null=True, blank=True)
    address_as_recorded = models.CharField(
        _("address as recorded"),
        max_length=300,
        blank=True,
        help_text=_("As written on the area's documents, e.g. with the former district."),
    )
    boundary = models.JSONField(
        _("boundary (GeoJSON polygon)"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_('A GeoJSON Polygon: {"type": "Polygon", "coordinates": [[[lon, lat], …]]}'),
    )
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=10, decimal_places=4, null=True, blank=True, editable=False
    )
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The drawing and centroid public pages show, computed when saved."),
    )
    crops = models.CharField(
        _("crops or species"), max_length=255, help_text=_("E.g. Vải thiều, nhãn lồng")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    producer_scope_field = "producers"
    base_form_class = GrowingAreaForm  # refuses absurdly nested boundary JSON before parsing

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("producers"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("province_code"), FieldPanel("ward_code")]),
                FieldPanel("address_as_recorded"),
            ],
            heading=_("Location"),
        ),
        FieldPanel("crops"),
        FieldPanel("boundary"),
        InlinePanel("certifications", label=_("Standards held")),
        InlinePanel("photos", label=_("Photos")),
    ]

    class Meta:
        verbose_name = _("growing area")
        verbose_name_plural = _("growing areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        if (
            self.province_code
            and self.ward_code
            and not ward_in_province(self.ward_code, self.province_code)
        ):
            raise ValidationError(
                {"ward_code": _("This commune or ward is not in the chosen province.")}
            )

    def save(self, *args, **kwargs):
        # Only a boundary that passes every rule gets an area: a bad one saved behind the form's
        # back (shell, loader) must not store a figure that overflows the column and then fails
        # every read of the row.
        # The outline (drawing, centroid) is computed here too, so that public pages never
        # import shapely (traceability.geo).
        geometry = geo.safe_geometry(self.boundary)
        self.area_ha = (
            Decimal(str(round(geo.geometry_area_hectares(geometry), 4)))
            if geometry is not None
            else None
        )
        self.outline = geo.outline_of(geometry) if geometry is not None else None
        if kwargs.get("update_fields") is not None and "boundary" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "area_ha", "outline"}
        super().save(*args, **kwargs)


class AreaCertification(Orderable):
    """A standard the area holds (VietGAP, GlobalGAP, organic) with its certificate."""

    producer_scope_field = "area__producers"

    area = ParentalKey(GrowingArea, on_delete=models.CASCADE, related_name="certifications")
    standard = models.CharField(_("standard"), max_length=12, choices=Standard.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=80)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scanned certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("standard"), FieldPanel("certificate_number")]),
        FieldPanel("issued_by"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("standard held")
        verbose_name_plural = _("standards held")

    def __str__(self) -> str:
        return f"{self.get_standard_display()} {self.certificate_number}"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity is before its start.")})

    @property
    def in_force(self) -> bool:
        return self.valid_from <= timezone.localdate() <= self.valid_until


class GrowingAreaPhoto(Orderable):
    producer_scope_field = "area__producers"

    area = ParentalKey(GrowingArea, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


# --- Batches ----------------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RECALLED = "recalled", _("Recalled")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    TONNE = "t", _("tonnes")
    LITRE = "l", _("litres")
    PIECE = "piece", _("pieces")
    BOX = "box", _("boxes")
    BOTTLE = "bottle", _("bottles")
    JAR = "jar", _("jars")
    BAG = "bag", _("bags")


def new_short_code() -> str:
    return random_code()


class Batch(ClusterableModel):
    """A lot of one product variant, with the areas it came from and its dates."""

    variant = models.ForeignKey(
        "catalog.ProductVariant",
        verbose_name=_("product variant"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    lot_code = models.CharField(
        _("lot number"),
        max_length=20,
        validators=[validate_gs1_text],
        help_text=_("As printed on the package (GS1 AI 10): up to 20 characters, no accents."),
    )
    short_code = models.CharField(
        _("short code"), max_length=16, unique=True, default=new_short_code, editable=False
    )
    growing_areas = models.ManyToManyField(
        GrowingArea, verbose_name=_("growing areas"), blank=True, related_name="batches"
    )
    harvested_on = models.DateField(_("harvest date"), null=True, blank=True)
    packed_on = models.DateField(_("packing date"), null=True, blank=True)
    expires_on = models.DateField(_("best before / expiry"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        null=True,
        blank=True,
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.KG)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BatchStatus.choices,
        default=BatchStatus.ACTIVE,
        editable=False,
    )
    status_reason = models.CharField(
        _("reason for the status"), max_length=500, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    producer_scope_field = "variant__page__producer"

    panels = [
        FieldRowPanel([FieldPanel("variant"), FieldPanel("lot_code")]),
        FieldPanel("growing_areas"),
        FieldRowPanel(
            [FieldPanel("harvested_on"), FieldPanel("packed_on"), FieldPanel("expires_on")]
        ),
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
        InlinePanel("lab_results", label=_("Lab results")),
    ]

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "lot_code"], name="batch_unique_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_code} – {self.variant}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.variant_id:
            page = self.variant.page
            if page.locale.language_code != settings.LANGUAGE_CODE:
                errors.setdefault("variant", []).append(
                    _("Choose a variant of the product's Vietnamese (source) page.")
                )
        if self.harvested_on and self.packed_on and self.packed_on < self.harvested_on:
            errors.setdefault("packed_on", []).append(_("Packing cannot come before harvest."))
        if self.expires_on and self.packed_on and self.expires_on < self.packed_on:
            errors.setdefault("expires_on", []).append(_("Expiry cannot come before packing."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_recalled(self) -> bool:
        return self.status == BatchStatus.RECALLED

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def product_page(self):
        return self.variant.page


class BatchDocument(Orderable):
    """A lab result or other evidence file for a batch (a Wagtail document)."""

    producer_scope_field = "batch__variant__page__producer"

    batch = ParentalKey(Batch, on_delete=models.CASCADE, related_name="lab_results")
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. Pesticide residue test"))
    laboratory = models.CharField(_("laboratory"), max_length=200, blank=True)
    tested_on = models.DateField(_("test date"), null=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("laboratory"), FieldPanel("tested_on")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")


class AppendOnlyModel(models.Model):
    """Rows that are written once: `save()` refuses updates and `delete()` refuses deletion."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                f"{type(self).__name__} rows are history and cannot be changed."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} rows are history and cannot be deleted.")


class BatchStatusEvent(AppendOnlyModel):
    producer_scope_field = "batch__variant__page__producer"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="status_events")
    from_status = models.CharField(max_length=10, choices=BatchStatus.choices)
    to_status = models.CharField(max_length=10, choices=BatchStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("batch status change")
        verbose_name_plural = _("batch status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


# --- The journey ------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    HARVESTING = "harvesting", _("Harvesting")
    PROCESSING = "processing", pgettext_lazy("trace event", "Processing")
    PACKING = "packing", _("Packing")
    STORING = "storing", _("Storing")
    SHIPPING = "shipping", _("Shipping")
    INSPECTING = "inspecting", _("Inspecting")
    CERTIFYING = "certifying", _("Certifying")


class TraceEvent(ClusterableModel):
    """One step of a batch's journey. Append-only: corrected by a later event, never edited."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=12, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    place = models.CharField(_("where"), max_length=255)
    growing_area = models.ForeignKey(
        GrowingArea,
        verbose_name=_("growing area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    latitude = latitude_field()
    longitude = longitude_field()
    actor = models.CharField(_("who"), max_length=200)
    description = models.TextField(_("what happened"), max_length=2000, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects the event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text=_("If this event corrects an earlier mistake, choose the wrong event."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    producer_scope_field = "batch__variant__page__producer"

    panels = [
        FieldRowPanel([FieldPanel("batch"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("occurred_at"), FieldPanel("actor")]),
        FieldPanel("place"),
        FieldRowPanel(
            [FieldPanel("growing_area"), FieldPanel("latitude"), FieldPanel("longitude")]
        ),
        FieldPanel("description"),
        FieldPanel("corrects"),
        InlinePanel("attachments", label=_("Photos and documents")),
    ]

    class Meta:
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["batch", "occurred_at"])]

    def __str__(self) -> str:
        when = timezone.localtime(self.occurred_at).strftime("%d/%m/%Y %H:%M")
        return f"{self.get_kind_display()} – {when} – {self.batch.lot_code}"

    def clean(self) -> None:
        if self.corrects_id and self.batch_id and self.corrects.batch_id != self.batch_id:
            raise ValidationError(
                {"corrects": _("An event can only correct an event of the same batch.")}
            )
        if self.occurred_at and self.occurred_at > timezone.now() + dt.timedelta(hours=1):
            raise ValidationError({"occurred_at": _("An event cannot happen in the future.")})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                "Trace events are history: record a correcting event instead of editing."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Trace events are history and cannot be deleted.")

    @property
    def offset(self) -> str:
        """The UTC offset of the event in the site's time zone, e.g. '+07:00'."""
        local = timezone.localtime(self.occurred_at)
        raw = local.strftime("%z")
        return f"{raw[:3]}:{raw[3:]}"


class TraceEventAttachment(Orderable):
    producer_scope_field = "event__batch__variant__page__producer"

    event = ParentalKey(TraceEvent, on_delete=models.CASCADE, related_name="attachments")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("document"), FieldPanel("caption")]

    def clean(self) -> None:
        if not self.image_id and not self.document_id:
            raise ValidationError(_("Attach a photo or a document."))


# --- Per-unit serials and scans ---------------------------------------------------------------


class Serial(models.Model):
    """A random per-unit code printed on one package (often under a scratch-off layer)."""

    producer_scope_field = "batch__variant__page__producer"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="serials")
    serial = models.CharField(max_length=20, validators=[validate_gs1_text])
    scan_count = models.PositiveIntegerField(default=0)
    first_scanned_at = models.DateTimeField(null=True, blank=True)
    last_scanned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("serial")
        verbose_name_plural = _("serials")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "serial"], name="serial_unique_in_batch")
        ]

    def __str__(self) -> str:
        return self.serial


class Scan(models.Model):
    """One recorded scan of a per-unit code (rate limited per IP and code)."""

    producer_scope_field = "batch__variant__page__producer"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="scans")
    serial = models.ForeignKey(
        Serial, null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    scanned_at = models.DateTimeField(default=timezone.now, db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    client_hash = models.CharField(max_length=16, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["-scanned_at"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.serial_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"


def new_report_token() -> str:
    """The unguessable key of a report's public follow-up page (192 random bits)."""
    import secrets

    return secrets.token_urlsafe(24)


class ProblemReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ProblemReport(models.Model):
    """A consumer's report of a problem with a product or batch.

    The message and contact are the reporter's words and never change. Officers and the
    producer move the status (`traceability.reports.set_report_status`, its transitions table)
    and write the answer the reporter reads through `token`.
    """

    producer_scope_field = "batch__variant__page__producer"
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="problem_reports"
    )
    serial = models.CharField(_("serial"), max_length=20, blank=True)
    message = models.TextField(_("what is wrong"), max_length=2000)
    contact = models.CharField(_("phone or e-mail (optional)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProblemReportStatus.choices,
        default=ProblemReportStatus.NEW,
        db_index=True,
    )
    answer = models.TextField(
        _("answer to the reporter"),
        max_length=4000,
        blank=True,
        help_text=_("Shown to the reporter on their private follow-up page."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_report_token, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")

    def __str__(self) -> str:
        return f"{self.batch.lot_code}: {self.message[:60]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("traceability_pages:report_status", args=[self.token])


class ProblemReportEvent(StatusEvent):
    """Append-only history of a report: received, status moves, answers, e-mails."""

    producer_scope_field = "report__batch__variant__page__producer"

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="events")
