"""Void every cached page (after a deploy that changed templates or code)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cms import pagecache


class Command(BaseCommand):
    help = "Void every page kept by the page cache (run after each deploy)."

    def handle(self, *args, **options):
        pagecache.invalidate_all()
        self.stdout.write("Every cached page will be rendered again on its next visit.")
