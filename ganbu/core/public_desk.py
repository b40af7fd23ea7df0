"""The public desk's shared mechanism: tracking codes and the rate limit of anonymous forms.

Two desks take submissions from the public without a login: the objections on a notice
(``ganbu.selection``, 群众反映) and the petitions and reports (``ganbu.petitions``, 信访举报).
Both hand the sender a random tracking code and both limit how often one client address may
send. Neither stores the address: the limit counts rows of ``SubmissionThrottle`` holding only a
keyed hash of (scope, address, clock hour) and the hour, in a table apart from any case, so that
nothing joins a submission to its sender (docs/public-pages.md, 隐私).

The rows live in the selection app's table (``selection.SubmissionThrottle``, where the first desk
put them); the campaign registration form counts in the same table with its own scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils import timezone

from ganbu.core.errors import ServiceError
from ganbu.selection.models import SubmissionThrottle

# Letters and digits that cannot be misread for one another (no 0/O, 1/I).
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class ThrottledError(ServiceError):
    """Too many public submissions from one source in the window: the API answers 429, the page too."""


def clock_hour(now: dt.datetime) -> dt.datetime:
    """The start of the clock hour of ``now``: throttle rows keep no finer time than this."""
    return now.replace(minute=0, second=0, microsecond=0)


def throttle_key(source: str, hour: dt.datetime) -> str:
    """A keyed hash of the sender's address and the clock hour: enough to count, useless to identify.

    The hour is part of the key so a key means nothing outside its hour, and rows are kept for two
    hours only; with no finer time than the hour, a row cannot be matched to one submission when
    several came in that hour.
    """
    message = f"{hour.isoformat()}|{source}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_tracking_code() -> str:
    """A random tracking code (60 bits) printed in three groups: ``ABCD-EFGH-JKLM``."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def throttle_count(*, source: str, scope: str, limit: int, window: dt.timedelta, message: str) -> None:
    """Count one submission from ``source`` (the client address); refuse with ``message`` past ``limit``.

    Runs inside the caller's transaction (so a refused submission leaves no row and no case).
    ``scope`` separates the desks' counts ("" is the objection desk's, kept so its keys are
    unchanged); rows older than ``window`` before this hour are deleted here.
    """
    hour = clock_hour(timezone.now())
    key = throttle_key(f"{scope}|{source}" if scope else source, hour)
    SubmissionThrottle.objects.filter(at__lt=hour - window).delete()
    if SubmissionThrottle.objects.filter(key=key, at=hour).count() >= limit:
        raise ThrottledError(message)
    SubmissionThrottle.objects.create(key=key, at=hour)
