"""The test suite's task backend: Django's immediate backend, plus coalescing for factories.

Wagtail enqueues two tasks on every save of an indexed model: its admin search entry and its
reference index. A factory that builds a published product page saves the page three times
(created, revision, published), its variant and its certificate, so each task ran several
times for the same object, each reading the object as it stands. Inside `coalesced_tasks()`
a task enqueued again with the same arguments runs once, when the outermost block ends, in the
same thread and transaction: it then reads the final rows, which is what the last of the
repeated runs saw. Outside such a block (every request, every service a test calls) tasks run
at once, exactly as with `ImmediateBackend`. The flag is per thread: a live server's request
threads are never coalesced.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django_tasks.backends.immediate import ImmediateBackend

_state = threading.local()


class CoalescingImmediateBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        pending = getattr(_state, "pending", None)
        if pending is None:
            return super()._execute_task(task_result)
        key = (task_result.task.module_path, repr(task_result.args), repr(task_result.kwargs))
        pending[key] = (self, task_result)


@contextmanager
def coalesced_tasks() -> Iterator[None]:
    """Run each distinct task enqueued inside the block once, when the outermost block ends."""
    outermost = getattr(_state, "pending", None) is None
    if outermost:
        _state.pending = {}
    try:
        yield
    except BaseException:
        if outermost:  # the rows the tasks would read were not written
            _state.pending = None
        raise
    if outermost:
        pending, _state.pending = _state.pending, None
        for backend, task_result in pending.values():
            ImmediateBackend._execute_task(backend, task_result)
