from __future__ import annotations

import pytest

from tests.factories import ProducerFactory, make_product


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_createdb):
    """Each test process (one per xdist worker) gets a copy of a migrated template database
    (tests/dbtemplate.py: migrated once, kept between runs while the migrations are unchanged;
    `--create-db` rebuilds it), then the site skeleton, built once per session.

    `setup_site()` costs about a second; built here, committed before any test runs, every
    test's rollback returns to it. Transactional tests flush the database when they end and
    `serialized_rollback` reloads the snapshot taken here, skeleton included.
    """
    from django.db import connection

    from cms.services import setup_site
    from tests.dbtemplate import drop_worker_database, setup_worker_database

    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    with django_db_blocker.unblock():
        setup_worker_database(connection, worker, rebuild=django_db_createdb)
        setup_site()
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        drop_worker_database(connection)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts and ends with an empty cache: page cache, rate-limit and scan counters,
    Wagtail's renditions (cached by image id, and ids come back after a rollback)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _committed_before_each_request(request):
    """Each request sees what the test did before it as committed, as in production.

    A test runs inside one transaction that is never committed, so work queued "after commit"
    (the search index following a publish, a price or a certificate; the page cache's voiding)
    would never run, and a listing fed by the search engine would show a catalogue frozen at
    the start of the test. Here the callbacks waiting for a commit run when a request starts,
    outside any transaction the code under test opened. Tests that take charge of commits
    themselves (`django_capture_on_commit_callbacks`) are left alone.
    """
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        yield
        return
    from django.core.signals import request_started

    request_started.connect(commit_pending, dispatch_uid="tests-commit-pending")
    yield
    request_started.disconnect(dispatch_uid="tests-commit-pending")


def commit_pending(**kwargs) -> None:
    """Run the callbacks waiting for a commit of the test's transaction, as a commit would
    (those they queue too), unless the code under test has a transaction of its own open.
    Also for tests that compare the database before and after a request: call it first, so
    the request is not charged with the writes the test's set-up left for after commit."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if any(not block._from_testcase for block in connection.atomic_blocks):
            continue  # a transaction of the code under test is open: it commits later
        while connection.run_on_commit:
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, callback, _robust in pending:
                callback()


@pytest.fixture
def page_cache_on(settings):
    """The whole-page cache switched on (it is off in the test settings), from an empty cache."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
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
