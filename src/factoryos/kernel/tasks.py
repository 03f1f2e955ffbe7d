"""Background tasks: django-tasks with its database backend; ``manage.py db_worker`` runs them (see settings.TASKS).

- ``enqueue_on_commit(task, *args)``: the task is enqueued when the current transaction commits, so a request that
  rolls back leaves nothing behind (outside a transaction it is enqueued at once). Arguments are JSON: ids, text.
- ``@retrying(attempts=, first_delay=, transient=)``: django-tasks has no retries. A task declared with it that fails
  with an error ``transient(exc)`` accepts enqueues itself again, the same arguments and ``attempt + 1``, to run
  ``first_delay * 2 ** (attempt - 1)`` seconds later; the failed attempt's result is FAILED with its traceback.
  After ``attempts`` attempts, or on an error that is not transient, it gives up and logs why.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_QUEUE_NAME, task
from django_tasks.base import Task

logger = logging.getLogger("factoryos.tasks")


def enqueue_on_commit(work: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``work(*args, **kwargs)`` once the transaction commits (failing to enqueue is logged, not raised:
    the request's own work has committed by then)."""
    transaction.on_commit(lambda: work.enqueue(*args, **kwargs), robust=True)


def backoff(attempt: int, first_delay: float) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, ...): first_delay, twice it, four times..."""
    return first_delay * 2 ** (attempt - 1)


def retrying(
    *,
    attempts: int,
    first_delay: float,
    transient: Callable[[BaseException], bool],
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    priority: int = 0,
) -> Callable[[Callable[..., Any]], Task[..., Any]]:
    """Declare a task (at module level, as ``@task()``) that retries itself with exponential backoff."""

    def declare(func: Callable[..., Any]) -> Task[..., Any]:
        name = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)  # the task's path stays the function's: the worker imports the task by it
        def attempt_once(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                if not transient(exc):
                    logger.error("%s failed (attempt %d), not retried: %r", name, attempt, exc)
                    raise
                if attempt >= attempts:
                    logger.error("%s failed %d times, giving up: %r", name, attempt, exc)
                    raise
                delay = backoff(attempt, first_delay)
                later = declared.using(run_after=timezone.now() + timedelta(seconds=delay))
                later.enqueue(*args, attempt=attempt + 1, **kwargs)
                logger.warning(
                    "%s failed (attempt %d of %d): %r; retrying in %g s", name, attempt, attempts, exc, delay
                )
                raise

        declared: Task[..., Any] = task(queue_name=queue_name, priority=priority)(attempt_once)
        return declared

    return declare
