"""HTML compression: brotli where the browser accepts it and the page holds no secret, else gzip.

A leaf module (imports nothing of the project). Brotli at quality 5 compresses a product page
about 15 % smaller than gzip at a similar cost. Pages that carry a CSRF token (a form) stay on
Django's gzip, which pads each answer with random bytes against BREACH; brotli has no such
field. The page cache keeps both encodings of a shared page (cms/pagecache.py).
"""

from __future__ import annotations

import brotli
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

BROTLI_QUALITY = 5
MIN_LENGTH = 200  # shorter answers are not worth compressing


def accepts(request, coding: str) -> bool:
    """Whether Accept-Encoding lists `coding` (or *) without q=0."""
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() not in (coding, "*"):
            continue
        quality = params.strip().lower().removeprefix("q=").strip() if params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return True
    return False


def holds_csrf_token(response) -> bool:
    """Whether this answer hands out a CSRF token (a form's hidden field, or the cookie that
    CsrfViewMiddleware sets whenever a token was used while rendering)."""
    return (
        settings.CSRF_COOKIE_NAME in response.cookies or b"csrfmiddlewaretoken" in response.content
    )


def compress_brotli(body: bytes) -> bytes:
    return brotli.compress(body, quality=BROTLI_QUALITY)


def _weak_etag(response) -> None:
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with brotli first for answers that hold no CSRF token."""

    def process_response(self, request, response):
        if (
            response.streaming
            or len(response.content) < MIN_LENGTH
            or response.has_header("Content-Encoding")
            or holds_csrf_token(response)
            or not accepts(request, "br")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = compress_brotli(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        _weak_etag(response)
        response.headers["Content-Encoding"] = "br"
        return response
