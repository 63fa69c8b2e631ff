"""Print a batch's labels to a PDF: `manage.py print_labels <lot or short code> -o labels.pdf`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from traceability.labels import DEFAULT_SIZE, LABEL_SIZES, LabelDoesNotFit, write_labels
from traceability.models import Batch
from traceability.services import batch_by_short_code


class Command(BaseCommand):
    help = "Write a PDF sheet of labels (QR, product, lot, dates, stars) for a batch."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The batch's lot number or short code.")
        parser.add_argument("-o", "--output", required=True, help="PDF file to write.")
        parser.add_argument("--size", default=DEFAULT_SIZE, choices=sorted(LABEL_SIZES))
        parser.add_argument(
            "--serials", action="store_true", help="One label per per-unit serial of the batch."
        )
        parser.add_argument(
            "--copies", type=int, default=None, help="Labels with the batch code (default: a page)."
        )
        parser.add_argument("--ec", default="M", choices=["L", "M", "Q", "H"])

    def handle(self, *args, code: str, output: str, size: str, serials: bool, copies, ec, **kw):
        batch = batch_by_short_code(code)
        if batch is None:
            matches = list(Batch.objects.filter(lot_code=code)[:2])
            if len(matches) > 1:
                raise CommandError(f"Several batches have lot {code!r}: use the short code.")
            batch = matches[0] if matches else None
        if batch is None:
            raise CommandError(f"No batch with lot number or short code {code!r}.")
        serial_codes = None
        if serials:
            serial_codes = batch.serials.order_by("pk").values_list("serial", flat=True).iterator()
        try:
            with open(output, "wb") as handle:
                count = write_labels(
                    batch,
                    handle,
                    serials=serial_codes,
                    size=size,
                    copies=copies or LABEL_SIZES[size].per_page,
                    error_correction=ec,
                )
        except LabelDoesNotFit as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} labels for lot {batch.lot_code} written to {output}")
