"""Write or check cms/schema_snapshot.sql, the migrated SQLite database (cms/schema_snapshot.py)."""

from django.core.management.base import BaseCommand, CommandError

from cms import schema_snapshot


class Command(BaseCommand):
    help = (
        "Regenerate (--write) or check (--check) cms/schema_snapshot.sql, the SQL image of a "
        "fully migrated SQLite database that `make demo` loads instead of migrating."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--write", action="store_true", help="migrate a throwaway database and dump it"
        )
        action.add_argument("--check", action="store_true", help="fail if the snapshot is stale")

    def handle(self, *args, write=False, check=False, **options):
        path = schema_snapshot.SNAPSHOT.relative_to(schema_snapshot.ROOT)
        if write:
            key = schema_snapshot.write()
            size = schema_snapshot.SNAPSHOT.stat().st_size
            self.stdout.write(f"Wrote {path} ({size // 1024} KiB, fingerprint {key}).")
            return
        written_for = schema_snapshot.snapshot_fingerprint()
        current = schema_snapshot.fingerprint()
        if written_for != current:
            raise CommandError(
                f"{path} is stale (written for {written_for}, migrations now {current}): "
                f"run `{schema_snapshot.WRITE_COMMAND}` and commit it."
            )
        self.stdout.write(f"{path} is current ({current}).")
