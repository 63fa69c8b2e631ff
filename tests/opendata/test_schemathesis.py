"""Schemathesis against /api/openapi.json, through WSGI (no server): no 5xx, and every
response, good or bad input, is valid against the document (status, content type, body).

Each operation gets a few generated valid and invalid inputs (examples are limited to keep the
run near 30 s on one core); detail paths are also tried with ids that exist.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from config.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}


def _run(strategy, examples: int) -> int:
    calls = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case):
        # identity: Django's GZipMiddleware would compress, and this client does not inflate.
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
        calls.append(case)

    check()
    return len(calls)


@pytest.fixture
def keep_test_connection():
    """Calls through the WSGI handler fire request_started/finished, whose handler closes the
    database connection: on PostgreSQL that would close the test's transaction. Django's own
    test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_operation_answers_within_its_schema(catalogue, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    known = {
        "product_id": catalogue["honey"].pk,
        "producer_id": catalogue["honey"].producer_id,
        "certificate_id": catalogue["honey"].certificates.first().pk,
        "area_id": catalogue["area"].pk,
        "code": catalogue["batch"].short_code,
        "point_id": catalogue["point"].pk,
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    calls = 0
    for operation in operations:
        has_parameters = any(True for _ in operation.iter_parameters())
        for mode, examples in EXAMPLES.items():
            if mode is GenerationMode.NEGATIVE and not has_parameters:
                continue  # nothing to make invalid
            calls += _run(operation.as_strategy(generation_mode=mode), examples)
        params = [p.name for p in operation.path_parameters]
        if params:
            existing = operation.as_strategy(path_parameters={p: known[p] for p in params})
            calls += _run(existing, 2)
    assert calls >= len(operations) * 4
