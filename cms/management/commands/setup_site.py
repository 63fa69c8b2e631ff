from django.core.management.base import BaseCommand

from cms.services import setup_site


class Command(BaseCommand):
    help = (
        "Create locales, the page tree, the officers' group and the approval workflow; "
        "the default site answers at SITE_URL unless --hostname/--port say otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hostname", help="host name of the default site")
        parser.add_argument("--port", type=int, help="port of the default site")

    def handle(self, *args, **options):
        home = setup_site(options["hostname"], options["port"])
        self.stdout.write(self.style.SUCCESS(f"Site ready: {home.title} at {home.full_url}"))
