"""Page-level rich text that is not Draftail's JSON is a form error, never a 500.

Separate from `cms.admin_forms` because Wagtail's Draftail widget imports the page model, and
models import `cms.admin_forms`; `install()` (called by the cms app) registers the field below.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.rich_text import DraftailRichTextArea

from cms.admin_forms import ERROR, MALFORMED


class SafeDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            return MALFORMED


class SafeRichTextFormField(forms.CharField):
    def __init__(self, *args, widget=None, **kwargs):
        if type(widget) is DraftailRichTextArea:  # the same editor features, a safe reader
            widget = SafeDraftailRichTextArea(features=widget.features)
        super().__init__(*args, widget=widget, **kwargs)

    def bound_data(self, data, initial):
        return initial if data is MALFORMED else super().bound_data(data, initial)

    def has_changed(self, initial, data):
        return data is MALFORMED or super().has_changed(initial, data)

    def clean(self, value):
        if value is MALFORMED:
            raise ValidationError(ERROR, code="malformed")
        return super().clean(value)


def install() -> None:
    """Every page-level rich text field in a Wagtail admin model form gets the field above."""
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.fields import RichTextField

    register_form_field_override(RichTextField, override={"form_class": SafeRichTextFormField})
