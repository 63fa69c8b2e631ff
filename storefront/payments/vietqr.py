"""VietQR (NAPAS IBFT) merchant-presented payloads and their QR codes.

The payload is EMVCo ID-length-value fields:

    00 = 01                      payload format indicator
    01 = 12 (amount) | 11        point of initiation: dynamic with an amount, or static
    38 = { 00 = A000000727       NAPAS GUID
           01 = { 00 = bank BIN, 01 = account number }
           02 = QRIBFTTA }       transfer to an account
    53 = 704                     currency VND
    54 = amount                  whole đồng
    58 = VN
    62 = { 08 = purpose }        the order reference, so the transfer can be matched
    63 = CRC-16/CCITT-FALSE over everything before it, including "6304"
"""

from __future__ import annotations

import binascii
import re

from cms import qr

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"


class VietQRError(ValueError):
    pass


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise VietQRError(f"bad tag {tag!r}")
    if len(value) > 99:
        raise VietQRError(f"field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xor-out) as 4 hex:
    the standard library's `binascii.crc_hqx` started at 0xFFFF."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def clean_purpose(text: str) -> str:
    """Banks keep letters, digits and spaces of a transfer purpose; drop the rest."""
    return re.sub(r"[^A-Za-z0-9 ]", "", text)[:50]


def build_payload(bank_bin: str, account: str, amount: int | None, purpose: str = "") -> str:
    if not re.fullmatch(r"\d{6}", bank_bin or ""):
        raise VietQRError("The bank BIN must be six digits.")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account or ""):
        raise VietQRError("The account number must be 1–19 letters or digits.")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    parts = [tlv("00", "01"), tlv("01", "12" if amount else "11"), tlv("38", merchant)]
    parts.append(tlv("53", CURRENCY_VND))
    if amount:
        if int(amount) <= 0:
            raise VietQRError("The amount must be positive.")
        parts.append(tlv("54", str(int(amount))))
    parts.append(tlv("58", "VN"))
    purpose = clean_purpose(purpose)
    if purpose:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


def parse_tlv(data: str) -> dict[str, str]:
    """Split ID-length-value fields (one level); raise on truncated input."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(data):
        if i + 4 > len(data):
            raise VietQRError("truncated field header")
        tag, length = data[i : i + 2], int(data[i + 2 : i + 4])
        value = data[i + 4 : i + 4 + length]
        if len(value) != length:
            raise VietQRError(f"field {tag} is truncated")
        fields[tag] = value
        i += 4 + length
    return fields


def verify_crc(payload: str) -> bool:
    return (
        len(payload) > 8
        and payload[-8:-4] == "6304"
        and (crc16_ccitt_false(payload[:-4]) == payload[-4:].upper())
    )


def qr_svg(payload: str) -> str:
    """An inline <svg> of the payload (no JavaScript, scales crisply on any screen)."""
    return qr.inline_svg(payload, "M")


def qr_png(payload: str, box_size: int = 8) -> bytes:
    return qr.qr_png(payload, "M", box_size=box_size)


def payload_for_order(order, settings_obj) -> str | None:
    """The payload paying `order` to the operator's account, or None if none is set up."""
    if not (settings_obj and settings_obj.bank_bin and settings_obj.bank_account_number):
        return None
    return build_payload(
        settings_obj.bank_bin, settings_obj.bank_account_number, order.total, order.reference
    )
