"""GS1 Digital Link URIs for our own products: building them and parsing what is scanned.

Parsing goes through `biip` (AI syntax, character set 82, lengths, qualifier order); the GTIN
check digit is checked here too because biip reports it without raising. biip is imported by
the first link that needs it: the links our own labels carry (`/01/<14 digits>[/10/<lot>]
[/21/<serial>]`, lot and serial of up to 20 letters, digits, `-`, `.` or `_`, a valid check
digit) are read by `_plain_link` without it, which keeps ≈ 16 MiB out of the worker that only
answers scans (tests/traceability/test_digital_link.py checks both readings agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.gtin import is_valid_gtin

# Characters of GS1's set 82 that a URI path carries as they are (RFC 3986 "unreserved" minus "~").
_PLAIN = r"[A-Za-z0-9._-]{1,20}"
_PLAIN_LINK = re.compile(rf"/01/([0-9]{{14}})(?:/10/({_PLAIN}))?(?:/21/({_PLAIN}))?")


class InvalidDigitalLink(ValueError):
    """The path is not a valid GS1 Digital Link (bad check digit, bad AI syntax …)."""


@dataclass(frozen=True)
class DigitalLink:
    gtin14: str
    lot: str = ""
    serial: str = ""

    @property
    def path(self) -> str:
        return digital_link_path(self.gtin14, self.lot, self.serial)


def _encode(value: str) -> str:
    # GS1 Digital Link: percent-encode everything outside the URI "unreserved" set.
    return quote(value, safe="")


def digital_link_path(gtin: str, lot: str = "", serial: str = "") -> str:
    path = f"/01/{gtin.zfill(14)}"
    if lot:
        path += f"/10/{_encode(lot)}"
        if serial:
            path += f"/21/{_encode(serial)}"
    elif serial:
        path += f"/21/{_encode(serial)}"
    return path


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _plain_link(path: str) -> DigitalLink | None:
    """The link if it is in the plain form our labels print and its GTIN is valid, else None."""
    match = _PLAIN_LINK.fullmatch(path)
    if match is None or not is_valid_gtin(match[1]):
        return None
    return DigitalLink(gtin14=match[1], lot=match[2] or "", serial=match[3] or "")


def parse_digital_link(path: str) -> DigitalLink:
    """Parse the path of a Digital Link URI (`/01/<gtin>[/10/<lot>][/21/<serial>]`)."""
    plain = _plain_link(path)
    if plain is not None:
        return plain
    from biip import ParseError
    from biip.gs1_digital_link_uris import GS1DigitalLinkURI

    try:
        uri = GS1DigitalLinkURI.parse("https://resolver.invalid" + path)
    except ParseError as exc:
        raise InvalidDigitalLink(str(exc)) from exc
    values = {es.ai.ai: es for es in uri.element_strings}
    gtin = values.get("01")
    if gtin is None:
        raise InvalidDigitalLink(_("Only GTIN (01) links are resolved here."))
    if gtin.gtin_error:
        raise InvalidDigitalLink(
            _("The GTIN %(gtin)s has a wrong check digit.") % {"gtin": gtin.value}
        )
    unsupported = set(values) - {"01", "10", "21"}
    if unsupported:
        raise InvalidDigitalLink(
            _("This resolver does not use the qualifier(s) %(ais)s.")
            % {"ais": ", ".join(sorted(unsupported))}
        )
    return DigitalLink(
        gtin14=gtin.value.zfill(14),
        lot=values["10"].value if "10" in values else "",
        serial=values["21"].value if "21" in values else "",
    )
