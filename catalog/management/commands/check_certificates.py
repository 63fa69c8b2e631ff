"""Daily job (cron, e.g. `5 0 * * * manage.py check_certificates`): see docs/operations.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.services import run_certificate_checks


class Command(BaseCommand):
    help = (
        "Unpublish products whose OCOP certificate expired or was revoked, and warn producers "
        "30 days before a certificate expires."
    )

    def handle(self, *args, **options):
        report = run_certificate_checks()
        for title in report.unpublished:
            self.stdout.write(f"unpublished: {title}")
        for title in report.notified:
            self.stdout.write(f"expiry notice sent: {title}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.unpublished)} unpublished, {len(report.notified)} notified"
            )
        )
