"""Onboard a producer in one step: producer, page, editors' group, collection and editor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.models import ProducerType
from catalog.services import create_producer


class Command(BaseCommand):
    help = "Create a producer with its page, editors' group, image collection and editor account."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Legal name")
        parser.add_argument("--short-name", default="")
        parser.add_argument("--type", choices=[c.value for c in ProducerType], required=True)
        parser.add_argument("--tax-code", required=True)
        parser.add_argument("--province", type=int, required=True, help="Province code (2025)")
        parser.add_argument("--ward", type=int, required=True, help="Commune/ward code (2025)")
        parser.add_argument("--username", required=True, help="Editor's login")
        parser.add_argument("--email", default="")

    def handle(self, *args, **o):
        try:
            onboarded = create_producer(
                name=o["name"],
                short_name=o["short_name"],
                kind=o["type"],
                tax_code=o["tax_code"],
                province_code=o["province"],
                ward_code=o["ward"],
                email=o["email"],
                editor_username=o["username"],
                editor_email=o["email"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {onboarded.producer} ({onboarded.page.url_path})")
        )
        self.stdout.write(
            f"Editor login: {onboarded.editor.username}  password: {onboarded.password}"
        )
