"""Shipping fees from the admin-editable zone rules, computed before payment."""

from __future__ import annotations

from storefront.models import ShippingZone


class NoShippingRule(LookupError):
    """No rule covers this province and weight: the site cannot ship there yet."""


def zone_for(province_code: int | None) -> ShippingZone | None:
    if not province_code:
        return None
    code = int(province_code)
    for zone in ShippingZone.objects.all():
        if code in {int(c) for c in zone.province_codes or []}:
            return zone
    return None


def shipping_fee(province_code: int | None, weight_grams: int, subtotal: int) -> int:
    """The fee for a parcel of `weight_grams` worth `subtotal` đồng sent to a province.

    Raises NoShippingRule when no zone holds the province or no rule takes the weight.
    """
    zone = zone_for(province_code)
    if zone is None:
        raise NoShippingRule(province_code)
    rules = list(zone.rules.all())
    fitting = [r for r in rules if r.max_weight_grams is None or weight_grams <= r.max_weight_grams]
    if not fitting:
        raise NoShippingRule(province_code)
    rule = min(fitting, key=lambda r: (r.max_weight_grams is None, r.max_weight_grams or 0))
    if rule.free_above is not None and subtotal >= rule.free_above:
        return 0
    return rule.fee
