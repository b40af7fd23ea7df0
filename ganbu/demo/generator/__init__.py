"""Generate the demo county 示例县 as plain rows, deterministically and without a database.

Why a separate, database-free generator: the same seed must give the same county on every machine
and every run (tests compare digests, screenshots and the benchmark depend on it), so all
randomness comes from one seeded ``random.Random`` and the only notion of "now" is the explicit
``today`` (default :data:`REFERENCE_DATE`). Rows refer to each other by list index; the loader in
``services.py`` turns indexes into database ids with ``bulk_create``.

The county: root 示例县; 59 county units (48 organs and mass organisations, 11 institutions) each
with internal offices (股室); 12 towns with their offices; 4 state enterprises; 县林业局's 12
forestry stations with 24 station heads (the seed report). About 3,000 cadres at ``scale=1``:
leaders, middle-level heads and deputies, non-leadership posts, staff, and a few who have left
(离岗退养, retired). Every tenure and rank record is created by an item of an appointment document
(任免文件) dated on the day it takes effect.
"""

from __future__ import annotations

import datetime as dt

from .county import _Generator
from .rows import (
    BASE_CADRES,
    CADRE_FIELDS,
    DEFAULT_SEED,
    FIRST_ASSESSMENT_YEAR,
    LAST_ASSESSMENT_YEAR,
    MAX_SCALE,
    MIN_SCALE,
    REFERENCE_DATE,
    AssessmentRow,
    CadreRow,
    DemoData,
    DocumentRow,
    FamilyRow,
    ItemRow,
    PostRow,
    QuotaRow,
    RankRecordRow,
    ReserveRow,
    ResumeRow,
    RewardSanctionRow,
    TenureRow,
    UnitRow,
    people_digest,
)

__all__ = [
    "BASE_CADRES",
    "CADRE_FIELDS",
    "DEFAULT_SEED",
    "FIRST_ASSESSMENT_YEAR",
    "LAST_ASSESSMENT_YEAR",
    "MAX_SCALE",
    "MIN_SCALE",
    "REFERENCE_DATE",
    "AssessmentRow",
    "CadreRow",
    "DemoData",
    "DocumentRow",
    "FamilyRow",
    "ItemRow",
    "PostRow",
    "QuotaRow",
    "RankRecordRow",
    "ReserveRow",
    "ResumeRow",
    "RewardSanctionRow",
    "TenureRow",
    "UnitRow",
    "generate",
    "people_digest",
]


def generate(*, scale: float = 1.0, seed: int = DEFAULT_SEED, today: dt.date = REFERENCE_DATE) -> DemoData:
    """The demo county for ``scale`` (1.0 ≈ 3,000 cadres) and ``seed``, as of ``today``.

    Pure apart from CPU time: the same arguments always give the same rows (see ``DemoData.digest``).
    """
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"规模须在 {MIN_SCALE} 到 {MAX_SCALE} 之间。")
    return _Generator(seed=seed, scale=scale, today=today).build()
