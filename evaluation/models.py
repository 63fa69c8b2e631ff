"""OCOP evaluation: scoring sheets (data), applications, councils per round, score sheets.

State changes live in `evaluation.services` (verb functions over one transitions table);
these models only hold data and computed read-outs (totals are never stored or typed).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

TWO_PLACES = Decimal("0.01")


def private_storage() -> FileSystemStorage:
    """Dossier files are never under MEDIA_URL: they are served by a view that checks who asks."""
    location = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or (
        Path(settings.MEDIA_ROOT).parent / "private-media"
    )
    return FileSystemStorage(location=location, base_url=None)


# --- Scoring sheets (data) ---------------------------------------------------------------------


class ScoringSheet(models.Model):
    """The scoring sheet of one criteria version: parts with maxima, criteria with points."""

    criteria_set = models.ForeignKey(
        "catalog.CriteriaSet",
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="scoring_sheets",
    )
    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    is_sample = models.BooleanField(
        _("sample sheet"),
        default=False,
        help_text=_("A simplified sheet for the demo, not the official one."),
    )
    source = models.CharField(_("imported from"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["is_sample", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_sheet_code")
        ]

    def __str__(self) -> str:
        label = f"{self.criteria_set.code} – {self.title}"
        return f"{label} ({_('SAMPLE')})" if self.is_sample else label

    def ordered_criteria(self) -> list[Criterion]:
        return list(
            Criterion.objects.filter(part__sheet=self)
            .select_related("part")
            .order_by("part__order", "order", "pk")
        )


class SheetPart(models.Model):
    sheet = models.ForeignKey(ScoringSheet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("part"), max_length=4)
    title = models.CharField(_("title"), max_length=255)
    max_points = models.DecimalField(_("maximum"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    part = models.ForeignKey(SheetPart, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=12)
    text = models.CharField(_("criterion"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


# --- Councils and rounds -----------------------------------------------------------------------


class CouncilLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial council (3–4★)")
    CENTRAL = "central", _("Central council (5★ proposals)")


class CouncilRound(models.Model):
    """One evaluation round and its council: members (users), one chair, a level."""

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=CouncilLevel.choices)
    criteria_set = models.ForeignKey(
        "catalog.CriteriaSet", verbose_name=_("criteria set"), on_delete=models.PROTECT
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=255, help_text=_("E.g. UBND tỉnh Bắc Giang")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_rounds",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="council_rounds"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council round")
        verbose_name_plural = _("council rounds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def member_ids(self) -> set[int]:
        return set(self.members.values_list("pk", flat=True)) | {self.chair_id}


# --- Applications ------------------------------------------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    IN_COUNCIL = "in_council", _("Being scored by the council")
    SCORED = "scored", _("Scored, awaiting decision")
    CERTIFIED = "certified", _("Certified")
    PROPOSED_CENTRAL = "proposed_central", _("Proposed to central level")
    REJECTED = "rejected", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Kind(models.TextChoices):
    NEW = "new", _("New product")
    RENEWAL = "renewal", _("Renewal")


class OcopApplication(models.Model):
    """A producer's application to have one product evaluated (new, or renewal)."""

    producer_scope_field = "product__producer"

    product = models.ForeignKey(
        "catalog.ProductPage",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="ocop_applications",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    renews = models.ForeignKey(
        "catalog.Certificate",
        verbose_name=_("certificate renewed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal_applications",
    )
    group = models.ForeignKey(
        "catalog.OcopGroup", verbose_name=_("OCOP group"), on_delete=models.PROTECT
    )
    criteria_set = models.ForeignKey(
        "catalog.CriteriaSet", verbose_name=_("criteria set"), on_delete=models.PROTECT
    )
    sheet = models.ForeignKey(
        ScoringSheet, verbose_name=_("scoring sheet"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    round = models.ForeignKey(
        CouncilRound,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    officer_comment = models.TextField(_("officer's comment"), blank=True)
    council_comment = models.TextField(_("council's comment"), blank=True)
    certificate = models.OneToOneField(
        "catalog.Certificate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("OCOP application")
        verbose_name_plural = _("OCOP applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.product.title} ({self.get_status_display()})"

    @property
    def producer(self):
        return self.product.producer


class DocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    FOOD_SAFETY = "food_safety", _("Food-safety certificate")
    QUALITY_STANDARD = "quality_standard", _("Published quality standard")
    LAB_TESTS = "lab_tests", _("Lab test results")
    LABEL = "label", _("Label")
    PRODUCT_STORY = "product_story", _("Product story")
    OTHER = "other", _("Other document")


# The dossier the rules ask for: these must be present before an application is submitted.
MANDATORY_DOCUMENTS = (
    DocumentKind.BUSINESS_REGISTRATION,
    DocumentKind.FOOD_SAFETY,
    DocumentKind.QUALITY_STANDARD,
    DocumentKind.LAB_TESTS,
    DocumentKind.LABEL,
)


def _dossier_path(instance: ApplicationDocument, filename: str) -> str:
    return f"ocop-dossiers/{instance.application_id}/{instance.kind}/{Path(filename).name}"


class ApplicationDocument(models.Model):
    producer_scope_field = "application__product__producer"

    application = models.ForeignKey(
        OcopApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=_dossier_path, storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def filename(self) -> str:
        return Path(self.file.name).name


class Scorecard(models.Model):
    """One person's sheet for one application: the producer's self-assessment or a member's."""

    producer_scope_field = "application__product__producer"

    class Role(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MEMBER = "member", _("Council member")

    application = models.ForeignKey(
        OcopApplication, on_delete=models.CASCADE, related_name="scorecards"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    round = models.ForeignKey(
        CouncilRound, null=True, blank=True, on_delete=models.PROTECT, related_name="scorecards"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "role", "user", "round"], name="one_scorecard_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.role} {self.user_id}"

    def points(self) -> dict[int, Decimal]:
        return dict(self.scores.values_list("criterion_id", "points"))

    def part_totals(self) -> dict[str, Decimal]:
        """Totals per part code, computed from the criteria scores (never typed)."""
        totals = {part.code: Decimal(0) for part in self.application.sheet.parts.all()}
        for code, points in self.scores.values_list("criterion__part__code", "points"):
            totals[code] = totals.get(code, Decimal(0)) + points
        return totals

    def total(self) -> Decimal:
        return sum(self.part_totals().values(), Decimal(0))


class Score(models.Model):
    producer_scope_field = "scorecard__application__product__producer"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class Decision(models.Model):
    """The chair's record of the decision closing an application."""

    producer_scope_field = "application__product__producer"

    application = models.ForeignKey(
        OcopApplication, on_delete=models.CASCADE, related_name="decisions"
    )
    round = models.ForeignKey(CouncilRound, null=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("decision number"), max_length=60, blank=True)
    date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    score_a = models.DecimalField(max_digits=5, decimal_places=2)
    score_b = models.DecimalField(max_digits=5, decimal_places=2)
    score_c = models.DecimalField(max_digits=5, decimal_places=2)
    total = models.DecimalField(max_digits=5, decimal_places=2)
    stars = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, choices=Status.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.total}"
