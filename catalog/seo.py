"""schema.org JSON-LD for product pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from catalog.english import shown


def product_jsonld(
    page, request, variants, certificate, producer, image_url: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": shown(page, "title").value,
        "description": shown(page, "summary").value,
        "url": page.get_full_url(request),
        "category": page.group.name,
    }
    if image_url:
        data["image"] = image_url
    if producer is not None:
        data["brand"] = {"@type": "Brand", "name": str(producer)}
        data["manufacturer"] = {"@type": "Organization", "name": producer.name}
    gtins = [v.gtin for v in variants if v.gtin]
    if len(gtins) == 1 or (gtins and len(variants) == 1):
        key = "gtin13" if len(gtins[0]) == 13 else "gtin14" if len(gtins[0]) == 14 else "gtin"
        data[key] = gtins[0]
    if certificate is not None and certificate.shows_badge:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.decision_number})"
    offers = []
    for v in variants:
        offer: dict[str, Any] = {
            "@type": "Offer",
            "name": v.name,
            "price": str(v.price),
            "priceCurrency": "VND",
            "availability": "https://schema.org/InStock"
            if v.stock > 0
            else "https://schema.org/OutOfStock",
            "sku": v.sku or str(v.pk),
        }
        if v.gtin:
            offer["gtin13" if len(v.gtin) == 13 else "gtin14" if len(v.gtin) == 14 else "gtin"] = (
                v.gtin
            )
        offers.append(offer)
    if offers:
        data["offers"] = offers if len(offers) > 1 else offers[0]
    data["inLanguage"] = page.locale.language_code if page.locale_id else settings.LANGUAGE_CODE
    return data
