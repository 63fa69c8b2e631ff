"""Build the demo site: catalogue, traceability records, shop data, and demo accounts.

Re-runnable: existing demo rows are kept, passwords of the demo accounts are reset and printed.

Fast (docs/benchmarks.md, "make demo"): while loading, the per-save side effects a live site
needs are batched. Page-cache purges become one write at the end; the search indexes (ours and
Wagtail's admin search) and Wagtail's reference index are rebuilt once at the end instead of on
every save; the producers' editors whose passwords would never be printed get no usable
password (catalog.demo); image renditions are left to the first view that asks for them (Wagtail makes
the same files then).
"""

from __future__ import annotations

import importlib
import time
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalog.demo import build_catalogue, reset_accounts
from catalog.search.tasks import indexing_suspended
from cms import schema_snapshot
from cms.pagecache import invalidation_batched
from cms.renditions import renditions_deferred
from cms.services import setup_site, translate_tree

APP_DEMOS = ("traceability.demo", "storefront.demo", "evaluation.demo", "places.demo")


@contextmanager
def bulk_load():
    """Batch the per-save side effects while the demo loads (see the module's docstring).

    The caller rebuilds the search indexes (ours and Wagtail's) and the reference index
    afterwards."""
    with ExitStack() as stack:
        stack.enter_context(invalidation_batched())
        stack.enter_context(indexing_suspended())
        stack.enter_context(renditions_deferred())
        stack.enter_context(disable_reference_index_auto_update())
        stack.enter_context(wagtail_search_paused())
        yield


@contextmanager
def wagtail_search_paused():
    """No per-save indexing task for Wagtail's admin search (pages, images, documents…)."""
    from django.db.models.signals import post_save
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler

    paused = [
        model
        for model in get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


class Command(BaseCommand):
    help = "Load a realistic Vietnamese OCOP demo catalogue and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="migrate first; a fresh, empty SQLite database is filled from the schema "
            "snapshot (cms/schema_snapshot.sql) when it is current",
        )

    def handle(self, *args, migrate=False, **options):
        started = time.monotonic()
        if migrate:
            self.migrate()
        with bulk_load():
            home = setup_site()
            self.stdout.write("Building the catalogue…")
            build_catalogue(self.stdout)
            self.stdout.write("Creating English aliases of the page tree…")
            translate_tree(home)
            # Demo orders send e-mails; keep them out of the console so the logins stay readable.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for module_name in APP_DEMOS:
                    module = importlib.import_module(module_name)
                    self.stdout.write(f"Loading {module_name}…")
                    module.load_demo(stdout=self.stdout)
        self.stdout.write("Rebuilding the catalogue search index…")
        call_command("rebuild_catalog_index", "--no-progress", stdout=self.stdout)
        self.stdout.write("Rebuilding Wagtail's search and reference indexes…")
        call_command("update_index", verbosity=0, stdout=self.stdout)
        call_command("rebuild_references_index", verbosity=0, stdout=self.stdout)
        rows = reset_accounts()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.0f} s.")
        )
        self.stdout.write("")
        url = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Site:  {url}/   Admin: {url}/admin/")
        for role, username, password in rows:
            self.stdout.write(f"  {role:<28} {username:<28} {password}")

    def migrate(self):
        """`migrate`, after loading the schema snapshot where it applies (one process less
        than running `migrate` on its own: docs/benchmarks.md, "make demo")."""
        from django.db import connection

        not_loaded = schema_snapshot.load(connection)
        if not_loaded:
            self.stdout.write(f"Migrating (no schema snapshot: {not_loaded})…")
        else:
            self.stdout.write("Database created from the schema snapshot.")
        call_command("migrate", interactive=False, verbosity=0)
