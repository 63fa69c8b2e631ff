"""Admin views shared by every app: no project imports, so any app may use them."""

from __future__ import annotations

from django import forms
from wagtail.admin.views.generic import EditView


class ServiceEditView(EditView):
    """An edit view whose `save_instance()` calls a service (a status move, a fulfilment
    update). The service re-checks its rules under a row lock; when a concurrent change beat the
    form's checks it raises ValidationError, which becomes a form error instead of a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except forms.ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
