"""Accounts fixtures: a shop with products, guest orders, shoppers signed in by each means."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import make_product
from tests.storefront import conftest as storefront_fixtures
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

SIGN_IN = "/vi/tai-khoan/dang-nhap/"
SIGN_UP = "/vi/tai-khoan/dang-ky/"
ACCOUNT = "/vi/tai-khoan/"
ADDRESSES = "/vi/tai-khoan/dia-chi/"
LINK_PATH = re.compile(r"https?://[^/\s]+(/(?:vi|en)/tai-khoan/lien-ket/[^/\s]+/)")
PASSWORD = "nhan-long-2025-ngon"


shop = storefront_fixtures.shop  # the site with shipping rules and a bank account


@pytest.fixture(autouse=True)
def emails_now(monkeypatch):
    """The link e-mail leaves after commit; a test's transaction never commits, so here it
    leaves at once (only in accounts.services)."""
    from django.db import transaction

    from accounts import services

    class Now:
        atomic = staticmethod(transaction.atomic)

        @staticmethod
        def on_commit(func, using=None, robust=False):
            func()

    monkeypatch.setattr(services, "transaction", Now)


@pytest.fixture(autouse=True)
def fresh_counters():
    """Rate-limit counters live in the process's cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def products(shop, producer, other_producer):
    honey = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 9}])
    coffee = make_product(
        other_producer, title="Cà phê Robusta", variants=[{"name": "Gói 500 g", "price": 120_000}]
    )
    return honey, coffee


def guest_order(client_factory, product, **details):
    """A guest (own browser, no account) orders `product` cash on delivery."""
    guest = client_factory()
    add_to_cart(guest, variant_of(product))
    response = checkout(guest, "cod", **details)
    assert response.status_code == 302, response.content[:500]
    return last_order()


def ask_link(client, email: str, lang: str = "en"):
    """Ask for a link (in English by default: tests read its messages, the Vietnamese ones
    come with the lead's translation)."""
    return client.post(f"/{lang}/tai-khoan/dang-nhap/", {"method": "email", "email": email})


def last_link() -> str:
    """The path of the link in the newest e-mail."""
    found = LINK_PATH.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def sign_in_by_link(client, email: str) -> str:
    assert ask_link(client, email).status_code == 200
    path = last_link()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"].endswith("/tai-khoan/")
    return path


def sign_up_by_phone(client, phone: str = "0912 345 678", name: str = "Nguyễn Thị Lan"):
    return client.post(
        SIGN_UP, {"name": name, "phone": phone, "password1": PASSWORD, "password2": PASSWORD}
    )


def sign_in_by_phone(client, phone: str = "0912 345 678", password: str = PASSWORD, **extra):
    return client.post(SIGN_IN, {"method": "phone", "phone": phone, "password": password}, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
