"""Cancel unpaid orders whose hold ran out and put their stock back (run from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from storefront.orders import release_expired_orders


class Command(BaseCommand):
    help = "Cancel unpaid card/transfer orders past their hold and release their stock."

    def handle(self, *args, **options):
        count = release_expired_orders()
        self.stdout.write(f"Released {count} expired order(s).")
