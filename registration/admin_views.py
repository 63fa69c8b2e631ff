"""Officers' admin: verify (approve) or reject a producer registration. Officers only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from catalog.scoping import is_officer
from registration.models import ProducerRequest
from registration.services import (
    DuplicateTaxCode,
    IllegalRegistrationTransition,
    ReasonMissing,
    approve_request,
    can_move,
    reject_request,
)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", ""), ("reject", "")])
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection (sent to the applicant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_http_methods(["GET", "POST"])
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    application = ProducerRequest.objects.filter(pk=pk).first()
    if application is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "approve":
                approve_request(application, user=request.user)
                messages.success(request, _("Approved: the producer and its editor were created."))
            else:
                reject_request(application, reason=form.cleaned_data["reason"], user=request.user)
                messages.success(request, _("Rejected: the applicant was told why."))
            return redirect("registration_decide", pk=application.pk)
        except ReasonMissing as exc:
            form.add_error("reason", exc.message)
        except (DuplicateTaxCode, IllegalRegistrationTransition) as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "registration/admin/decide.html",
        {
            "application": application,
            "form": form,
            "open": can_move(application, "approved"),
            "page_title": _("Producer registration"),
            "header_icon": "form",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
