"""The demo's assessment workflow (考核): one closed annual round of a county bureau with its
民主测评 and one 不称职, and one open 平时考核 of another bureau past its day (up to eight cadres each).

Made by ``zzb`` through ``ganbu.assessment.services`` (and the evaluation through the voting
services, attached to the round), so the closed round's grades are in the registry's 年度考核, its
不称职 left a consequence to act on (a to-do with the link into the demotion form of ``exits``),
and the evaluation's 不称职 share above the county threshold waits in the exits' incompetence
cases (EVAL-10). The year is the loader's current year, which the generated history (to 2025)
leaves without grades. Sanctioned cadres, the sensitive units and the cadres of other workflows
are left out, so the grades pass EVAL-08/09 as they are.
"""

from __future__ import annotations

import datetime as dt

from ganbu.assessment import services as assessment
from ganbu.core.errors import ServiceError
from ganbu.registry.choices import CadreStatus, UnitKind
from ganbu.registry.models import Cadre, Unit
from ganbu.voting.choices import BallotKind

from .common import _SENSITIVE_UNITS, MSG_NOTHING
from .moves import _Loader

# Units the access matrix's scene uses for its own rows (tests/access/conftest.py).
_SCENE_UNITS = ("林业局", "民政局")


def _units(loader: _Loader, year: int) -> list[tuple[Unit, list[Cadre]]]:
    """County bureaus with at least five serving cadres free for the demo: none busy in another
    workflow, sanctioned, or graded for ``year``; the first eight of them (by id) are assessed."""
    out: list[tuple[Unit, list[Cadre]]] = []
    free = (
        Cadre.objects.filter(status=CadreStatus.SERVING)
        .exclude(assessments__year=year)
        .exclude(rewards_sanctions__kind="sanction")
        .exclude(pk__in=loader.busy)
    )
    for unit in sorted(loader.units.values(), key=lambda u: u.pk):
        if unit.kind != UnitKind.COUNTY_ORGAN or any(
            w in unit.name for w in (*_SENSITIVE_UNITS, *_SCENE_UNITS)
        ):
            continue
        cadres = list(free.filter(unit=unit).order_by("pk")[:8])
        if len(cadres) >= 5:
            out.append((unit, cadres))
    return out


def demo_assessment(loader: _Loader) -> None:
    """Make the demo's two rounds (see the module's docstring)."""
    today = loader.today
    year = today.year
    options = _units(loader, year)
    if len(options) < 2:
        raise ServiceError(MSG_NOTHING.format(what="可进行年度考核的县直单位（至少 5 名在职干部）"))
    (unit, cadres), (other, others) = loader.rng.sample(options, 2)
    loader.take([*cadres, *others])
    officer = loader.officer
    held = max(dt.date(year, 1, 1), today - dt.timedelta(days=12))

    closed = assessment.round_create(actor=officer, unit=unit, year=year, held_on=held)
    entries = assessment.entries_add(actor=officer, assessment_round=closed, cadres=cadres)
    weak, best = entries[-1], entries[0]
    # The 民主测评 of the round: the weak cadre's 不称职 share above the county's one third.
    per_item = [[3, 9, 6, 12] if e.pk == weak.pk else [14, 14, 2, 0] for e in entries]
    ballot = loader.mass_ballot(
        kind=BallotKind.EVALUATION,
        title=f"{closed.title}民主测评",
        unit=unit,
        items=[{"cadre": e.cadre} for e in entries],
        sheets=loader.evaluation_sheets((("班子成员", 5), ("中层干部", 10), ("干部职工代表", 15)), per_item),
    )
    assessment.round_ballot_attach(actor=officer, assessment_round=closed, ballot=ballot)
    for entry in entries:
        grade = (
            "incompetent" if entry.pk == weak.pk else ("excellent" if entry.pk == best.pk else "competent")
        )
        low, high = (60, 75) if entry.pk == weak.pk else (82, 96)
        assessment.entry_set(
            actor=officer,
            entry=entry,
            data=assessment.EntryInput(
                morality=loader.rng.randint(low, high),
                ability=loader.rng.randint(low, high),
                diligence=loader.rng.randint(low, high),
                performance=loader.rng.randint(low, high),
                integrity=loader.rng.randint(low, high),
                achievement_text="完成年度目标任务"
                if entry.pk != weak.pk
                else "年度目标任务多项未完成，群众反映较大",
                proposed_grade=grade,
                final_grade=grade,
                note="",
            ),
        )
    assessment.round_close(
        actor=officer,
        assessment_round=closed,
        data=assessment.CloseInput(closed_on=min(today, held + dt.timedelta(days=5))),
    )

    regular = assessment.round_create(
        actor=officer,
        unit=other,
        year=year,
        held_on=max(dt.date(year, 1, 1), today - dt.timedelta(days=3)),
        kind="regular",
        note="第四季度平时考核。",
    )
    assessment.entries_add(actor=officer, assessment_round=regular, cadres=others)
