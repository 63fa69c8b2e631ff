"""The shopper's review form (one per order line on the order's review page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import BODY_MAX, NAME_MAX

RATING_CHOICES = [(n, _("%(n)d of 5 stars") % {"n": n}) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    body = forms.CharField(
        label=_("Your review (optional)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most %(n)d characters.") % {"n": BODY_MAX},
    )
    author_name = forms.CharField(
        label=_("Name shown with your review"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("E.g. your first name. Your order details are never shown."),
    )

    def __init__(self, *args, prefix_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id is not None:
            for name, field in self.fields.items():
                field.widget.attrs.setdefault("id", f"id_{name}_{prefix_id}")
