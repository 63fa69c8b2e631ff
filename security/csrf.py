"""Django's CSRF check, with a view's own answer instead of the bare 403 when it refuses.

A leaf module. Why: the cached product page is the same for every visitor, so its add-to-cart
form carries no token (static/js/csrf-cookie.js adds the visitor's own at submit). A shopper
without JavaScript, or whose cookie is missing, must not meet a 403 page: the view answers a
refused post with a confirmation page that carries a real token and changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt


class _Refused(HttpResponse):
    def __init__(self, reason: str):
        super().__init__(status=403)
        self.reason = reason


class _Check(CsrfViewMiddleware):
    """CsrfViewMiddleware's own checks (origin, referer over HTTPS, token); a refusal comes
    back as its reason rather than through CSRF_FAILURE_VIEW."""

    def _reject(self, request, reason):
        return _Refused(reason)


_CHECK = _Check(lambda request: HttpResponse())


def csrf_protect_or(
    refused: Callable[[HttpRequest, str], HttpResponse],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Protect a view exactly as CsrfViewMiddleware does, but answer a refused request with
    `refused(request, reason)` (which must change nothing) instead of a 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            answer = _CHECK.process_view(request, None, (), {})
            if isinstance(answer, _Refused):
                return refused(request, answer.reason)
            return view(request, *args, **kwargs)

        return csrf_exempt(checked)

    return decorator
