"""No endpoint ever shows private data: every path of the OpenAPI document, every field.

The walk reads the paths from /api/openapi.json (an endpoint added later is walked too), fills
each path parameter with the ids the lists return, and checks every key of every body against
a deny-list and every value against the private strings planted in the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model

from tests.factories import make_product

DENIED_KEYS = {
    "email",
    "e_mail",
    "editor",
    "editors",
    "editors_group",
    "user",
    "user_id",
    "username",
    "recorded_by",
    "password",
    "dossier",
    "evidence",
    "document",
    "documents",
    "score_a",
    "score_b",
    "score_c",
    "scores",
    "council",
    "order",
    "orders",
    "order_id",
    "fulfilment",
    "cart",
    "customer",
    "client_hash",
    "user_agent",
    "token",
    "tax_code",
    "representative",
    "revoked_reason",
    "stock",
}


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _ids(body: Any) -> dict[str, list[str]]:
    rows = body.get("results") or body.get("features") or [] if isinstance(body, dict) else []
    return {
        "id": [str(r["id"]) for r in rows if isinstance(r, dict) and "id" in r],
        "code": [str(r["code"]) for r in rows if isinstance(r, dict) and "code" in r],
    }


def _plant_private_data(catalogue) -> list[str]:
    """Private strings (an editor's e-mail, an order, the council's part scores, a dossier)."""
    from storefront.models import Order

    editor = catalogue["editor"]
    editor.email = "bien.tap.vien@example.vn"
    editor.save()
    officer = get_user_model().objects.create_user("canbo", "can.bo.ocop@example.vn", "x-pass-1")
    honey = catalogue["honey"]
    certificate = honey.certificates.first()
    certificate.revoked_reason = "QXPRIVATE hồ sơ"
    certificate.save()
    Order.objects.create(
        name="QXPRIVATE Nguyễn Văn Khách",
        phone="0912345678",
        email="khach.hang@example.vn",
        province_code=24,
        ward_code=catalogue["point"].ward_code,
        street_address="QXPRIVATE 1 Phố Huế",
        payment_method="cod",
        subtotal=150_000,
        shipping_fee=0,
        total=150_000,
    )
    producer = honey.producer
    producer.email = "htx.rieng@example.vn"
    producer.representative = "QXPRIVATE Đại diện"
    producer.save()
    return [
        editor.email,
        officer.email,
        "khach.hang@example.vn",
        "0912345678",
        "QXPRIVATE",
        producer.email,
        "bien.tap.vien",
    ]


def test_no_endpoint_shows_private_data(client, catalogue):
    make_product(catalogue["third"], title="Rượu táo mèo", stars=3)
    private = _plant_private_data(catalogue)
    paths = client.get("/api/openapi.json").json()["paths"]
    lists = [p for p in paths if "{" not in p]
    details = [p for p in paths if "{" in p]
    bodies: dict[str, Any] = {}
    ids: dict[str, dict[str, list[str]]] = {}
    for path in lists:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = response
        ids[path] = _ids(response.json())
    walked = 0
    for path in details:
        parent = path.rsplit("/", 1)[0]
        param = re.search(r"\{(\w+)\}", path).group(1)
        values = ids.get(parent, {}).get("code" if param == "code" else "id", [])
        assert values, f"no row to fill {path}"
        for value in values:
            response = client.get(re.sub(r"\{\w+\}", value, path))
            assert response.status_code == 200, path
            bodies[f"{path} {value}"] = response
            walked += 1
    assert walked >= len(details)
    for where, response in bodies.items():
        text = response.content.decode()
        if "json" not in response["Content-Type"]:
            continue  # CSV downloads: checked by value below
        leaked = set(_keys(response.json())) & DENIED_KEYS
        assert not leaked, f"{where}: {leaked}"
    for where, response in bodies.items():
        text = response.content.decode()
        for secret in private:
            assert secret not in text, f"{where} shows {secret!r}"
