"""The one schema.org JSON-LD serialiser (a leaf: imports nothing of the project).

Product pages (`catalog.seo`) and scan pages (`traceability.scanpage`) build plain dicts; this
module turns them into the `<script type="application/ld+json">` block, through the template
tag `{% jsonld data %}` (catalog's `ocop_tags`). `<`, `>` and `&` are written as JSON escapes
(`\\u003C`…), as Django's `json_script` does, so no text a producer types ("</script>", "<!--")
can end the block or open markup: the data stays data. Non-ASCII text is kept as UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

SCHEMA_ORG = "https://schema.org"

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def dumps(data: Any) -> str:
    """JSON text safe to place inside a <script> element."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)


def script_tag(data: Any) -> SafeString:
    """The whole `<script type="application/ld+json">…</script>` block."""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(dumps(data)))  # noqa: S308 - escaped above
