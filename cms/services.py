"""Build the site's skeleton: locales, page tree, officer group, approval workflow.

Idempotent: `manage.py setup_site` runs it on a fresh database and on every deploy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from catalog.models import OcopApprovalTask, ProducerIndexPage, ProductIndexPage
from catalog.permissions import OFFICERS_GROUP, PRODUCER_EDITORS_GROUP, grant, permission
from catalog.services import producer_editors_base_group
from cms.models import HomePage
from places.permissions import setup_places_permissions
from registry.permissions import setup_registry_permissions
from reviews.permissions import setup_review_permissions
from storefront.permissions import setup_storefront_permissions
from traceability.permissions import setup_traceability_permissions

# Stored in Vietnamese, the language of the cooperatives who see it on every submit button
# and e-mail (Wagtail prints workflow and task names as stored). The old English name is
# renamed in place by `setup_site`.
WORKFLOW_NAME = "Quy trình duyệt OCOP"
OLD_WORKFLOW_NAMES = ["OCOP officer approval"]

OFFICER_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("catalog", "add_producer"),
    ("catalog", "change_producer"),
    ("catalog", "view_producer"),
    ("catalog", "add_certificate"),
    ("catalog", "change_certificate"),
    ("catalog", "view_certificate"),
    ("catalog", "delete_certificate"),
    ("catalog", "view_criteriaset"),
    ("catalog", "view_ocopgroup"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Images and documents are permitted per collection in Wagtail: officers hold these on the root
# collection, so they manage every producer's media (producers' editors: their own collection).
OFFICER_COLLECTION_PERMISSIONS = [
    (app_label, f"{action}_{model}")
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
    for action in ("add", "change", "delete", "choose")
]
PRODUCER_EDITOR_MODEL_PERMISSIONS = [
    ("catalog", "view_producer"),
    ("catalog", "change_producer"),
    ("catalog", "view_certificate"),
]


def site_address() -> tuple[str, int]:
    """The host name and port of settings.SITE_URL, the address the site is served from."""
    url = urlsplit(settings.SITE_URL)
    return url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 80)


@transaction.atomic
def setup_site(hostname: str | None = None, port: int | None = None) -> HomePage:
    """Build or bring up to date the skeleton; the default Site answers at SITE_URL (or the
    given host name and port), so full URLs (canonical, hreflang, sitemap) print that address."""
    if hostname is None or port is None:
        default_hostname, default_port = site_address()
        hostname = hostname or default_hostname
        port = port or default_port
    default_locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)

    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node()
        with translation.override(settings.LANGUAGE_CODE):
            home = HomePage(
                title="Chợ OCOP",
                slug="trang-chu",
                intro="Đặc sản OCOP 3–5 sao, truy xuất nguồn gốc đến từng lô hàng",
                locale=default_locale,
            )
        root.add_child(instance=home)
        home.save_revision().publish()
        # The default Wagtail welcome page goes; the site points at our home page.
        for page in root.get_children().exclude(pk=home.pk).filter(depth=2):
            if not isinstance(page.specific, HomePage):
                Site.objects.filter(root_page=page).update(root_page=home)
                page.delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True
        )
    else:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.hostname, site.port = hostname, port
        site.save()

    if not ProducerIndexPage.objects.filter(locale=default_locale).exists():
        producers = ProducerIndexPage(title="Chủ thể OCOP", slug="chu-the", locale=default_locale)
        home.add_child(instance=producers)
        producers.save_revision().publish()
    if not ProductIndexPage.objects.filter(locale=default_locale).exists():
        products = ProductIndexPage(title="Sản phẩm OCOP", slug="san-pham", locale=default_locale)
        home.add_child(instance=products)
        products.save_revision().publish()
    producers = ProducerIndexPage.objects.get(locale=default_locale)

    translate_tree(home)

    officers = grant(OFFICERS_GROUP, OFFICER_MODEL_PERMISSIONS)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=officers, page=home, permission=permission("wagtailcore", codename)
        )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in OFFICER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=officers, collection=root_collection, permission=permission(app_label, codename)
        )
    producer_editors_base_group()
    grant(PRODUCER_EDITORS_GROUP, PRODUCER_EDITOR_MODEL_PERMISSIONS)
    setup_traceability_permissions()
    setup_storefront_permissions()
    setup_review_permissions()
    setup_places_permissions()
    setup_registry_permissions()

    task = OcopApprovalTask.objects.filter(name="Duyệt của cán bộ OCOP").first()
    if task is None:
        task = OcopApprovalTask.objects.create(name="Duyệt của cán bộ OCOP")
        task.groups.set([officers])
    if not Workflow.objects.filter(name=WORKFLOW_NAME).exists():
        Workflow.objects.filter(name__in=OLD_WORKFLOW_NAMES).update(name=WORKFLOW_NAME)
    # Wagtail's own default workflow and task (made by its migrations) in Vietnamese too.
    Workflow.objects.filter(name="Moderators approval").update(name="Duyệt của ban biên tập")
    Task.objects.filter(name="Moderators approval").update(name="Ban biên tập duyệt")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=producers, defaults={"workflow": workflow})
    return home


def translate_tree(source_root: Page) -> None:
    """Give every other locale an alias of each live page that has none yet.

    Aliases follow their source on every publish, so the English site shows the same
    products with an English interface until an editor translates a page.
    """
    for locale in Locale.objects.exclude(pk=source_root.locale_id):
        for page in source_root.get_descendants(inclusive=True).live().order_by("path"):
            if page.get_translations().filter(locale=locale).exists():
                continue
            page.specific.copy_for_translation(locale, copy_parents=True, alias=True)
