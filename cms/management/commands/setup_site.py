from django.core.management.base import BaseCommand

from cms.services import setup_site


class Command(BaseCommand):
    help = "Create locales, the page tree, the officers' group and the approval workflow."

    def handle(self, *args, **options):
        home = setup_site()
        self.stdout.write(self.style.SUCCESS(f"Site ready: {home.title}"))
