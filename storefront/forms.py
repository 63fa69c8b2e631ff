"""Checkout form: contact, Vietnamese phone number, province → commune, payment method."""

from __future__ import annotations

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.addresses import province_choices, ward_in_province, wards_of


def normalise_vn_phone(raw: str) -> str:
    """'0912 345 678' / '+84 912345678' → '+84912345678'; ValidationError if not Vietnamese."""
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912 345 678.")
        ) from None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AddressChoicesMixin:
    """Province → commune in two steps without JavaScript (checkout, saved addresses, producer
    registration): the communes offered are those of the province chosen (or given)."""

    def set_address_choices(self, province_code: int | None = None) -> None:
        self.fields["province"].choices = [("", _("— choose a province —")), *province_choices()]
        chosen = province_code or self._chosen_province()
        self.province_code = chosen
        if chosen:
            self.fields["ward"].choices = [
                ("", _("— choose a commune or ward —")),
                *wards_of(chosen),
            ]
        else:
            self.fields["ward"].choices = [("", _("Choose the province first"))]

    def _chosen_province(self) -> int | None:
        raw = self.data.get("province") if self.is_bound else self.initial.get("province")
        try:
            code = int(raw)
        except (TypeError, ValueError):
            return None
        return code if code in dict(province_choices()) else None


class CheckoutForm(AddressChoicesMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "We send the confirmation and the link to follow your order here. Needed to pay "
            "by card or bank transfer; for cash on delivery a phone number is enough."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    province = forms.TypedChoiceField(label=_("Province / city"), coerce=int)
    ward = forms.TypedChoiceField(label=_("Commune / ward"), coerce=int)
    street_address = forms.CharField(
        label=_("House number, street, hamlet"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    note = forms.CharField(
        label=_("Note for the producers"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    payment_method = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    expected_total = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, gateways=(), province_code: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = [(g.code, g.label) for g in gateways]
        if len(gateways) == 1:
            self.fields["payment_method"].initial = gateways[0].code
        self.gateways = list(gateways)
        self.set_address_choices(province_code)

    def clean_phone(self) -> str:
        return normalise_vn_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("payment_method") not in (None, "", "cod") and not cleaned.get("email"):
            self.add_error(
                "email",
                _(
                    "Give an e-mail address to pay by card or bank transfer (or choose cash on "
                    "delivery)."
                ),
            )
        province, ward = cleaned.get("province"), cleaned.get("ward")
        if province and ward and not ward_in_province(ward, province):
            self.add_error("ward", _("This commune or ward is not in the chosen province."))
        return cleaned
