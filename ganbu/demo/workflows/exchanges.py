"""The demo's exchanges (干部交流): the seed's 党外干部挂任, a few exchanges between county units and
towns, and a rotation plan discussed but not yet carried out.

Made by the department's officer (``zzb``) through ``ganbu.exchanges.services``, so the moves end
and start tenures through appointment documents and every step is in the audit trail:

- five non-party cadres (民主党派、无党派) seconded for a year as 局长助理 of a county bureau or
  校长助理 of a county school (党外干部挂任, seed 一(四)); the first one's term ends within the
  month, so the to-do "挂职期满待办理返回" has something to show;
- a town deputy and a county-bureau deputy exchanging posts (转任, 轮岗) two months ago, each with
  its document; and one county deputy seconded down to a town as 党委副书记 (挂职, keeping the own
  post);
- a plan of two moves (another town deputy and county deputy exchanging posts, each in post for
  more than three years, from teams of three or more) discussed at the 部务会 and planned for next
  month, not yet carried out.

Cadres already in another workflow are left out (``loader.busy``); the ones used here are marked.
Dates are relative to the loader's ``today``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ganbu.exchanges import services as exchanges
from ganbu.exchanges.choices import ExchangeKind
from ganbu.registry.choices import CadreStatus, PoliticalStatus, PostKind, UnitKind
from ganbu.registry.models import Cadre, Tenure, Unit

from .moves import _Loader

NONPARTY = (PoliticalStatus.DEMOCRATIC_PARTY, PoliticalStatus.NON_PARTY)
TEAM_KINDS = (PostKind.HEAD, PostKind.DEPUTY)
#: A team this size or larger may lose one member to a plan (a third of 3, rounded down, is 1).
MIN_TEAM = 3
SCHOOL_WORDS = ("中学", "学校")


def _hosts(loader: _Loader) -> list[tuple[Unit, str]]:
    """County bureaus and schools that host a 党外干部挂任, with the host post's title."""
    hosts: list[tuple[Unit, str]] = []
    for unit in sorted(loader.units.values(), key=lambda u: u.pk):
        if unit.parent_id != loader.root.pk or unit.pk not in loader.county_units:
            continue
        if unit.kind == UnitKind.COUNTY_ORGAN and unit.name.endswith("局"):
            hosts.append((unit, "局长助理"))
        elif unit.kind == UnitKind.INSTITUTION and any(w in unit.name for w in SCHOOL_WORDS):
            hosts.append((unit, "校长助理"))
    return hosts


def _nonparty_secondments(loader: _Loader) -> None:
    """Five non-party cadres seconded for a year as bureau or school director assistants."""
    cadres = list(
        Cadre.objects.filter(
            political_status__in=NONPARTY,
            status=CadreStatus.SERVING,
            unit_id__in=loader.county_units,
        )
        .exclude(pk__in=loader.busy)
        .select_related("unit")
        .order_by("pk")[:40]
    )
    hosts = _hosts(loader)
    if not cadres or not hosts:
        return
    chosen = loader.rng.sample(cadres, min(5, len(cadres)))
    loader.take(chosen)
    bureaus = [h for h in hosts if h[1] == "局长助理"]
    schools = [h for h in hosts if h[1] == "校长助理"]
    for n, cadre in enumerate(chosen):
        pool = [h for h in (schools if n % 2 and schools else bureaus or schools) if h[0].pk != cadre.unit_id]
        unit, title = loader.rng.choice(pool)
        # The first term ends within the month (a return to record); the others run into next year.
        start = loader.today - dt.timedelta(days=345 if n == 0 else 120 + 20 * n)
        exchanges.exchange_record(
            actor=loader.officer,
            cadre=cadre,
            kind=ExchangeKind.NONPARTY_SECONDMENT,
            start_on=start,
            to_unit=unit,
            host_post_title=title,
            planned_end_on=start + dt.timedelta(days=365),
            decision_number=loader.number("示组干", start.year),
            note="党外干部挂职锻炼，挂职期间保留原职务。",
        )


def _team_sizes(loader: _Loader) -> Counter[int]:
    """How many members (正职 and 副职 holders) each unit's team has today."""
    return Counter(t.post.unit_id for t in loader.current.values() if t.post.kind in TEAM_KINDS)


def _deputy(loader: _Loader, unit_kind: str, served_since: dt.date, exclude: set[int]) -> Tenure | None:
    """A deputy of a top unit of ``unit_kind`` in post since ``served_since`` or earlier, whose team has
    at least three members (so one move is within a third of it), outside the units in ``exclude``."""
    sizes = _team_sizes(loader)
    pool = sorted(
        (
            t
            for t in loader.current.values()
            if t.post.kind == PostKind.DEPUTY
            and t.cadre_id not in loader.busy
            and t.start_date <= served_since
            and t.post.unit_id not in exclude
            and loader.top(t.post.unit_id).kind == unit_kind
            and t.post.unit_id == loader.top(t.post.unit_id).pk
            and sizes[t.post.unit_id] >= MIN_TEAM
        ),
        key=lambda t: t.cadre_id,
    )
    if not pool:
        return None
    chosen = loader.rng.choice(pool)
    loader.take([chosen.cadre])
    return chosen


def _pair(loader: _Loader, served_since: dt.date, exclude: set[int]) -> tuple[Tenure, Tenure] | None:
    """A town deputy and a county-bureau deputy who exchange posts (交流任职: each takes the other's)."""
    town = _deputy(loader, UnitKind.TOWN, served_since, exclude)
    county = _deputy(loader, UnitKind.COUNTY_ORGAN, served_since, exclude)
    if town is None or county is None:
        return None
    exclude.update({town.post.unit_id, county.post.unit_id})
    return town, county


def _moves(loader: _Loader, exclude: set[int]) -> None:
    """A town deputy and a county deputy exchange posts two months ago, each by a document; and a
    county deputy seconded down to a town as 党委副书记 (挂职) keeping the own post."""
    on = loader.today - dt.timedelta(days=60)
    pair = _pair(loader, on - dt.timedelta(days=3 * 366), exclude)
    if pair is not None:
        town, county = pair
        for tenure, to_post, kind, why in (
            (town, county.post, ExchangeKind.TRANSFER, "乡镇干部到县直单位任职"),
            (county, town.post, ExchangeKind.ROTATION, "县直单位干部到乡镇任职"),
        ):
            exchanges.exchange_record(
                actor=loader.officer,
                cadre=tenure.cadre,
                kind=kind,
                start_on=on,
                from_post=tenure.post,
                to_post=to_post,
                document_number=loader.number("示委干", on.year),
                document_title=f"关于{tenure.cadre.name}同志职务任免的通知",
                issued_on=on,
                note=why,
            )
            loader.current.pop(tenure.cadre_id, None)
    down = _deputy(loader, UnitKind.COUNTY_ORGAN, on, exclude)
    towns = sorted(
        (u for u in loader.units.values() if u.kind == UnitKind.TOWN and u.pk in loader.county_units),
        key=lambda u: u.pk,
    )
    if down is not None and towns:
        start = loader.today - dt.timedelta(days=90)
        exchanges.exchange_record(
            actor=loader.officer,
            cadre=down.cadre,
            kind=ExchangeKind.SECONDMENT,
            start_on=start,
            to_unit=loader.rng.choice(towns),
            host_post_title="党委副书记（挂职）",
            planned_end_on=start + dt.timedelta(days=365),
            decision_number=loader.number("示组干", start.year),
            note="下派乡镇挂职锻炼一年。",
        )


def _plan(loader: _Loader, exclude: set[int]) -> None:
    """A plan of two moves (a town deputy and a county deputy exchanging posts), discussed at the
    部务会 and planned for next month, not yet carried out."""
    planned = loader.today + dt.timedelta(days=30)
    pair = _pair(loader, planned - dt.timedelta(days=3 * 366), exclude)
    if pair is None:
        return
    town, county = pair
    plan = exchanges.plan_create(
        actor=loader.officer,
        title=f"{planned.year}年县直单位与乡镇领导干部交流方案",
        planned_on=planned,
        note="县直单位与乡镇之间双向交流，经部务会讨论后报县委常委会。",
    )
    for tenure, to_post, kind in (
        (town, county.post, ExchangeKind.TRANSFER),
        (county, town.post, ExchangeKind.ROTATION),
    ):
        exchanges.move_add(
            actor=loader.officer,
            plan=plan,
            cadre=tenure.cadre,
            from_post=tenure.post,
            to_post=to_post,
            kind=kind,
        )
    exchanges.plan_discuss(
        actor=loader.officer,
        plan=plan,
        discussed_on=loader.today - dt.timedelta(days=3),
        meeting="县委组织部部务会",
    )


def demo_exchanges(loader: _Loader) -> None:
    """Make the demo's exchanges and plan through the services (see the module's docstring)."""
    exclude: set[int] = set()  # units already touched: one move per team in this demo
    _nonparty_secondments(loader)
    _moves(loader, exclude)
    _plan(loader, exclude)
