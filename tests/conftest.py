from __future__ import annotations

import pytest

from tests.factories import ProducerFactory, make_product


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """Each test database (one per xdist worker) gets the site skeleton once per session.

    `setup_site()` costs about a second; built here, committed before any test runs, every
    test's rollback returns to it. Transactional tests flush the database when they end and
    `serialized_rollback` reloads the snapshot taken here, skeleton included. With
    `--reuse-db` the database outlives the session: it is left as the snapshot, not flushed.
    """
    from django.db import connections
    from wagtail.models import Page

    from cms.services import setup_site

    with django_db_blocker.unblock():
        if Page.get_first_root_node() is None:
            pytest.exit("The reused test database is empty (an interrupted run?): add --create-db")
        setup_site()
        snapshots = {}
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                snapshots[connection.alias] = connection._test_serialized_contents = (
                    connection.creation.serialize_db_to_string()
                )
    yield
    if django_db_keepdb:
        with django_db_blocker.unblock():
            for alias, snapshot in snapshots.items():
                if not Page.objects.using(alias).exists():
                    connections[alias].creation.deserialize_db_from_string(snapshot)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts and ends with an empty cache: page cache, rate-limit and scan counters,
    Wagtail's renditions (cached by image id, and ids come back after a rollback)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The site skeleton (locales, home, index pages, officers, workflow): the home page."""
    from django.conf import settings

    from cms.models import HomePage

    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:  # a transactional test without serialized_rollback flushed it
        from cms.services import setup_site

        home = setup_site()
    return home


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
