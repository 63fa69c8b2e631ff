"""A review's history is a StatusEvent like an order's: each row keeps the moderation status
before and after, and the migration that added those columns reads them back for old rows."""

from __future__ import annotations

import importlib

from django.apps import apps

from reviews.models import ReviewEvent
from reviews.services import answer_review, moderate_review, submit_review

from .conftest import make_order

HISTORY = [
    ("written", "", "pending"),
    ("approved", "pending", "approved"),
    ("answered", "approved", "approved"),
    ("edited", "approved", "pending"),
    ("hidden", "pending", "hidden"),
    ("approved", "hidden", "approved"),
    ("answer_removed", "approved", "approved"),
]


def _review_everything(product, officer):
    line = make_order(product).lines.first()
    review = submit_review(line, rating=5, body="Mật thơm.", author_name="Lan")
    moderate_review(review, "approved", user=officer)
    answer_review(review, "Cảm ơn chị!", user=officer)
    review = submit_review(line, rating=4, body="Hơi ngọt.", author_name="Lan")
    moderate_review(review, "hidden", user=officer, reason="Quảng cáo")
    moderate_review(review, "approved", user=officer)
    answer_review(review, "", user=officer)
    return review


def _history(review):
    return [(e.kind, e.from_status, e.to_status) for e in review.events.all()]


def test_every_review_event_records_the_status_before_and_after(product, officer):
    review = _review_everything(product, officer)

    assert _history(review) == HISTORY
    assert [e.note for e in review.events.all()][3:5] == ["4★", "Quảng cáo"]


def test_the_migration_reads_old_rows_statuses_back_from_their_history(product, officer):
    review = _review_everything(product, officer)
    before = list(review.events.values_list("pk", "kind", "note", "created_at", "user_id"))
    ReviewEvent.objects.update(from_status="", to_status="")  # rows as 0001 left them

    migration = importlib.import_module("reviews.migrations.0002_reviewevent_status_event")
    migration.fill_statuses(apps, None)

    assert _history(review) == HISTORY
    assert list(review.events.values_list("pk", "kind", "note", "created_at", "user_id")) == before
