"""A generated set of certificates in every state the registry knows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from catalog.models import Certificate, ProducerType
from tests.factories import ProducerFactory, certify, criteria_set, leaf_group, make_product


@dataclass
class World:
    today: dt.date
    live: Certificate  # in force, product on sale
    unpublished: Certificate  # in force, product page not published
    expiring: Certificate  # 60 days left
    expired: Certificate  # older decision of the renewed product
    renewed: Certificate  # renewal of `expired`'s product
    revoked: Certificate
    five_star: Certificate
    old_criteria: Certificate  # 1048/2019, expired
    unrated: Certificate  # 2★: not a recognition, never listed

    @property
    def listed(self) -> list[Certificate]:
        return [
            self.live,
            self.unpublished,
            self.expiring,
            self.expired,
            self.renewed,
            self.revoked,
            self.five_star,
            self.old_criteria,
        ]


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture(scope="module")
def world_data(django_db_setup, django_db_blocker):
    """Built once per test module inside a transaction rolled back at the module's end.

    Each test still runs in its own savepoint (the `db` fixture), so what a test changes is
    undone before the next one; only the world itself is shared.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(world_data, db) -> World:
    return world_data


def _build_world() -> World:
    today = timezone.localdate()
    coop = ProducerFactory(province_code=24, name="Hợp tác xã Mật ong Bắc Ninh")
    firm = ProducerFactory(
        province_code=66, kind=ProducerType.ENTERPRISE, name="Công ty TNHH Cà phê Đắk Lắk"
    )
    household = ProducerFactory(
        province_code=1, kind=ProducerType.HOUSEHOLD, name="Hộ kinh doanh Nước mắm Hà Nội"
    )
    live_page = make_product(coop, title="Mật ong hoa nhãn", stars=4)
    live = live_page.certificates.get()
    unpublished = certify(
        make_product(coop, title="Mật ong hoa bạc hà", stars=None, publish=False), stars=3
    )
    expiring = certify(
        make_product(firm, title="Cà phê Robusta rang xay", stars=None, publish=False),
        stars=4,
        decision_date=today - days(1000),
        expires_on=today + days(60),
    )
    renewed_page = make_product(firm, title="Cà phê hạt Arabica", stars=None, publish=False)
    expired = certify(
        renewed_page,
        stars=3,
        decision_date=today - days(1200),
        expires_on=today - days(105),
    )
    renewed = certify(renewed_page, stars=4, decision_date=today - days(100))
    revoked = certify(
        make_product(household, title="Nước mắm cá cơm", stars=None, publish=False),
        stars=3,
        revoked_at=timezone.now(),
        revoked_reason="Không duy trì chất lượng",
    )
    five_star = certify(
        make_product(
            household, title="Nước mắm truyền thống thượng hạng", stars=None, publish=False
        ),
        stars=5,
    )
    old_group = leaf_group_1048()
    old_criteria = certify(
        make_product(coop, title="Mật ong rừng U Minh", stars=None, publish=False),
        stars=3,
        criteria_set=criteria_set("1048/2019"),
        group=old_group,
        decision_date=dt.date(2020, 5, 4),
        issuing_level="district",
    )
    unrated = certify(
        make_product(coop, title="Mật ong thử nghiệm", stars=None, publish=False), stars=2
    )
    return World(
        today=today,
        live=live,
        unpublished=unpublished,
        expiring=expiring,
        expired=expired,
        renewed=renewed,
        revoked=revoked,
        five_star=five_star,
        old_criteria=old_criteria,
        unrated=unrated,
    )


def leaf_group_1048():
    from catalog.models import OcopGroup

    return OcopGroup.objects.filter(scheme="1048", children__isnull=True).order_by("code").first()


__all__ = ["World", "days", "leaf_group", "world"]
