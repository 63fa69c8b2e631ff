"""Admin views of the catalogue beyond Wagtail's generic ones.

- Certificate create/edit: record a CertificateEvent and tell dependants after commit.
- Certificate revoke: an officer-only form with a reason; the product is unpublished at once.
- Producer create: onboards in one step (group, collection, page and editor account).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import Button

from catalog.models import Certificate, CertificateEvent, Producer
from catalog.permissions import ScopedCreateView, ScopedEditView, is_officer
from catalog.services import certification_changed, create_producer, revoke_certificate


class CertificateSaveMixin:
    def save_instance(self):
        instance = super().save_instance()
        CertificateEvent.objects.create(
            certificate=instance,
            kind="recorded" if isinstance(self, ScopedCreateView) else "edited",
            user=self.request.user,
        )
        transaction.on_commit(lambda: certification_changed(instance.product_id))
        return instance


class CertificateCreateView(CertificateSaveMixin, ScopedCreateView):
    pass


class CertificateEditView(CertificateSaveMixin, ScopedEditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if is_officer(self.request.user) and not self.object.revoked_at:
            buttons.append(
                Button(
                    gettext_lazy("Revoke"),
                    url=f"../../revoke/{self.object.pk}/",
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        max_length=255,
        help_text=gettext_lazy("Shown to the producer and kept in the certificate's history."),
    )


def revoke_certificate_view(request, pk: int):
    if not is_officer(request.user):
        raise PermissionDenied
    cert = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoke_certificate(cert, form.cleaned_data["reason"], user=request.user)
        messages.success(
            request,
            _("Certificate %(number)s revoked; %(product)s is no longer sold as OCOP.")
            % {"number": cert.decision_number, "product": cert.product.title},
        )
        return redirect("certificate:index")
    return TemplateResponse(
        request,
        "catalog/admin/revoke_certificate.html",
        {"certificate": cert, "form": form, "page_title": _("Revoke certificate")},
    )


class ProducerOnboardingForm(forms.ModelForm):
    """Producer fields plus the first editor's account."""

    editor_username = forms.CharField(label=gettext_lazy("Editor's login"), max_length=150)
    editor_email = forms.EmailField(label=gettext_lazy("Editor's e-mail"), required=False)

    class Meta:
        model = Producer
        fields = [
            "name",
            "short_name",
            "kind",
            "tax_code",
            "province_code",
            "ward_code",
            "street_address",
            "address_as_recorded",
            "representative",
            "phone",
            "email",
            "website",
        ]

    def clean_editor_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["editor_username"]
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError(_("This login is already taken."))
        return username


class ProducerCreateView(ScopedCreateView):
    """Creates the producer through `create_producer`, so nothing is ever half set up."""

    def get_form_class(self):
        return ProducerOnboardingForm

    def get_form(self, form_class=None):
        return ProducerOnboardingForm(**self.get_form_kwargs())

    def get_edit_handler(self):  # the plain form above replaces the panels
        return None

    def save_instance(self):
        data = dict(self.form.cleaned_data)
        username = data.pop("editor_username")
        email = data.pop("editor_email")
        onboarded = create_producer(editor_username=username, editor_email=email, **data)
        messages.info(
            self.request,
            _("Editor %(user)s created with the password %(password)s — pass it on privately.")
            % {"user": onboarded.editor.username, "password": onboarded.password},
        )
        return onboarded.producer
