"""English text of pages in the English tree, and plain word when a text exists only in Vietnamese.

The English tree is made of aliases of the Vietnamese pages (`cms.services.translate_tree`), so
a cooperative gives the English name, summary and story on the Vietnamese page itself (its
"English" tab, fields ending in `_en`); every alias copies them on publish. On a page of another
locale a field shows its `_en` twin when one is given, else the Vietnamese text marked
`lang="vi"` so that the template can say so and screen readers read it in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class ShownText:
    value: Any
    lang: str = ""  # the language of `value` when it differs from the page's, else ""

    @property
    def untranslated(self) -> bool:
        return bool(self.lang) and bool(self.value)


def wants_english() -> bool:
    """Whether the active language (the /en/ site) is not the default, Vietnamese.

    The active language, not the page's locale: no query, and the English alias of a page is
    only ever rendered under /en/.
    """
    return (get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE


def shown(page: Any, field: str, english_field: str | None = None) -> ShownText:
    """`field` of `page` as a reader of the page's language should see it."""
    value = getattr(page, field)
    if not wants_english():
        return ShownText(value)
    english = getattr(page, english_field or f"{field}_en", None)
    if english:
        return ShownText(english)
    return ShownText(value, settings.LANGUAGE_CODE)


def display_title(page: Any) -> str:
    """The page's name in its own language where given (cards, JSON-LD, share tags)."""
    return str(shown(page, "title").value)


def texts(page: Any, fields: tuple[str, ...]) -> dict[str, ShownText]:
    return {name: shown(page, name) for name in fields}
