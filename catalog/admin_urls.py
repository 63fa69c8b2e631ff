"""Admin URLs that take the place of Wagtail's own, so an editor sees only their producers.

Included in config/urls.py before Wagtail's admin URLs:
- the page chooser's browse view 404s on a page outside the editor's subtrees (and their
  ancestors); its lists are filtered by the `construct_page_chooser_queryset` hook;
- the site-wide "Page types usage" report (it names the latest edited page of every type,
  whoever it belongs to) is for officers only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page

from catalog.permissions import is_officer, own_pages_q

_browse = BrowseView.as_view()


@require_admin_access
def page_chooser_browse(request, parent_page_id: int):
    mine = Page.objects.filter(own_pages_q(request.user), pk=parent_page_id)
    if not is_officer(request.user) and not mine.exists():
        raise Http404
    return _browse(request, parent_page_id=parent_page_id)


def officers_only(view):
    @require_admin_access
    def wrapped(request, *args, **kwargs):
        if not is_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("choose-page/<int:parent_page_id>/", page_chooser_browse),
    path(
        "reports/page-types-usage/",
        officers_only(PageTypesUsageReportView.as_view()),
    ),
    path(
        "reports/page-types-usage/results/",
        officers_only(PageTypesUsageReportView.as_view(results_only=True)),
    ),
]
