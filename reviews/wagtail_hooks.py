"""Admin: officers moderate every review; a producer's editors answer their own products' ones."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList

from catalog.permissions import (
    ProducerScopedViewMixin,
    ProducerScopedViewSet,
    ScopedInspectView,
    is_officer,
)
from cms.admin_views import ServiceEditView
from reviews.models import Review, ReviewStatus
from reviews.services import MODERATION, ReviewError, answer_review, moderate_review

READ_ONLY = ["product", "rating", "author_name", "body", "created_at"]


class ReviewModerationForm(WagtailAdminModelForm):
    """Checks the officer's move here, so the error shows next to the field."""

    def clean(self):
        cleaned = super().clean()
        current = Review.objects.get(pk=self.instance.pk).status
        wanted = cleaned.get("status")
        if wanted and wanted != current and wanted not in MODERATION.get(current, ()):
            self.add_error("status", _("This move is not possible."))
        reason = (cleaned.get("moderation_reason") or "").strip()
        if wanted == ReviewStatus.HIDDEN and not reason:
            self.add_error("moderation_reason", _("Say why the review is hidden."))
        return cleaned


class ReviewEditView(ProducerScopedViewMixin, ServiceEditView):
    """One form per role: officers see status and reason, producers' editors the answer."""

    def get_panel(self):
        shown = [FieldPanel(name, read_only=True) for name in READ_ONLY]
        if is_officer(self.request.user):
            editable = [FieldPanel("status"), FieldPanel("moderation_reason")]
            form_class = ReviewModerationForm
        else:
            editable = [FieldPanel("reply")]
            form_class = WagtailAdminModelForm
        return ObjectList([*shown, *editable], base_form_class=form_class).bind_to_model(Review)

    def get_form_class(self):
        return self.panel.get_form_class()

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "status" in form.fields:
            current = self.object.status
            allowed = {current, *MODERATION.get(current, ())}
            form.fields["status"].choices = [
                (value, label) for value, label in ReviewStatus.choices if value in allowed
            ]
        return form

    def save_instance(self):
        data = self.form.cleaned_data
        review = self.object
        try:
            if "status" in data:
                return moderate_review(
                    review,
                    data["status"],
                    user=self.request.user,
                    reason=data.get("moderation_reason", ""),
                )
            return answer_review(review, data.get("reply", ""), user=self.request.user)
        except ReviewError as exc:
            raise forms.ValidationError(exc.message) from exc


class ReviewInspectView(ScopedInspectView):
    def get_fields(self):
        return [*READ_ONLY, "order", "status", "moderation_reason", "reply"]


class ReviewViewSet(ProducerScopedViewSet):
    model = Review
    icon = "pick"
    menu_label = gettext_lazy("Reviews")
    menu_order = 220
    add_to_admin_menu = True
    url_prefix = "reviews"
    url_namespace = "reviews_admin"
    list_display = ["product", "rating", "author_name", "status", "created_at"]
    list_filter = ["status", "rating"]
    form_fields = ["status", "moderation_reason", "reply"]
    edit_view_class = ReviewEditView
    inspect_view_enabled = True
    inspect_view_class = ReviewInspectView
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_review_viewset():
    return ReviewViewSet()
