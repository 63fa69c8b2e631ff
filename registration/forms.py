"""The public registration form: the checkout's province → commune choice and phone rule,
catalog's producer types and tax-code rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.addresses import ward_in_province
from catalog.models import ProducerType
from catalog.tax_codes import normalise_tax_code, validate_tax_code
from storefront.forms import AddressChoicesMixin, normalise_vn_phone


class RegistrationForm(AddressChoicesMixin, forms.Form):
    name = forms.CharField(
        label=_("Legal name"),
        max_length=255,
        help_text=_("As written on the business or cooperative registration certificate."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ProducerType.choices)
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=20,
        help_text=_("10 digits, or 13 written as 10 digits, a hyphen and 3 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.TypedChoiceField(label=_("Province / city"), coerce=int)
    ward = forms.TypedChoiceField(label=_("Commune / ward"), coerce=int)
    street_address = forms.CharField(
        label=_("House number, street, hamlet"), max_length=255, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the confirmation and, once verified, your account here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people never see (hidden by CSS, skipped by keyboards): only robots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_address_choices()

    def clean_tax_code(self) -> str:
        value = self.cleaned_data["tax_code"].strip().replace(" ", "").replace(".", "")
        validate_tax_code(value)
        return normalise_tax_code(value)

    def clean_phone(self) -> str:
        return normalise_vn_phone(self.cleaned_data["phone"])

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean(self):
        cleaned = super().clean()
        province, ward = cleaned.get("province"), cleaned.get("ward")
        if province and ward and not ward_in_province(ward, province):
            self.add_error("ward", _("This commune or ward is not in the chosen province."))
        if self.errors.get("website"):
            self.add_error(None, _("Your application could not be sent. Please try again."))
        return cleaned
