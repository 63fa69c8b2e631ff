import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from catalog.models import Producer, ProductPage


def test_daily_check_unpublishes_expired_products(product):
    cert = product.certificates.get()
    cert.expires_on = timezone.localdate() - dt.timedelta(days=1)
    cert.save()
    out = StringIO()
    call_command("check_certificates", stdout=out)
    assert ProductPage.objects.get(pk=product.pk).live is False
    assert "unpublished: Mật ong hoa nhãn" in out.getvalue()


def test_daily_check_warns_30_days_before_expiry_once(product, producer):
    cert = product.certificates.get()
    cert.expires_on = timezone.localdate() + dt.timedelta(days=30)
    cert.save()
    call_command("check_certificates", stdout=StringIO())
    call_command("check_certificates", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert producer.email in mail.outbox[0].to
    assert cert.decision_number in mail.outbox[0].body
    assert ProductPage.objects.get(pk=product.pk).live is True


def test_daily_check_leaves_valid_products_alone(product):
    call_command("check_certificates", stdout=StringIO())
    assert ProductPage.objects.get(pk=product.pk).live is True
    assert mail.outbox == []


def test_create_producer_command_makes_group_page_and_editor(site, django_user_model):
    out = StringIO()
    call_command(
        "create_producer",
        "--name",
        "Hợp tác xã Mơ Hương Sơn",
        "--type",
        "htx",
        "--tax-code",
        "0101234565",
        "--province",
        "1",
        "--ward",
        "4",
        "--username",
        "htx.mohuongson",
        stdout=out,
    )
    producer = Producer.objects.get(tax_code="0101234565")
    editor = django_user_model.objects.get(username="htx.mohuongson")
    assert producer.editors_group in editor.groups.all()
    assert producer.pages.get().live
    assert "password:" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tax-code", "12345"], "tax code"),
        (["--tax-code", "0101234566"], "last digit"),
        (["--tax-code", "0101234565", "--ward", "7582"], "not in the chosen province"),
    ],
)
def test_create_producer_rejects_bad_input(site, args, message):
    base = {
        "--name": "HTX Lỗi",
        "--type": "htx",
        "--tax-code": "0101234565",
        "--province": "1",
        "--ward": "4",
        "--username": "htx.loi",
    }
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = [x for pair in base.items() for x in pair]
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("create_producer", *argv, stdout=StringIO())
    assert not Producer.objects.filter(name="HTX Lỗi").exists()


@pytest.mark.parametrize("gtin", ["8934563138165", "08934563138165", "12345670"])
def test_valid_gtins_pass(gtin):
    from catalog.gtin import validate_gtin

    validate_gtin(gtin)


@pytest.mark.parametrize("gtin", ["8934563138166", "893456313816", "abc", "123"])
def test_invalid_gtins_are_rejected(gtin):
    from django.core.exceptions import ValidationError

    from catalog.gtin import validate_gtin

    with pytest.raises(ValidationError):
        validate_gtin(gtin)
