"""Admin and serving hooks of the site-wide content app."""

from __future__ import annotations

from wagtail import hooks

from cms import audit, pagecache


@hooks.register("before_serve_page")
def share_live_pages(page, request, serve_args, serve_kwargs):
    """Every live page served to an anonymous visitor may be kept in the page cache; pages add
    what else they show (products, producers) while they render."""
    pagecache.cacheable(request, pagecache.page_tag(page.translation_key))


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    """Audit actions (prices, stock, certificates, batches, trace events, orders) and the
    per-producer log table of those models (cms.audit)."""
    from catalog.models import user_producers
    from catalog.permissions import is_officer
    from cms.models import AuditLogEntry

    audit.register(actions, AuditLogEntry)
    audit.set_scope(
        lambda user: (
            None if is_officer(user) else list(user_producers(user).values_list("pk", flat=True))
        )
    )


@hooks.register("insert_global_admin_js")
def vietnamese_slug_js():
    """Slugs typed or made from titles in the editor fold đ to d (see cms.slugs)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}" defer></script>', static("js/admin-slug.js"))
