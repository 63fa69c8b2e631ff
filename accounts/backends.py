"""Phone number + password for shoppers (after django-axes' lockout backend).

Forms call `authenticate(request, username="phone:+84…", password=…)`: a username with a
colon, which Django's username validator never allows, so it cannot be an officer's; django-axes
counts failures under that name and under the address like any other sign-in.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.models import ShopperProfile

PREFIX = "phone:"


def phone_username(phone: str) -> str:
    return PREFIX + phone


class ShopperBackend(ModelBackend):
    """Signs in shoppers only: never a staff user, whatever their profile says."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not isinstance(username, str) or not username.startswith(PREFIX) or not password:
            return None
        profile = (
            ShopperProfile.objects.select_related("user")
            .filter(phone=username.removeprefix(PREFIX))
            .first()
        )
        if profile is None:
            get_user_model()().set_password(password)  # same time as a wrong password
            return None
        user = profile.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_staff and not user.is_superuser
