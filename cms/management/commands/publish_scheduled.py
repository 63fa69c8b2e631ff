"""Wagtail's scheduled publishing, refusing uncertified products instead of crashing.

Before Wagtail publishes the due revisions, every due product revision whose product has no
certificate in force of ≥3★ is unscheduled and logged; the rest go ahead as usual.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from catalog.models import ProductPage
from catalog.services import publishability_error


class Command(WagtailCommand):
    def handle(self, *args, **options):
        dryrun = options.get("dryrun", False)
        due = Revision.objects.filter(
            approved_go_live_at__lt=timezone.now(),
            content_type=ContentType.objects.get_for_model(ProductPage),
        )
        for revision in due:
            obj = revision.as_object()
            if not isinstance(obj, ProductPage):
                continue
            message = publishability_error(obj)
            if message:
                self.stdout.write(f"not published: {message}")
                if not dryrun:
                    revision.approved_go_live_at = None
                    revision.save(update_fields=["approved_go_live_at"])
        return super().handle(*args, **options)
