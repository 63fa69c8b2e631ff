from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.documents import urls as wagtaildocs_urls

from cms.robots import favicon, robots_txt
from cms.sitemaps import sitemap_view
from security.throttle import rate_limited

urlpatterns = [
    # Wagtail's own view, rate-limited per address: each post may send an e-mail.
    path(
        "admin/password_reset/",
        rate_limited("password-reset")(account.PasswordResetView.as_view()),
    ),
    path("admin/", include("catalog.admin_urls")),  # per-producer stand-ins for a few views
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
]

# Apps that own URLs outside the page tree plug in here (resolver, cart, search, webhooks).
urlpatterns += [path("", include("config.app_urls"))]

urlpatterns += i18n_patterns(
    path("", include("config.i18n_app_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
