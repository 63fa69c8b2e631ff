"""VietQR payloads against the published NAPAS/EMVCo rules, read back by a real decoder."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from storefront.payments.vietqr import (
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    parse_tlv,
    qr_png,
    qr_svg,
    verify_crc,
)
from tests.images import decode_qr


def test_crc_is_ccitt_false_check_value():
    # The catalogue check value of CRC-16/CCITT-FALSE for "123456789" is 0x29B1.
    assert crc16_ccitt_false("123456789") == "29B1"


def test_payload_has_the_napas_field_layout():
    payload = build_payload("970436", "0011004378123", 445_000, "DHK7P3XQ2M")
    top = parse_tlv(payload)
    assert list(top) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert top["00"] == "01" and top["01"] == "12"
    merchant = parse_tlv(top["38"])
    assert merchant["00"] == "A000000727" and merchant["02"] == "QRIBFTTA"
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0011004378123"}
    assert top["53"] == "704" and top["54"] == "445000" and top["58"] == "VN"
    assert parse_tlv(top["62"]) == {"08": "DHK7P3XQ2M"}
    assert payload[-8:-4] == "6304" and verify_crc(payload)


def test_a_known_payload_is_reproduced_byte_for_byte():
    # Built by hand from the field table: every length is two digits, the CRC covers "6304".
    body = (
        "000201"
        "010212"
        "3857"
        "0010A000000727"
        "0127"
        "0006970436"
        "0113"
        "0011004378123"
        "0208QRIBFTTA"
        "5303704"
        "5406445000"
        "5802VN"
        "6214"
        "0810DHK7P3XQ2M"
        "6304"
    )
    assert build_payload("970436", "0011004378123", 445_000, "DHK7P3XQ2M") == (
        body + crc16_ccitt_false(body)
    )


def test_static_payload_without_amount():
    top = parse_tlv(build_payload("970436", "0011004378123", None))
    assert top["01"] == "11" and "54" not in top


def test_a_changed_character_breaks_the_crc():
    payload = build_payload("970436", "0011004378123", 150_000, "DH1")
    tampered = payload.replace("150000", "150001")
    assert not verify_crc(tampered)


@pytest.mark.parametrize("bank_bin, account", [("97043", "1"), ("970436", ""), ("abcdef", "1")])
def test_bad_bank_details_are_refused(bank_bin, account):
    with pytest.raises(VietQRError):
        build_payload(bank_bin, account, 1000)


def test_purpose_keeps_only_characters_banks_accept():
    top = parse_tlv(build_payload("970436", "123", 1000, "Đơn #DH-12"))
    assert parse_tlv(top["62"])["08"] == "n DH12"


def test_png_qr_decodes_back_to_the_payload_with_a_valid_crc():
    payload = build_payload("970436", "0011004378123", 445_000, "DHK7P3XQ2M")
    [text] = decode_qr(Image.open(io.BytesIO(qr_png(payload))))
    assert text == payload
    assert verify_crc(text) and parse_tlv(text)["54"] == "445000"


def test_svg_qr_is_inline_markup():
    svg = qr_svg(build_payload("970436", "123", 1000))
    assert svg.startswith("<svg") and "<?xml" not in svg and "<path" in svg
