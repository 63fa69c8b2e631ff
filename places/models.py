"""OCOP sales points (*điểm bán sản phẩm OCOP*) and community tourism sites.

Officers keep them (no producer owns a shop that sells many producers' goods); the public sees
them on a page per province, on each product page ("where to buy in person") and in the API.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from catalog.addresses import AdministrativeAddressMixin, province_choices, ward_in_province
from cms.geo_fields import latitude_field, longitude_field
from traceability.geo import VIETNAM_BBOX


class PlaceKind(models.TextChoices):
    SALES_POINT = "sales_point", _("OCOP sales point")
    TOURISM_SITE = "tourism_site", _("Community tourism site")


def coordinates_errors(latitude: Decimal | None, longitude: Decimal | None) -> dict[str, str]:
    """Both or neither, and inside Vietnam's box (the rule of traceability.geo for plots)."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        field = "latitude" if latitude is None else "longitude"
        return {field: _("Give both the latitude and the longitude, or neither.")}
    min_lon, min_lat, max_lon, max_lat = VIETNAM_BBOX
    if not (min_lat <= float(latitude) <= max_lat and min_lon <= float(longitude) <= max_lon):
        return {
            "latitude": _(
                "This point is outside Vietnam: check the latitude and longitude (perhaps swapped)."
            )
        }
    return {}


class SalesPointQuerySet(models.QuerySet):
    def public(self) -> SalesPointQuerySet:
        return self.filter(is_active=True)


class SalesPoint(AdministrativeAddressMixin, models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=PlaceKind.choices, default=PlaceKind.SALES_POINT
    )
    province_code = models.PositiveSmallIntegerField(_("province"), choices=province_choices)
    ward_code = models.PositiveIntegerField(_("commune / ward"))
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("E.g. 7:30–21:00 every day")
    )
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    producers = models.ManyToManyField(
        "catalog.Producer",
        verbose_name=_("producers stocked"),
        blank=True,
        related_name="sales_points",
        help_text=_("Every product of these producers is listed as available here."),
    )
    products = models.ManyToManyField(
        "catalog.ProductPage",
        verbose_name=_("products stocked"),
        blank=True,
        related_name="sales_points",
        limit_choices_to={"locale__language_code": "vi"},
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SalesPointQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("province_code"), FieldPanel("ward_code")]),
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Location"),
        ),
        FieldRowPanel([FieldPanel("opening_hours"), FieldPanel("phone"), FieldPanel("website")]),
        FieldPanel("producers"),
        FieldPanel("products"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")
        ordering = ["province_code", "name", "pk"]
        indexes = [models.Index(fields=["province_code", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.province_code
            and self.ward_code
            and not ward_in_province(self.ward_code, self.province_code)
        ):
            errors["ward_code"] = _("This commune or ward is not in the chosen province.")
        errors.update(coordinates_errors(self.latitude, self.longitude))
        if errors:
            raise ValidationError(errors)
