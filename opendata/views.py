"""The OpenAPI 3.1 document and the browsable docs page (Swagger UI from static, no CDN).

Swagger UI's page runs no inline script (django-ninja's template reads its settings from a JSON
data block and loads `swagger-ui-init.js`), so the site's CSP applies unchanged.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from security.throttle import rate_limited

API_ROOT = "/api/v1"


@require_safe
@rate_limited("api", methods=("GET", "HEAD"), json=True)
def openapi_document(request: HttpRequest) -> JsonResponse:
    from opendata.api import api  # django-ninja and pydantic: loaded by the API's first request

    schema = api.get_openapi_schema(path_prefix=API_ROOT)
    schema["servers"] = [{"url": "/"}]
    return JsonResponse(schema, json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": _("Not found."), "errors": {}}, status=404)


@require_safe
@rate_limited("api", methods=("GET", "HEAD"), json=True)
def docs_page(request: HttpRequest) -> HttpResponse:
    from opendata.api import api

    settings = {"url": reverse("opendata_openapi"), "layout": "BaseLayout", "deepLinking": True}
    context = {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": False}
    return render(request, "ninja/swagger.html", context)
