"""Admin forms of traceability records whose input needs more than the model field's defaults."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

MAX_BOUNDARY_CHARS = 500_000  # 5,000 positions of full-precision numbers fit in ~250 kB
MAX_JSON_DEPTH = 12  # a Feature holding a MultiPolygon is 6 deep


def json_depth(text: str, limit: int) -> int:
    """How deeply `text` nests arrays/objects, counted without parsing (stops past `limit`).

    `json.loads` recurses per level and fails with RecursionError (a 500) on input like
    "[[[[…" 100,000 deep; this linear scan lets the form refuse it first.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


class BoundaryFormField(forms.JSONField):
    """A JSON field that refuses oversized or absurdly nested input before parsing it."""

    def _too_big(self, value) -> str | None:
        if not isinstance(value, str):
            return None
        if len(value) > MAX_BOUNDARY_CHARS:
            return _("The boundary is too large (at most 500,000 characters).")
        if json_depth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            return _("The boundary is nested too deeply to be a GeoJSON polygon.")
        return None

    def to_python(self, value):
        problem = self._too_big(value)
        if problem:
            raise ValidationError(problem, code="boundary")
        try:
            return super().to_python(value)
        except RecursionError as exc:  # belt and braces: the depth check comes first
            raise ValidationError(
                _("The boundary is nested too deeply to be a GeoJSON polygon."), code="boundary"
            ) from exc

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        if self._too_big(data):
            return InvalidJSONInput(data[:1000])
        return super().bound_data(data, initial)


class GrowingAreaForm(WagtailAdminModelForm):
    boundary = BoundaryFormField(
        label=_("boundary (GeoJSON polygon)"),
        required=False,
        help_text=_('A GeoJSON Polygon: {"type": "Polygon", "coordinates": [[[lon, lat], …]]}'),
    )
