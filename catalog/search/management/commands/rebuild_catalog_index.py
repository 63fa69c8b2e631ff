"""Rebuild the catalogue search index from scratch, whichever engine is configured."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog.search.base import get_search_engine
from catalog.search.documents import count_searchable
from catalog.search.tasks import listings_changed


class Command(BaseCommand):
    help = "Rebuild the catalogue search index (database or Elasticsearch) with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        engine = get_search_engine()
        total = count_searchable()
        with tqdm(
            total=total,
            unit="product",
            desc=f"Indexing ({engine.name})",
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            count = engine.rebuild(progress=bar.update)
        listings_changed()  # the listings read their cards from the index
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} products with the {engine.name} engine.")
        )
