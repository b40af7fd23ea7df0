"""Small helpers shared by the endpoint modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest

from ganbu.accounts.models import User
from ganbu.core.errors import ServiceError

from .schemas import ErrorOut

T = TypeVar("T")

# Response declarations for the OpenAPI schema (the handlers in ``errors`` produce the bodies).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def actor(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ``ganbu.api.auth``)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


def referenced(field: str, message: str, fetch: Callable[[], T]) -> T:
    """Fetch an object named in the request body through a scoped selector.

    A related id the user cannot see is bad input (422 on that field), not a missing resource:
    the URL itself exists. The message does not reveal whether the object exists at all.
    """
    try:
        return fetch()
    except Http404:
        raise ServiceError({field: [message]}) from None
