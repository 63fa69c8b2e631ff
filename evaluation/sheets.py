"""Scoring sheets as data: read a sheet from CSV or JSON, check it against its criteria set,
save it whole or not at all; validate a filled-in sheet against its maxima.

CSV columns (one row per criterion, a header row first):
    part, part_title, part_max, code, text, max_points, mandatory
JSON: {"code", "title", "sample": bool, "parts": [{"code", "title", "max_points",
"criteria": [{"code", "text", "max_points", "mandatory"}]}]} (as evaluation/data/*.json).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import CriteriaSet
from evaluation.models import Criterion, ScoringSheet, SheetPart

SAMPLE_SHEET = Path(__file__).resolve().parent / "data" / "sample_sheet_148.json"
CSV_COLUMNS = ("part", "part_title", "part_max", "code", "text", "max_points", "mandatory")
TRUE_WORDS = {"1", "true", "yes", "x", "co", "có", "bắt buộc", "mandatory"}
FALSE_WORDS = {"", "0", "false", "no", "khong", "không"}


class SheetError(Exception):
    """A sheet file that cannot be imported; `errors` lists each problem with its row."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class PartRow:
    code: str
    title: str
    max_points: Decimal
    criteria: list[dict[str, Any]] = field(default_factory=list)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if (
        not number.is_finite()
        or number < 0
        or number > 100
        or number != number.quantize(Decimal("0.01"))
    ):
        return None
    return number


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    word = str(value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _rows_from_json(text: str) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SheetError([_("Not valid JSON: %(error)s") % {"error": exc}]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list):
        raise SheetError([_("The JSON file needs an object with a list of “parts”.")])
    rows = []
    for p_index, part in enumerate(data["parts"], start=1):
        part = part if isinstance(part, dict) else {}
        criteria = part.get("criteria") if isinstance(part.get("criteria"), list) else []
        if not criteria:
            rows.append((_("part %(n)s") % {"n": p_index}, {**part, "code": None}))
        for c_index, crit in enumerate(criteria, start=1):
            crit = crit if isinstance(crit, dict) else {}
            where = _("part %(p)s, criterion %(c)s") % {"p": p_index, "c": c_index}
            rows.append(
                (
                    where,
                    {
                        "part": part.get("code"),
                        "part_title": part.get("title"),
                        "part_max": part.get("max_points"),
                        "code": crit.get("code"),
                        "text": crit.get("text"),
                        "max_points": crit.get("max_points"),
                        "mandatory": crit.get("mandatory", False),
                    },
                )
            )
    return data, rows


def _rows_from_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise SheetError([_("Missing CSV columns: %(columns)s") % {"columns": ", ".join(missing)}])
    return [(_("row %(n)s") % {"n": n}, row) for n, row in enumerate(reader, start=2)]


def parse_sheet(text: str, fmt: str, criteria_set: CriteriaSet) -> list[PartRow]:
    """Parts and criteria of a sheet file, or SheetError listing every bad row."""
    if fmt == "json":
        _data, rows = _rows_from_json(text)
    else:
        rows = _rows_from_csv(text)
    errors: list[str] = []
    parts: dict[str, PartRow] = {}
    codes: set[str] = set()
    for where, row in rows:
        part_code = str(row.get("part") or "").strip().upper()
        code = str(row.get("code") or "").strip()
        text_ = str(row.get("text") or "").strip()
        max_points = _decimal(row.get("max_points"))
        part_max = _decimal(row.get("part_max"))
        mandatory = _flag(row.get("mandatory"))
        row_errors = []
        if part_code not in ("A", "B", "C"):
            row_errors.append(_("the part must be A, B or C"))
        if not code:
            row_errors.append(_("the criterion has no code"))
        elif code in codes:
            row_errors.append(_("criterion %(code)s appears twice") % {"code": code})
        if not text_:
            row_errors.append(_("the criterion has no text"))
        if max_points is None or max_points == 0:
            row_errors.append(_("the maximum points must be a number above 0 and at most 100"))
        if part_max is None:
            row_errors.append(_("the part maximum must be a number from 0 to 100"))
        if mandatory is None:
            row_errors.append(_("“mandatory” must be yes or no"))
        if row_errors:
            errors.append(f"{where}: " + "; ".join(row_errors))
            continue
        codes.add(code)
        part = parts.setdefault(
            part_code,
            PartRow(part_code, str(row.get("part_title") or part_code).strip(), part_max),
        )
        if part.max_points != part_max:
            errors.append(
                f"{where}: "
                + _("part %(part)s was given two different maxima (%(a)s and %(b)s)")
                % {"part": part_code, "a": part.max_points, "b": part_max}
            )
            continue
        part.criteria.append(
            {"code": code, "text": text_[:500], "max_points": max_points, "mandatory": mandatory}
        )
    expected = {"A": criteria_set.max_a, "B": criteria_set.max_b, "C": criteria_set.max_c}
    if not errors:
        for code, maximum in expected.items():
            part = parts.get(code)
            if part is None:
                errors.append(_("Part %(part)s has no criteria.") % {"part": code})
                continue
            if part.max_points != maximum:
                errors.append(
                    _("Part %(part)s scores at most %(max)s under %(criteria)s, not %(given)s.")
                    % {
                        "part": code,
                        "max": maximum,
                        "criteria": criteria_set.code,
                        "given": part.max_points,
                    }
                )
            total = sum((c["max_points"] for c in part.criteria), Decimal(0))
            if total != part.max_points:
                errors.append(
                    _("The criteria of part %(part)s add up to %(sum)s, not its maximum %(max)s.")
                    % {"part": code, "sum": total, "max": part.max_points}
                )
    if not rows and not errors:
        errors.append(_("The file holds no criteria."))
    if errors:
        raise SheetError(errors)
    return [parts[c] for c in ("A", "B", "C")]


def import_sheet(
    text: str,
    fmt: str,
    criteria_set: CriteriaSet,
    *,
    code: str,
    title: str,
    sample: bool = False,
    source: str = "",
) -> ScoringSheet:
    """Check the whole file, then write the sheet in one transaction (nothing on error).

    Re-importing the same code replaces that sheet's criteria unless an application uses it.
    """
    parts = parse_sheet(text, fmt, criteria_set)
    with transaction.atomic():
        sheet = ScoringSheet.objects.filter(criteria_set=criteria_set, code=code).first()
        if sheet is not None:
            if sheet.ocopapplication_set.exists():
                raise SheetError(
                    [
                        _(
                            "Sheet %(code)s is already used by applications: import it under a new code."
                        )
                        % {"code": code}
                    ]
                )
            sheet.parts.all().delete()
            sheet.title, sheet.is_sample, sheet.source = title, sample, source
            sheet.save()
        else:
            sheet = ScoringSheet.objects.create(
                criteria_set=criteria_set, code=code, title=title, is_sample=sample, source=source
            )
        for p_order, part in enumerate(parts):
            db_part = SheetPart.objects.create(
                sheet=sheet,
                code=part.code,
                title=part.title,
                max_points=part.max_points,
                order=p_order,
            )
            Criterion.objects.bulk_create(
                Criterion(part=db_part, order=c_order, **crit)
                for c_order, crit in enumerate(part.criteria)
            )
    return sheet


def load_sample_sheets() -> list[ScoringSheet]:
    """The SAMPLE sheet for every criteria set with the 148 maxima (demo and tests)."""
    text = SAMPLE_SHEET.read_text(encoding="utf-8")
    data = json.loads(text)
    sheets = []
    for criteria_set in CriteriaSet.objects.filter(group_scheme="148"):
        existing = ScoringSheet.objects.filter(criteria_set=criteria_set, code=data["code"]).first()
        if existing is not None:
            sheets.append(existing)
            continue
        sheets.append(
            import_sheet(
                text,
                "json",
                criteria_set,
                code=data["code"],
                title=data["title"],
                sample=True,
                source=SAMPLE_SHEET.name,
            )
        )
    return sheets


def sheet_for(criteria_set: CriteriaSet) -> ScoringSheet | None:
    """The sheet in use for a criteria set: the newest official one, else the sample."""
    return ScoringSheet.objects.filter(criteria_set=criteria_set).first()


# --- A filled-in sheet --------------------------------------------------------------------------


def validate_points(
    criteria: list[Criterion], raw: dict[int, Any], *, complete: bool
) -> tuple[dict[int, Decimal], dict[int, str]]:
    """Scores per criterion id from raw input, and an error per criterion id.

    A score is a number from 0 to the criterion's maximum with at most two decimals. With
    `complete` (submitting a sheet), every mandatory criterion must be scored; blank optional
    criteria count as 0.
    """
    points: dict[int, Decimal] = {}
    errors: dict[int, str] = {}
    for crit in criteria:
        value = raw.get(crit.pk)
        if value is None or str(value).strip() == "":
            if complete and crit.mandatory:
                errors[crit.pk] = _("Mandatory criterion: give a score.")
            continue
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            errors[crit.pk] = _("Enter a number.")
            continue
        if not number.is_finite():
            errors[crit.pk] = _("Enter a number.")
        elif number < 0:
            errors[crit.pk] = _("A score cannot be negative.")
        elif number > crit.max_points:
            errors[crit.pk] = _("At most %(max)s points.") % {"max": crit.max_points.normalize()}
        elif number != number.quantize(Decimal("0.01")):
            errors[crit.pk] = _("At most two decimals.")
        else:
            points[crit.pk] = number.quantize(Decimal("0.01"))
    return points, errors
