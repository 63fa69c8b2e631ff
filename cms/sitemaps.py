"""sitemap.xml listing every live page of every locale (each locale has its own tree)."""

from __future__ import annotations

from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.models import Page


class AllLocalesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = root.get_translations(inclusive=True)
        pages = Page.objects.none()
        for tree_root in roots:
            pages = pages | tree_root.get_descendants(inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()


def sitemap_view(request):
    return wagtail_sitemap_views.sitemap(request, sitemaps={"pages": AllLocalesSitemap})
