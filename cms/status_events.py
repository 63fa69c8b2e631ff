"""`StatusEvent`: the abstract append-only history row of anything with a status (a leaf: it
imports nothing of the project). An order's `OrderEvent`, a problem report's
`ProblemReportEvent` and a review's `ReviewEvent` are each one: what happened (`kind`), the
status before and after (equal when the status did not move), a note, who did it and when. Rows are added, never edited
(Saleor's `OrderEvent`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StatusEvent(models.Model):
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"
