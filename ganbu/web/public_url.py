"""Absolute links that leave the officer's screen (the QR codes of voting slips), on the public address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_url(request: HttpRequest, path: str) -> str:
    """``path`` on ``GANBU_PUBLIC_URL`` when set, else on the address of ``request``.

    Why a setting: an officer printing slips on the server itself browses http://127.0.0.1:8000,
    and a QR code pointing there opens nothing on a voter's phone.
    """
    base = str(getattr(settings, "GANBU_PUBLIC_URL", "") or "").rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path)
