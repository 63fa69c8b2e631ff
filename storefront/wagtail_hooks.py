"""Admin: officers see every order and act on it; each producer sees only its own parcels."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from catalog.money import format_vnd
from catalog.permissions import (
    ProducerScopedViewMixin,
    ProducerScopedViewSet,
    ScopedInspectView,
    is_officer,
)
from cms.admin_views import ServiceEditView
from storefront.models import (
    Fulfilment,
    FulfilmentStatus,
    Order,
    PaymentMethodCode,
    ShippingRule,
    ShippingZone,
)
from storefront.orders import (
    FULFILMENT_TRANSITIONS,
    CancelledRefundPending,
    IllegalStatusTransition,
    OrderActionError,
    cancel_order,
    confirm_transfer,
    last_refund_failure,
    pending_refunds,
    refund_due,
    refund_order,
    update_fulfilment,
)

logger = logging.getLogger(__name__)

# --- Orders (officers) ------------------------------------------------------------------------


class OrderInspectView(InspectView):
    template_name = "storefront/admin/order_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        context.update(
            order=order,
            lines=order.lines.select_related("fulfilment__producer"),
            fulfilments=order.fulfilments.select_related("producer"),
            events=order.events.select_related("user"),
            payments=order.payments.all(),
            refundable=order.total - order.refunded_amount if order.paid_at else 0,
            can_confirm_transfer=order.payment_method == PaymentMethodCode.VIETQR
            and order.status == "pending_payment",
            total_display=format_vnd(order.total),
            refund_due=refund_due(order),
            refund_failure=last_refund_failure(order),
        )
        return context


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "list-ul"
    menu_label = gettext_lazy("Orders")
    url_prefix = "storefront/orders"
    url_namespace = "storefront_orders"
    list_display = ["reference", "name", "status", "payment_method", "total", "created_at"]
    list_filter = ["status", "payment_method"]
    search_fields = ["reference", "name", "phone", "email"]
    form_fields = ["name", "phone", "email", "street_address", "note"]
    inspect_view_enabled = True
    inspect_view_class = OrderInspectView
    copy_view_enabled = False


def _officer_order(request, pk: int) -> Order:
    if not is_officer(request.user):
        raise PermissionDenied
    return get_object_or_404(Order, pk=pk)


def _back(pk: int):
    return redirect(reverse("storefront_orders:inspect", args=[pk]))


@require_POST
def cancel_order_view(request, pk: int):
    order = _officer_order(request, pk)
    try:
        cancel_order(order, request.user, request.POST.get("reason", ""))
    except CancelledRefundPending as exc:
        messages.warning(request, str(exc))
    except (OrderActionError, IllegalStatusTransition) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("Order %(ref)s cancelled.") % {"ref": order.reference})
    return _back(pk)


@require_POST
def refund_order_view(request, pk: int):
    order = _officer_order(request, pk)
    try:
        amount = int(request.POST.get("amount", "").replace(".", "").replace(",", "").strip())
    except ValueError:
        messages.error(request, _("Enter the amount in whole đồng."))
        return _back(pk)
    try:
        refund_order(order, amount, request.user, request.POST.get("reason", ""))
    except (OrderActionError, IllegalStatusTransition) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    except Exception:  # anything unforeseen: nothing was refunded, never a 500
        logger.exception("Refund of order %s failed", order.reference)
        messages.error(request, _("The refund could not be made. Try again later."))
    else:
        messages.success(request, _("Refunded %(amount)s.") % {"amount": format_vnd(amount)})
    return _back(pk)


@require_POST
def confirm_transfer_view(request, pk: int):
    order = _officer_order(request, pk)
    try:
        confirm_transfer(order, request.user)
    except (OrderActionError, IllegalStatusTransition) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, _("Transfer confirmed: the order is paid."))
    return _back(pk)


@hooks.register("register_admin_urls")
def register_order_action_urls():
    return [
        path(
            "storefront/order-actions/<int:pk>/cancel/",
            cancel_order_view,
            name="storefront_order_cancel",
        ),
        path(
            "storefront/order-actions/<int:pk>/refund/",
            refund_order_view,
            name="storefront_order_refund",
        ),
        path(
            "storefront/order-actions/<int:pk>/confirm-transfer/",
            confirm_transfer_view,
            name="storefront_order_confirm_transfer",
        ),
    ]


class PendingRefundsPanel(Component):
    """On the officers' dashboard: money still owed on cancelled orders (e.g. Stripe was down)."""

    name = "pending_refunds"
    order = 90
    template_name = "storefront/admin/pending_refunds_panel.html"

    def __init__(self, orders):
        self.orders = orders

    def get_context_data(self, parent_context):
        return {"orders": self.orders}


@hooks.register("construct_homepage_panels")
def add_pending_refunds_panel(request, panels):
    if not is_officer(request.user):
        return
    orders = list(pending_refunds()[:20])
    if orders:
        panels.append(PendingRefundsPanel(orders))


# --- Fulfilments (producers) ------------------------------------------------------------------


class FulfilmentForm(WagtailAdminModelForm):
    """Status moves are checked here so the editor sees a clear error next to the field."""

    class Meta:
        model = Fulfilment
        fields = ["status", "carrier", "tracking_number"]

    def clean(self):
        cleaned = super().clean()
        current = Fulfilment.objects.get(pk=self.instance.pk).status if self.instance.pk else None
        wanted = cleaned.get("status")
        if current and wanted and wanted != current:
            if wanted not in FULFILMENT_TRANSITIONS.get(current, frozenset()):
                self.add_error(
                    "status",
                    _("A parcel that is “%(current)s” cannot become “%(wanted)s”.")
                    % {
                        "current": FulfilmentStatus(current).label,
                        "wanted": FulfilmentStatus(wanted).label,
                    },
                )
            if wanted == FulfilmentStatus.SHIPPED and not (
                cleaned.get("carrier") and cleaned.get("tracking_number")
            ):
                self.add_error(
                    "tracking_number", _("Give the carrier and tracking number to ship.")
                )
            order = self.instance.order
            if order.status in ("cancelled", "refunded") or (
                order.status == "pending_payment" and order.payment_method != "cod"
            ):
                self.add_error("status", _("This order is not paid or was cancelled."))
        return cleaned


class FulfilmentEditView(ProducerScopedViewMixin, ServiceEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        try:
            return update_fulfilment(
                self.form.instance,
                data["status"],
                user=self.request.user,
                carrier=data.get("carrier", ""),
                tracking_number=data.get("tracking_number", ""),
            )
        except (OrderActionError, IllegalStatusTransition) as exc:
            raise forms.ValidationError(getattr(exc, "message", None) or str(exc)) from exc


class FulfilmentInspectView(ScopedInspectView):
    template_name = "storefront/admin/fulfilment_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            fulfilment=self.object, order=self.object.order, lines=self.object.lines.all()
        )
        return context


class FulfilmentViewSet(ProducerScopedViewSet):
    model = Fulfilment
    icon = "mail"
    menu_label = gettext_lazy("Parcels to ship")
    url_prefix = "storefront/fulfilments"
    url_namespace = "storefront_fulfilments"
    list_display = ["order", "producer", "status", "carrier", "tracking_number"]
    list_filter = ["status"]
    search_fields = ["order__reference", "tracking_number"]
    inspect_view_enabled = True
    inspect_view_class = FulfilmentInspectView
    edit_view_class = FulfilmentEditView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return FulfilmentForm


# --- Shipping rules (officers) ----------------------------------------------------------------


class ShippingZoneViewSet(ModelViewSet):
    model = ShippingZone
    icon = "site"
    menu_label = gettext_lazy("Shipping zones")
    url_prefix = "storefront/shipping-zones"
    url_namespace = "storefront_shipping_zones"
    list_display = ["code", "name"]
    form_fields = ["code", "name", "province_codes"]


class ShippingRuleViewSet(ModelViewSet):
    model = ShippingRule
    icon = "cog"
    menu_label = gettext_lazy("Shipping rules")
    url_prefix = "storefront/shipping-rules"
    url_namespace = "storefront_shipping_rules"
    list_display = ["zone", "max_weight_grams", "fee", "free_above"]
    list_filter = ["zone"]
    form_fields = ["zone", "max_weight_grams", "fee", "free_above"]


class ShopViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Shop")
    menu_icon = "tag"
    menu_order = 210
    items = (OrderViewSet, FulfilmentViewSet, ShippingZoneViewSet, ShippingRuleViewSet)


@hooks.register("register_admin_viewset")
def register_storefront_viewsets():
    return ShopViewSetGroup()
