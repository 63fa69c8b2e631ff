"""Importing an official scoring sheet: row-level errors, nothing written on error."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from evaluation.models import Criterion, ScoringSheet

pytestmark = pytest.mark.django_db

HEADER = "part,part_title,part_max,code,text,max_points,mandatory\n"
GOOD = HEADER + (
    "A,Sản phẩm và sức mạnh cộng đồng,40,A1,Nguyên liệu,25,có\n"
    "A,Sản phẩm và sức mạnh cộng đồng,40,A2,Liên kết,15,không\n"
    "B,Khả năng tiếp thị,25,B1,Nhãn,25,yes\n"
    "C,Chất lượng,35,C1,An toàn thực phẩm,35,1\n"
)


def _run(tmp_path, text: str, name: str = "phieu.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_scoring_sheet", "148/2023 + 1489/2025", str(path), "--code", "QD148")


def test_a_good_sheet_is_imported(site, tmp_path):
    _run(tmp_path, GOOD)
    sheet = ScoringSheet.objects.get(code="QD148")
    assert not sheet.is_sample
    assert [(p.code, p.max_points) for p in sheet.parts.all()] == [("A", 40), ("B", 25), ("C", 35)]
    assert [c.code for c in sheet.ordered_criteria()] == ["A1", "A2", "B1", "C1"]
    assert Criterion.objects.get(part__sheet=sheet, code="A1").mandatory


def _vi(msgid: str, **params) -> str:
    """What the Vietnamese-speaking operator reads for that message."""
    with translation.override("vi"):
        return gettext(msgid) % params if params else gettext(msgid)


def _row(n: int, msgid: str, **params) -> str:
    return _vi("row %(n)s", n=n) + ": " + _vi(msgid, **params)


@pytest.mark.parametrize(
    ("bad_row", "row", "msgid", "params"),
    [
        ("D,Khác,10,D1,Thêm,10,có", 6, "the part must be A, B or C", {}),
        (
            "C,Chất lượng,35,C2,Thêm,abc,có",
            6,
            "the maximum points must be a number above 0 and at most 100",
            {},
        ),
        ("C,Chất lượng,35,C1,Trùng mã,5,có", 6, "criterion %(code)s appears twice", {"code": "C1"}),
        ("C,Chất lượng,35,C2,,5,có", 6, "the criterion has no text", {}),
        ("C,Chất lượng,35,C2,Thêm,5,maybe", 6, "“mandatory” must be yes or no", {}),
        (
            "C,Chất lượng,30,C2,Thêm,5,có",
            6,
            "part %(part)s was given two different maxima (%(a)s and %(b)s)",
            {"part": "C", "a": 35, "b": 30},
        ),
        (  # a whole-sheet error, not tied to one row
            "C,Chất lượng,35,C2,Thêm,5,không",
            None,
            "The criteria of part %(part)s add up to %(sum)s, not its maximum %(max)s.",
            {"part": "C", "sum": 40, "max": 35},
        ),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(site, tmp_path, bad_row, row, msgid, params):
    before = (ScoringSheet.objects.count(), Criterion.objects.count())
    with pytest.raises(CommandError) as failure:
        _run(tmp_path, GOOD + bad_row + "\n")
    expected = _vi(msgid, **params) if row is None else _row(row, msgid, **params)
    assert expected in str(failure.value)
    assert (ScoringSheet.objects.count(), Criterion.objects.count()) == before


def test_part_maxima_must_match_the_criteria_set(site, tmp_path):
    text = GOOD.replace("A,Sản phẩm và sức mạnh cộng đồng,40,A2,Liên kết,15", "A,x,40,A2,y,10")
    text = text.replace(",40,", ",35,")
    with pytest.raises(CommandError) as failure:
        _run(tmp_path, text)
    expected = _vi(
        "Part %(part)s scores at most %(max)s under %(criteria)s, not %(given)s.",
        part="A",
        max="40.00",
        criteria="148/2023 + 1489/2025",
        given=35,
    )
    assert expected in str(failure.value)
    assert not ScoringSheet.objects.filter(code="QD148").exists()


def test_json_sheets_and_the_sample(site, tmp_path):
    call_command("import_scoring_sheet", "--sample")
    sample = ScoringSheet.objects.filter(is_sample=True).first()
    assert sample is not None and "MẪU THỬ" in sample.title
    with pytest.raises(CommandError) as failure:
        _run(tmp_path, '{"parts": [{"code": "A", "criteria": [{"code": ""}]}]}', "x.json")
    assert _vi("part %(p)s, criterion %(c)s", p=1, c=1) + ": " in str(failure.value)
