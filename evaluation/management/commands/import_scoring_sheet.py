"""Import a scoring sheet for a criteria set from a CSV or JSON file (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog.models import CriteriaSet
from evaluation.sheets import SheetError, import_sheet, load_sample_sheets


class Command(BaseCommand):
    help = (
        "Import the scoring sheet of a criteria set from CSV (part, part_title, part_max, "
        "code, text, max_points, mandatory) or JSON; every bad row is reported and nothing "
        "is written. --sample loads the SAMPLE sheet shipped for the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("criteria_set", nargs="?", help="criteria set code, e.g. 148/2023")
        parser.add_argument("path", nargs="?", help="a .csv or .json file")
        parser.add_argument("--code", help="sheet code (default: the file name)")
        parser.add_argument("--title", help="sheet title (default: the code)")
        parser.add_argument("--sample", action="store_true", help="load the SAMPLE sheet")

    def handle(self, *args, **options):
        if options["sample"]:
            for sheet in load_sample_sheets():
                self.stdout.write(f"{sheet.criteria_set.code}: {sheet}")
            return
        if not options["criteria_set"] or not options["path"]:
            raise CommandError(_("Give a criteria set code and a file, or --sample."))
        criteria_set = CriteriaSet.objects.filter(code=options["criteria_set"]).first()
        if criteria_set is None:
            raise CommandError(
                _("Unknown criteria set %(code)s (known: %(known)s).")
                % {
                    "code": options["criteria_set"],
                    "known": ", ".join(CriteriaSet.objects.values_list("code", flat=True)),
                }
            )
        path = Path(options["path"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            raise CommandError(_("The file must be .csv or .json."))
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc
        code = options["code"] or path.stem
        try:
            sheet = import_sheet(
                text,
                fmt,
                criteria_set,
                code=code[:60],
                title=(options["title"] or code)[:255],
                source=path.name[:255],
            )
        except SheetError as exc:
            raise CommandError(
                _("Nothing was imported:") + "\n" + "\n".join(f"  {e}" for e in exc.errors)
            ) from exc
        count = sum(part.criteria.count() for part in sheet.parts.all())
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(count)s criteria into %(sheet)s.") % {"count": count, "sheet": sheet}
            )
        )
