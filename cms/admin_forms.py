"""Admin forms refuse a forged post without their bookkeeping data instead of a 500.

StreamFields:
Wagtail's StreamBlock/ListBlock read `<name>-count`, `<name>-N-type`, `-deleted` and `-order`
with `data[...]` and `int(...)`: a hand-forged post that leaves one out (or sends "abc") raises
KeyError/ValueError inside form validation, and the admin answers 500. `install()` registers
`SafeBlockField` for every StreamField in every Wagtail admin model form (pages, snippets,
settings, model viewsets): its widget turns such a post into `MALFORMED`, the field into a
translated validation error, and the form is re-shown with the stored value. Nothing is saved,
because the form is invalid.

Rich text fields (page-level `RichTextField`): Wagtail's Draftail widget parses the posted
JSON in `value_from_datadict`, so a post that is not Draftail JSON raised there (a 500).
`cms.admin_rich_text.SafeRichTextFormField` gives them `SafeDraftailRichTextArea`, which reads such a post as
`MALFORMED`: a translated error on the field, the stored text re-shown, nothing saved.
(Rich text inside a StreamField is already covered by `SafeBlockWidget`.)

Inline panels: django-modelcluster's child formsets read each stored row's `<prefix>-N-id`
with `data[...]`. `InlinePanel` here is Wagtail's with `SafeChildFormSet`, which treats a
missing id like Django's own model formsets do (a tampered post) and refuses the formset with a
translated error. Models import `InlinePanel` from here instead of from Wagtail.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel as WagtailInlinePanel
from wagtail.blocks.base import BlockField, BlockWidget

# What the widget reads from a post it cannot parse: never a block value.
MALFORMED = object()

ROWS_ERROR = _(
    "These rows were sent incomplete (a row's identifier is missing) and were not saved. "
    "Reload the page and try again."
)
ERROR = _(
    "This content was sent incomplete (its block data is missing or damaged) and was not "
    "saved. Reload the page and try again."
)


class ReadsMalformed:
    """Widget mixin: a post the widget cannot read is `MALFORMED`, not an exception."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError, AttributeError):
            return MALFORMED


class RefusesMalformed:
    """Form field mixin: `MALFORMED` is a translated error, and the re-shown form holds the
    stored value, not the unreadable post."""

    def bound_data(self, data, initial):
        return initial if data is MALFORMED else super().bound_data(data, initial)

    def has_changed(self, initial, data):
        return data is MALFORMED or super().has_changed(initial, data)

    def clean(self, value):
        if value is MALFORMED:
            raise ValidationError(ERROR, code="malformed")
        return super().clean(value)


class SafeBlockWidget(ReadsMalformed, BlockWidget):
    pass


class SafeBlockField(RefusesMalformed, BlockField):
    def __init__(self, block=None, **kwargs):
        if block is not None and "widget" not in kwargs:
            kwargs["widget"] = SafeBlockWidget(block)
        super().__init__(block=block, **kwargs)


class SafeChildFormSet(BaseChildFormSet):
    forged = False

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            pk_key = f"{self.add_prefix(i)}-{self.model._meta.pk.name}"
            if pk_key not in self.data:
                self.forged = True
                kwargs["instance"] = self.model()
                # modelcluster's own step would read the missing key: Django's formset builds it
                return super(BaseModelFormSet, self)._construct_form(i, **kwargs)
        return super()._construct_form(i, **kwargs)

    def clean(self):
        if self.forged:
            raise ValidationError(ROWS_ERROR, code="malformed")
        super().clean()


class InlinePanel(WagtailInlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = SafeChildFormSet
        return options


def install() -> None:
    """Every StreamField in a Wagtail admin model form gets `SafeBlockField` (rich text fields:
    `cms.admin_rich_text.install()`)."""
    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.fields import StreamField

    register_form_field_override(StreamField, override={"form_class": SafeBlockField})
