"""Reads the demo commands need: system-level (the server console), so not scoped to a user."""

from __future__ import annotations

from ganbu.registry.models import Cadre


def demo_cadre_count() -> int:
    """How many cadres the database holds; the demo loads only into a database with none."""
    return Cadre.objects.count()
