"""Services that join the caller's transaction, and their durable twins.

A service is one durable transaction; when a service of another app must do the same work as one
step of its own transaction (an appointment document issued by the appointment procedure, a
selection record opened by a campaign), the work lives in a ``*_within`` function that requires an
open transaction, and the public service is that function run in a durable one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")


def require_atomic(name: str) -> None:
    """``*_within`` functions join the caller's transaction; running one outside any is a bug."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside a transaction")


def durable(fn: Callable[P, R]) -> Callable[P, R]:
    """The durable service of a ``*_within`` function: the same call in its own durable transaction."""

    @functools.wraps(fn)
    def service(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(durable=True):
            return fn(*args, **kwargs)

    return service
