"""The latitude and longitude fields of a point on the map (leaf: imports nothing of the project).

One declaration for every model that stores a point (sales points, trace events), so the
precision (six decimals, about 10 cm) and the range validators stay the same everywhere.
Functions rather than an abstract model: the fields keep their place among the model's own
fields, and the migrations see exactly the fields they already hold.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def latitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
