"""Per-producer scoping is a Wagtail permission policy per model (`ProducerPermissionPolicy`).

Enumerated, not listed: every viewset in the admin whose model belongs to a producer has the
policy registered, every view it builds is scoped, and the policy answers per row exactly as
`catalog.scoping` does. (tests/security/test_admin_scoping.py walks every admin URL with it.)
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from catalog.models import Certificate, Producer, ProductVariant
from catalog.permissions import (
    ProducerPermissionPolicy,
    ProducerScopedViewMixin,
    ProducerScopedViewSet,
)
from catalog.scoping import producer_path
from tests.factories import make_product

VIEWS = ("index", "add", "edit", "delete", "copy", "inspect", "history", "usage")


@pytest.fixture(autouse=True)
def _admin_registered():
    """Viewsets (and the policies they register) exist once the URLconf is built."""
    assert get_resolver().url_patterns


def _scoped_viewsets() -> list[ProducerScopedViewSet]:
    return [v for v in viewsets.viewsets if isinstance(v, ProducerScopedViewSet)]


@pytest.mark.django_db
def test_every_viewset_of_a_producers_rows_is_scoped_by_its_policy(editor):
    scoped = _scoped_viewsets()
    assert len(scoped) >= 7
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if not isinstance(viewset, ModelViewSet) or producer_path(model) is None:
            continue
        # A producer's rows are shown to producer editors only through a scoped viewset; an
        # unscoped one (orders) must be closed to them altogether.
        if not isinstance(viewset, ProducerScopedViewSet):
            policy = policy_registry.get_by_type(model)
            assert not policy.user_has_any_permission(editor, ["add", "change", "delete", "view"])
    for viewset in scoped:
        policy = policy_registry.get_by_type(viewset.model)
        assert isinstance(policy, ProducerPermissionPolicy), viewset.model
        assert policy.producer_field == producer_path(viewset.model)
        for name in VIEWS:
            view = getattr(viewset, f"{name}_view")
            assert issubclass(view.view_class, ProducerScopedViewMixin), (viewset, name)


def test_a_viewset_with_an_unscoped_view_is_refused():
    class Careless(ProducerScopedViewSet):
        model = Certificate
        edit_view_class = EditView

    with pytest.raises(ImproperlyConfigured, match="not scoped"):
        _ = Careless(name="careless").edit_view


@pytest.mark.django_db
def test_the_policy_answers_per_row(producer, other_producer, editor, officer):
    mine = make_product(producer).variants.get()
    theirs = make_product(other_producer, title="Cà phê Robusta").variants.get()
    for model, own, foreign in (
        (Producer, producer, other_producer),
        (ProductVariant, mine, theirs),
        (Certificate, mine.page.certificates.get(), theirs.page.certificates.get()),
    ):
        policy = ProducerPermissionPolicy(model)
        assert policy.user_may_reach(editor, own)
        assert not policy.user_may_reach(editor, foreign)
        assert policy.user_may_reach(officer, foreign)
        reachable = policy.scope(model._default_manager.all(), editor)
        assert own in reachable and foreign not in reachable
        assert set(policy.scope(model._default_manager.all(), officer)) >= {own, foreign}


@pytest.mark.django_db
def test_instance_permissions_need_the_model_permission_and_the_row(
    producer, other_producer, editor, officer
):
    policy = policy_registry.get_by_type(Certificate)
    own = make_product(producer).certificates.get()
    foreign = make_product(other_producer, title="Cà phê Robusta").certificates.get()
    may_view = policy.user_has_permission(editor, "view")
    assert policy.user_has_permission_for_instance(editor, "view", own) is may_view
    assert not policy.user_has_permission_for_instance(editor, "view", foreign)
    assert not policy.user_has_any_permission_for_instance(editor, ["view", "change"], foreign)
    assert foreign not in policy.instances_user_has_any_permission_for(editor, ["view", "change"])
    assert policy.user_has_permission_for_instance(officer, "view", foreign) is (
        policy.user_has_permission(officer, "view")
    )


def test_a_model_without_a_producer_has_no_producer_policy():
    from catalog.models import OcopGroup

    with pytest.raises(ImproperlyConfigured, match="belongs to no producer"):
        ProducerPermissionPolicy(OcopGroup)
