"""Officers' page in the Wagtail admin: locked sign-ins, with an unlock button each."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.permissions import is_officer
from security import lockout


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[(lockout.ACCOUNT, ""), (lockout.ADDRESS, "")])
    value = forms.CharField(max_length=255)


@require_http_methods(["GET", "POST"])
def sign_in_locks_view(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid() and lockout.unlock(
            form.cleaned_data["kind"], form.cleaned_data["value"]
        ):
            messages.success(request, _("Unlocked %(value)s.") % form.cleaned_data)
        else:
            messages.error(request, _("Nothing to unlock: it may have been unlocked already."))
        return redirect("security_sign_in_locks")
    return render(
        request,
        "security/admin/sign_in_locks.html",
        {
            "locks": lockout.locks(),
            "page_title": _("Sign-in locks"),
            "header_icon": "lock",
        },
    )
