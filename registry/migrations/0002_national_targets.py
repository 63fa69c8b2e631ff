"""Seed the national targets of the 2021–2025 programme (919/QĐ-TTg, 2022)."""

from decimal import Decimal

from django.db import migrations

SOURCE = "919/QĐ-TTg ngày 01/8/2022"
NATIONAL = [
    ("recognised", Decimal("10000"), 2021, 2025),
    ("five-star-share", Decimal("3"), 2021, 2025),
    ("cooperative-share", Decimal("40"), 2021, 2025),
]


def seed(apps, schema_editor):
    target = apps.get_model("registry", "ProgrammeTarget")
    for metric, value, start, end in NATIONAL:
        target.objects.get_or_create(
            province_code=None,
            metric=metric,
            period_end=end,
            defaults={"target_value": value, "period_start": start, "source": SOURCE},
        )


def unseed(apps, schema_editor):
    target = apps.get_model("registry", "ProgrammeTarget")
    for metric, _value, _start, end in NATIONAL:
        target.objects.filter(province_code=None, metric=metric, period_end=end).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
