"""Build the demo site: catalogue, traceability records, shop data, and demo accounts.

Re-runnable: existing demo rows are kept, passwords of the demo accounts are reset and printed.
"""

from __future__ import annotations

import importlib
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from catalog.demo import build_catalogue, reset_accounts
from cms.services import setup_site, translate_tree

APP_DEMOS = ("traceability.demo", "storefront.demo", "evaluation.demo", "places.demo")


class Command(BaseCommand):
    help = "Load a realistic Vietnamese OCOP demo catalogue and print the demo logins."

    def handle(self, *args, **options):
        started = time.monotonic()
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
        rows = reset_accounts()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.0f} s.")
        )
        self.stdout.write("")
        url = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Site:  {url}/   Admin: {url}/admin/")
        for role, username, password in rows:
            self.stdout.write(f"  {role:<28} {username:<28} {password}")
