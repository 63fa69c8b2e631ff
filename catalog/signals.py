"""Signals the catalogue sends for things Wagtail's own page signals do not cover."""

from django.dispatch import Signal

# Sent after commit when a product's certification changed (recorded, revoked, expired).
# Keyword arguments: product_id.
product_certification_changed = Signal()
