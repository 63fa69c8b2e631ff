"""Programme targets as data: the national ones (seeded) and each province's own (officers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.addresses import province_choices, province_name


class TargetMetric(models.TextChoices):
    RECOGNISED = "recognised", _("Products recognised (3★ and above, in force)")
    FIVE_STAR_SHARE = "five-star-share", _("Share of 5★ among recognised products (%)")
    NEW_PRODUCTS = "new-products", _("New products recognised in the period")
    COOPERATIVE_SHARE = "cooperative-share", _("Share of cooperatives among producers (%)")


PERCENT_METRICS = (TargetMetric.FIVE_STAR_SHARE, TargetMetric.COOPERATIVE_SHARE)


class ProgrammeTarget(models.Model):
    """A target of the OCOP programme, national (no province) or a province's own.

    Officer-only reference data: it belongs to no producer (tests/security/test_admin_scoping.py).
    """

    province_code = models.PositiveSmallIntegerField(
        _("province"),
        choices=province_choices,
        null=True,
        blank=True,
        help_text=_("Leave empty for a national target."),
    )
    metric = models.CharField(_("measure"), max_length=20, choices=TargetMetric.choices)
    target_value = models.DecimalField(
        _("target"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    period_start = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    period_end = models.PositiveSmallIntegerField(
        _("by the end of year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("E.g. 919/QĐ-TTg ngày 01/8/2022")
    )

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        ordering = ["province_code", "period_end", "metric"]

    def __str__(self) -> str:
        return f"{self.scope_name}: {self.get_metric_display()} {self.target_value} ({self.period_end})"

    @property
    def scope_name(self) -> str:
        return province_name(self.province_code) if self.province_code else str(_("Nationwide"))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        value = self.target_value
        if self.metric in PERCENT_METRICS and value is not None and value > 100:
            errors["target_value"] = _("A share is at most 100 %.")
        if errors:
            raise ValidationError(errors)
