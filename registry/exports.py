"""The registry and every statistics figure as files (CSV, and the registry as XLSX too).

Columns are defined once (`REGISTRY_COLUMNS`) so the CSV and the XLSX carry the same data as the
page. CSV is UTF-8 with a byte-order mark so spreadsheet programs read Vietnamese correctly.
Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from registry.queries import RegistryEntry

Column = tuple[Any, Callable[[RegistryEntry], Any]]

REGISTRY_COLUMNS: list[Column] = [
    (_("Product"), lambda e: e.product),
    (_("Producer"), lambda e: e.producer),
    (_("Producer type"), lambda e: e.producer_type_label),
    (_("Province"), lambda e: e.province),
    (_("Group"), lambda e: e.group),
    (_("Stars"), lambda e: e.stars),
    (_("Score"), lambda e: e.score),
    (_("Criteria"), lambda e: e.criteria),
    (_("Decision number"), lambda e: e.decision_number),
    (_("Decision date"), lambda e: e.decision_date),
    (_("Issuing body"), lambda e: e.issuing_body),
    (_("Level"), lambda e: e.issuing_level_label),
    (_("Valid until"), lambda e: e.expires_on),
    (_("Status"), lambda e: e.status_label),
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def registry_csv(entries: Iterable[RegistryEntry]) -> bytes:
    return table_csv(
        [label for label, _get in REGISTRY_COLUMNS],
        ([get(e) for _label, get in REGISTRY_COLUMNS] for e in entries),
    )


def registry_xlsx(entries: Iterable[RegistryEntry]) -> bytes:
    from openpyxl import Workbook  # 30 MiB: loaded by the worker that exports, not by every one

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("OCOP registry")))
    sheet.append([str(label) for label, _get in REGISTRY_COLUMNS])
    for e in entries:
        row = []
        for _label, get in REGISTRY_COLUMNS:
            value = _safe(get(e))
            row.append(float(value) if hasattr(value, "as_tuple") else value)
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
