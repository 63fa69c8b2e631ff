"""Public pages: the registration form (/vi/dang-ky-co-so/) and the applicant's private status
page by unguessable link. Never cached (the form carries the applicant's CSRF token; the
status changes)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from registration.forms import RegistrationForm
from registration.models import ProducerRequest
from registration.services import DuplicateTaxCode, submit_request
from security.throttle import rate_limited

FIELD_OF = {"province_code": "province", "ward_code": "ward"}


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("registration")
def apply_view(request: HttpRequest) -> HttpResponse:
    """Without JavaScript in two steps, like the checkout: "Show communes" posts the province
    (nothing is stored) and the page comes back with its communes; then the whole form."""
    status = 200
    if request.method == "POST" and request.POST.get("step") != "province":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = submit_request(
                    name=data["name"],
                    kind=data["kind"],
                    tax_code=data["tax_code"],
                    province_code=data["province"],
                    ward_code=data["ward"],
                    street_address=data["street_address"],
                    contact_name=data["contact_name"],
                    phone=data["phone"],
                    email=data["email"],
                    language=(get_language() or "vi")[:2],
                )
            except DuplicateTaxCode as exc:
                form.add_error("tax_code", exc.message)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, messages in errors.items():
                    name = FIELD_OF.get(field, field)
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                return redirect(created.get_absolute_url())
        status = 400
    elif request.method == "POST":
        initial = {
            k: v
            for k, v in request.POST.items()
            if k in RegistrationForm.base_fields and k not in ("ward", "website")
        }
        form = RegistrationForm(initial=initial)
    else:
        form = RegistrationForm()
    return render(request, "registration/apply.html", {"form": form}, status=status)


@require_safe
def status_view(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's page: status and, if rejected, the reason. Private, never indexed."""
    found = ProducerRequest.objects.filter(token=token).first() if 20 <= len(token) <= 64 else None
    if found is None:
        raise Http404
    response = render(request, "registration/status.html", {"application": found})
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
