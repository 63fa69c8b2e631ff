from __future__ import annotations

import pytest

from tests.factories import ProducerFactory, make_product


@pytest.fixture
def site(db):
    """The site skeleton (locales, home, index pages, officers, workflow)."""
    from cms.services import setup_site

    return setup_site()


@pytest.fixture
def producer(site):
    return ProducerFactory()


@pytest.fixture
def other_producer(site):
    return ProducerFactory(province_code=66, name="Công ty TNHH Cà phê Buôn Ma Thuột Thử")


@pytest.fixture
def product(producer):
    return make_product(producer)


@pytest.fixture
def officer(site, django_user_model):
    from django.contrib.auth.models import Group

    from catalog.permissions import OFFICERS_GROUP

    user = django_user_model.objects.create_user("officer", "officer@example.vn", "officer-pass-1")
    user.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    return user


@pytest.fixture
def editor(producer):
    return producer.onboarded.editor
