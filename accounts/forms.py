"""Sign-in, sign-up and address forms. Phone numbers through storefront's Vietnamese rule."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from catalog.addresses import ward_in_province
from storefront.forms import AddressChoicesMixin, normalise_vn_phone

PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})


class EmailLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PhoneSignInForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=20, widget=PHONE_WIDGET)
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_phone(self) -> str:
        return normalise_vn_phone(self.cleaned_data["phone"])


class PhoneSignUpForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=20, widget=PHONE_WIDGET)
    password1 = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_phone(self) -> str:
        return normalise_vn_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AddressForm(AddressChoicesMixin, forms.Form):
    """Province first (it fixes the communes), then the rest: no JavaScript needed."""

    province = forms.TypedChoiceField(label=_("Province / city"), coerce=int)
    ward = forms.TypedChoiceField(label=_("Commune / ward"), coerce=int)
    street_address = forms.CharField(
        label=_("House number, street, hamlet"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    name = forms.CharField(
        label=_("Full name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(label=_("Phone number"), max_length=20, widget=PHONE_WIDGET)
    is_default = forms.BooleanField(label=_("Use this address first"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_address_choices()

    def clean_phone(self) -> str:
        return normalise_vn_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        province, ward = cleaned.get("province"), cleaned.get("ward")
        if province and ward and not ward_in_province(ward, province):
            self.add_error("ward", _("This commune or ward is not in the chosen province."))
        return cleaned
