"""Page-level rich text that is not Draftail's JSON is a form error, never a 500.

Separate from `cms.admin_forms` because Wagtail's Draftail widget imports the page model, and
models import `cms.admin_forms`; `install()` (called by the cms app) registers the field below.
"""

from __future__ import annotations

from django import forms
from wagtail.admin.rich_text import DraftailRichTextArea

from cms.admin_forms import ReadsMalformed, RefusesMalformed


class SafeDraftailRichTextArea(ReadsMalformed, DraftailRichTextArea):
    pass


class SafeRichTextFormField(RefusesMalformed, forms.CharField):
    def __init__(self, *args, widget=None, **kwargs):
        if type(widget) is DraftailRichTextArea:  # the same editor features, a safe reader
            widget = SafeDraftailRichTextArea(features=widget.features)
        super().__init__(*args, widget=widget, **kwargs)


def install() -> None:
    """Every page-level rich text field in a Wagtail admin model form gets the field above."""
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.fields import RichTextField

    register_form_field_override(RichTextField, override={"form_class": SafeRichTextFormField})
