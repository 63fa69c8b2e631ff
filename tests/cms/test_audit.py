"""The audit log: every change of price, stock, certificate, batch, trace event and order status
leaves a Wagtail log entry naming the user; officers see all, editors only their producer's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.log_actions import LogContext
from wagtail.models import TaskState

from catalog.services import record_certificate, revoke_certificate
from cms.models import AuditLogEntry
from storefront.orders import set_status
from tests.factories import (
    CertificateFactory,
    criteria_set,
    edit_form_data,
    make_batch,
    make_product,
)
from tests.storefront.conftest import shop  # noqa: F401 - the storefront's fixture
from traceability.services import record_event, set_batch_status

pytestmark = pytest.mark.django_db


def entries(action: str, instance=None):
    queryset = AuditLogEntry.objects.filter(action=action)
    if instance is not None:
        queryset = queryset.filter(object_id=str(instance.pk))
    return queryset


def only_entry(action: str, instance=None) -> AuditLogEntry:
    [entry] = entries(action, instance)
    return entry


# --- Each change type produces an entry with the user -----------------------------------------


def test_an_approved_price_change_is_logged_with_the_officer_who_published_it(
    client, product, editor, officer
):
    variant = product.variants.get()
    client.force_login(editor)
    data = edit_form_data(product)
    data["variants-0-price"] = "165000"
    data["action-submit"] = "submit"
    client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)
    assert not entries("ocop.price").exists()  # a draft changes no price

    client.force_login(officer)
    task_state = TaskState.objects.get(workflow_state__object_id=str(product.pk))
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[product.pk, "approve", task_state.pk]),
        {"comment": ""},
    )

    entry = only_entry("ocop.price", variant)
    assert entry.user == officer
    assert entry.data == {
        "field": "price",
        "old": 150_000,
        "new": 165_000,
        "variant": "Chai 500 ml",
    }
    assert "150000 → 165000" in entry.message


def test_a_stock_change_is_logged_with_the_user(product, editor):
    variant = product.variants.get()
    with LogContext(user=editor):
        variant.stock = 42
        variant.save()
    entry = only_entry("ocop.stock", variant)
    assert entry.user == editor and (entry.data["old"], entry.data["new"]) == (50, 42)


def test_saving_a_variant_without_changes_logs_nothing(product, editor):
    with LogContext(user=editor):
        product.variants.get().save()
    assert not AuditLogEntry.objects.filter(action__in=["ocop.price", "ocop.stock"]).exists()


def test_recording_and_revoking_a_certificate_are_logged_with_the_officer(product, officer):
    certificate = record_certificate(
        user=officer,
        product=product,
        criteria_set=criteria_set(),
        score_a=30,
        score_b=20,
        score_c=30,
        stars=4,
        decision_number="77/QĐ-UBND",
        decision_date=product.current_certificate.decision_date,
        issuing_body="UBND tỉnh Bắc Ninh",
        issuing_level="province",
    )
    assert only_entry("ocop.certificate.record", certificate).user == officer

    revoke_certificate(certificate, "Sai hồ sơ", user=officer)
    entry = only_entry("ocop.certificate.revoke", certificate)
    assert entry.user == officer and entry.data["note"] == "Sai hồ sơ"


def test_wagtails_own_entries_for_a_certificate_go_to_the_per_producer_table(
    product, producer, officer
):
    from wagtail.log_actions import log

    certificate = CertificateFactory(product=product, stars_wanted=4)
    log(certificate, "wagtail.edit", user=officer)  # what the admin's generic edit view does
    entry = AuditLogEntry.objects.get(action="wagtail.edit", object_id=str(certificate.pk))
    assert entry.user == officer and entry.producer_keys == f"|{producer.pk}|"


def test_a_batch_status_change_is_logged_with_the_user(product, officer):
    batch = make_batch(product, events=0)
    set_batch_status(batch, "recalled", "Nhiễm khuẩn", officer)
    entry = only_entry("ocop.batch.status", batch)
    assert entry.user == officer and (entry.data["old"], entry.data["new"]) == (
        "active",
        "recalled",
    )


def test_a_trace_event_is_logged_with_the_user(product, editor):
    batch = make_batch(product, events=0)
    event = record_event(batch, kind="packing", place="Xưởng HTX", actor="Chị Hoa", user=editor)
    assert only_entry("ocop.trace_event", event).user == editor


def test_an_order_status_change_is_logged_with_the_user(product, officer):
    from storefront.models import Order

    order = Order.objects.create(
        name="Lan",
        phone="0912345678",
        email="lan@example.vn",
        province_code=1,
        ward_code=4,
        street_address="12 Phố Huế",
        payment_method="cod",
        subtotal=150_000,
        shipping_fee=25_000,
        total=175_000,
    )
    set_status(order, "processing", user=officer, note="COD")
    entry = only_entry("ocop.order.status", order)
    assert entry.user == officer
    assert (entry.data["old"], entry.data["new"]) == ("pending_payment", "processing")
    assert entry.producer_keys == ""  # orders span producers: officers only


# --- Who sees what ------------------------------------------------------------------------------


@pytest.fixture
def two_producers_logged(producer, other_producer, officer):
    mine = make_batch(make_product(producer, title="Vải thiều"), events=0)
    theirs = make_batch(make_product(other_producer, title="Cà phê Robusta"), events=0)
    set_batch_status(mine, "recalled", "Lô của tôi bị thu hồi", officer)
    set_batch_status(theirs, "recalled", "Lô của họ bị thu hồi", officer)
    return mine, theirs


def site_history(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/reports/site-history/?action=ocop.batch.status")
    assert response.status_code == 200
    return response.content.decode()


def batch_history(client, user, batch):
    client.force_login(user)
    return client.get(f"/admin/traceability/batch/history/{batch.pk}/")


def test_officers_see_every_producers_entries(client, two_producers_logged, officer):
    mine, theirs = two_producers_logged
    for batch, reason in ((mine, "Lô của tôi bị thu hồi"), (theirs, "Lô của họ bị thu hồi")):
        response = batch_history(client, officer, batch)
        assert response.status_code == 200 and reason in response.content.decode()
    visible = AuditLogEntry.objects.viewable_by_user(officer).filter(action="ocop.batch.status")
    assert visible.count() == 2


def test_an_editor_sees_only_their_producers_entries(
    client, two_producers_logged, editor, trace_perms
):
    mine, theirs = two_producers_logged
    response = batch_history(client, editor, mine)
    assert response.status_code == 200 and "Lô của tôi bị thu hồi" in response.content.decode()
    assert batch_history(client, editor, theirs).status_code == 404
    assert str(theirs) not in site_history(client, editor)
    visible = AuditLogEntry.objects.viewable_by_user(editor).filter(action="ocop.batch.status")
    assert [entry.object_id for entry in visible] == [str(mine.pk)]


def test_an_editor_sees_no_order_entries(client, editor, officer, product):
    from storefront.models import Order

    order = Order.objects.create(
        name="Lan",
        phone="0912345678",
        email="lan@example.vn",
        province_code=1,
        ward_code=4,
        street_address="12 Phố Huế",
        payment_method="cod",
        subtotal=1,
        shipping_fee=0,
        total=1,
    )
    set_status(order, "processing", user=officer)
    from wagtail.log_actions import registry

    registry.scan_for_actions()
    assert AuditLogEntry.objects.viewable_by_user(officer).filter(action="ocop.order.status")
    assert not AuditLogEntry.objects.viewable_by_user(editor).filter(action="ocop.order.status")


@pytest.fixture
def trace_perms(site):
    from traceability.permissions import setup_traceability_permissions

    setup_traceability_permissions()


def test_an_editor_reads_the_history_of_their_own_batch_but_not_of_anothers(
    client, two_producers_logged, editor, trace_perms
):
    mine, theirs = two_producers_logged
    client.force_login(editor)
    own = client.get(f"/admin/traceability/batch/history/{mine.pk}/")
    assert own.status_code == 200 and "Lô của tôi bị thu hồi" in own.content.decode()
    other = client.get(f"/admin/traceability/batch/history/{theirs.pk}/", follow=True)
    assert "Lô của họ bị thu hồi" not in other.content.decode()


@pytest.mark.usefixtures("shop")
def test_a_parcel_status_change_is_logged_with_the_producer_who_made_it(
    client, product, producer, editor, django_capture_on_commit_callbacks
):
    from storefront.orders import update_fulfilment
    from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

    add_to_cart(client, variant_of(product), 1)
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod")
    parcel = last_order().fulfilments.get()

    update_fulfilment(parcel, "packed", user=editor)

    entry = only_entry("ocop.fulfilment.status", parcel)
    assert entry.user == editor and entry.producer_keys == f"|{producer.pk}|"
    assert (entry.data["old"], entry.data["new"]) == ("pending", "packed")
