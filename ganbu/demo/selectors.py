"""Reads the demo commands need: system-level (the server console), so not scoped to a user."""

from __future__ import annotations

from ganbu.registry.models import Cadre
from ganbu.registry.selectors import StructureSummary, structure_of


def demo_cadre_count() -> int:
    """How many cadres the database holds; the demo loads only into a database with none."""
    return Cadre.objects.count()


def demo_structure() -> StructureSummary:
    """The dashboard's head counts over every cadre, for the summary ``ganbu demo`` prints.

    Counted by the dashboard's own aggregate (``registry.selectors.structure_of``) after the
    workflows, so the printed 在职, 领导职务 and 后备干部 figures are those a county-wide officer sees.
    """
    return structure_of(Cadre.objects.all())
