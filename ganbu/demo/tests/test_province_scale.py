"""The demo at any size: the same invariants at two sizes, derived fields as the services derive them,
a valid audit chain, and free deputy seats for the workflows beyond the county's own size.

Province sizes (100,000 and 500,000 cadres) are measured by the benchmark, not here: these tests
check, at sizes the suite can afford, the properties that make the large loads right.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ganbu.core.audit import audit_verify
from ganbu.demo import data as demo_data
from ganbu.demo.generator import DemoData, generate
from ganbu.demo.loading import reserve_ids, write_rows
from ganbu.demo.services import demo_load, scale_for
from ganbu.demo.workflows.vacancy import most_held_since, units_with_free_seat
from ganbu.registry.choices import EDUCATION_ORDER, CadreStatus, PostKind, UnitKind
from ganbu.registry.models import Cadre, Quota, ReserveMembership, Tenure, Unit
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.registry.services.documents import _DERIVED_FIELDS, _refresh_derived

# Generated only (fast): the county's own size and two and a half times it. Loaded: below and above 1.
SIZES = (1.0, 2.5)
LOADED_SIZES = (0.3, 1.4)


def _invariants(demo: DemoData) -> dict[str, object]:
    """The properties every generated county must have; returns a few ratios to compare across sizes."""
    units, posts = demo.units, demo.posts
    current: dict[int, list] = defaultdict(list)
    for t in demo.tenures:
        if t.end_date is None:
            current[t.cadre].append(t)
    open_ranks = {r.cadre: r.rank for r in demo.rank_records if r.end_date is None}
    reserve = {r.cadre for r in demo.reserve if r.end_date is None}
    for i, c in enumerate(demo.cadres):
        assert 0 <= c.unit < len(units)
        assert c.name_pinyin == name_pinyin(c.name) and c.name_initials == name_initials(c.name)
        educations = [e for e in (c.ft_education, c.ip_education) if e]
        assert c.highest_education == min(educations, key=EDUCATION_ORDER.__getitem__)
        assert c.rank == open_ranks[i]
        assert c.is_reserve == (i in reserve)
        if c.status == CadreStatus.SERVING:
            # Every serving cadre holds one post, in the unit the record names.
            (t,) = current[i]
            post = posts[t.post]
            assert post.unit == c.unit
            assert c.is_leadership == post.is_leadership
            assert c.current_post_text == f"{units[post.unit].name}{post.title}"
        else:
            assert i not in current and not c.is_leadership and c.current_post_text == ""
    # Quotas hold the holders, but for the two units the seed report staffs above quota (超职数).
    filled = Counter((posts[t.post].unit, posts[t.post].kind) for ts in current.values() for t in ts)
    quota = {(q.unit, q.kind): q.number for q in demo.quotas}
    over = {unit for (unit, kind), n in filled.items() if (unit, kind) in quota and n > quota[(unit, kind)]}
    assert len(over) <= 2, [units[u].name for u in over]
    assert all(
        posts[t.post].counts_toward_quota is False or (posts[t.post].unit, posts[t.post].kind) in quota
        for ts in current.values()
        for t in ts
    )
    serving = [c for c in demo.cadres if c.status == CadreStatus.SERVING]
    return {
        "leaders": sum(c.is_leadership for c in serving) / len(serving),
        "women": sum(c.gender == "F" for c in demo.cadres) / len(demo.cadres),
    }


def test_the_same_invariants_at_two_sizes():
    small, large = (generate(scale=s) for s in SIZES)
    ratios = [_invariants(small), _invariants(large)]
    # Beyond scale 1 the registry grows by towns (with their school and health centre), so the
    # share of leaders stays that of a county instead of falling as staff pile into the same units.
    assert len(large.units) > len(small.units) == 319
    assert abs(ratios[0]["leaders"] - ratios[1]["leaders"]) < 0.08
    assert abs(ratios[0]["women"] - ratios[1]["women"]) < 0.05
    names = [u.name for u in large.units]
    assert len(names) == len(set(names)), "unit names are unique at any size"


def test_the_size_can_be_asked_in_cadres():
    assert scale_for(30_000) == 10.0
    assert len(generate(scale=scale_for(4_500)).cadres) == 4_500


def test_free_deputy_seats_at_scale_ten():
    """At ten times the county (30,000 cadres) a county unit still has a deputy seat free since 2024.

    Before the county grew with its towns, careers of the extra cadres filled every deputy seat
    and the workflows stopped with 「找不到 2024 年以来有空余副职职数的县直单位」.
    """
    demo = generate(scale=10.0)
    # The county's own units, where the workflows run (the extra towns only add volume).
    own = {s.name for s in demo_data.COUNTY_UNITS}
    county = [i for i, u in enumerate(demo.units) if u.parent == demo.root and u.name in own]
    quotas = {q.unit: q.number for q in demo.quotas if q.kind == PostKind.DEPUTY}
    held: dict[int, list] = defaultdict(list)
    for t in demo.tenures:
        post = demo.posts[t.post]
        if post.kind == PostKind.DEPUTY and post.counts_toward_quota:
            held[post.unit].append((t.start_date, t.end_date))
    free = units_with_free_seat(county, quotas, held, dt.date(2024, 3, 4))
    assert len(free) >= 3
    assert any(demo.units[u].name.endswith("局") for u in free)


def test_most_held_since_counts_overlaps_from_the_date_on():
    d = dt.date
    spans = [(d(2020, 1, 1), d(2024, 6, 1)), (d(2024, 3, 1), None), (d(2024, 7, 1), None)]
    assert most_held_since(spans, d(2024, 1, 1)) == 2
    assert most_held_since(spans, d(2025, 1, 1)) == 2
    assert most_held_since([], d(2024, 1, 1)) == 0
    assert units_with_free_seat([1, 2], {1: 3, 2: 2}, {1: spans, 2: spans}, d(2024, 1, 1)) == [1]


@pytest.mark.django_db
def test_rows_are_written_with_the_ids_reserved_for_them():
    root = Unit.objects.create(name="测试县", kind=UnitKind.COUNTY)
    start = reserve_ids(Unit, 2)
    assert start > root.pk
    written = write_rows(
        Unit,
        ("name", "kind", "parent_id"),
        [("甲局", UnitKind.COUNTY_ORGAN, root.pk), ("乙局", UnitKind.COUNTY_ORGAN, root.pk)],
        count=2,
        start=start,
    )
    assert written == start
    assert reserve_ids(Unit, 1) > start + 1  # the next block starts after this one
    assert list(Unit.objects.filter(pk__gte=start).values_list("pk", "name", "is_active")) == [
        (start, "甲局", True),
        (start + 1, "乙局", True),
    ]
    # The identity sequence (PostgreSQL) or the table (SQLite) gives the next row an id after the block.
    assert Unit.objects.create(name="丙局", kind=UnitKind.COUNTY_ORGAN, parent=root).pk > start + 1


def _check_loaded(on: dt.date) -> None:
    """Derived fields as the registry services derive them, quotas, units, and the audit chain."""
    for cadre in Cadre.objects.order_by("pk"):
        stored = {f: getattr(cadre, f) for f in _DERIVED_FIELDS}
        _refresh_derived(cadre, on)
        assert {f: getattr(cadre, f) for f in _DERIVED_FIELDS} == stored, cadre.name
        assert cadre.name_pinyin == name_pinyin(cadre.name)
        assert cadre.name_initials == name_initials(cadre.name)
        educations = [e for e in (cadre.ft_education, cadre.ip_education) if e]
        assert cadre.highest_education == min(educations, key=EDUCATION_ORDER.__getitem__)
    reserve = set(ReserveMembership.objects.filter(end_date__isnull=True).values_list("cadre_id", flat=True))
    assert set(Cadre.objects.filter(is_reserve=True).values_list("pk", flat=True)) == reserve
    assert not Cadre.objects.filter(status=CadreStatus.SERVING, unit__isnull=True).exists()
    filled = Counter(
        Tenure.objects.filter(end_date__isnull=True, post__counts_toward_quota=True).values_list(
            "post__unit_id", "post__kind"
        )
    )
    quota = {(q.unit_id, q.kind): q.number for q in Quota.objects.all()}
    over = [(key, n, quota.get(key, 0)) for key, n in filled.items() if n > quota.get(key, 0)]
    # Leadership seats: only the two units staffed above quota by design (超职数配备). Non-leadership
    # posts are left out: the workflows' 改任非领导职务 and the veterans they enter take a 主任科员
    # or 副主任科员 post whether or not the unit has one free, as the services allow.
    assert len([o for o in over if o[0][1] != PostKind.NON_LEADERSHIP]) <= 2, over
    paths_ok = all(u.path.endswith(f"{u.pk:06d}.") for u in Unit.objects.all())
    assert paths_ok
    report = audit_verify(checkpoints=None)
    assert report.ok, report.problem


@pytest.mark.django_db(transaction=True)
def test_loaded_county_at_two_sizes_matches_the_services_and_the_chain_verifies():
    on = timezone.localdate()
    for scale in LOADED_SIZES:
        summary = demo_load(actor=None, scale=scale)
        assert summary.workflows is not None, summary.workflows_skipped
        assert Cadre.objects.count() >= summary.cadres
        assert summary.county_units == len(demo_data.COUNTY_UNITS)  # the added towns' schools are not 县直
        if scale > 1:
            towns = Unit.objects.filter(kind=UnitKind.TOWN).count()
            assert towns > len(demo_data.TOWN_NAMES)
        _check_loaded(on)
        # The registry went in by COPY on PostgreSQL, by batched INSERTs elsewhere: same result.
        assert connection.vendor in ("postgresql", "sqlite")
        if connection.vendor == "postgresql":
            # Analysed right after the load, so the planner does not take the tables for empty.
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_cadre'")
                assert cursor.fetchone()[0] >= summary.cadres * 0.9
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_scale_extras_make_a_large_campaign_and_ballot_through_the_services():
    from ganbu.campaigns.models import Application, Campaign
    from ganbu.demo.extras import demo_scale_extras
    from ganbu.demo.services import _registry_load
    from ganbu.voting.models import Ballot, BallotResult

    _registry_load(actor=None, scale=0.3, seed=2002, progress=None)
    made = demo_scale_extras(applicants=40, sheets=30, items=3, finish="tallied")
    assert made.applications == 40 == Application.objects.filter(campaign_id=made.campaign_id).count()
    assert Campaign.objects.get(pk=made.campaign_id).status == "review"
    ballot = Ballot.objects.get(pk=made.ballot_id)
    assert (made.items, made.sheets, ballot.status) == (3, 30, "tallied")
    assert BallotResult.objects.filter(ballot=ballot).count() == 3
    assert made.key_shares == ()
    still_open = demo_scale_extras(applicants=0, sheets=5, items=2)
    assert still_open.campaign_id is None and still_open.ballot_status == "open"
    assert len(still_open.key_shares) >= 2  # for the caller to close and count it
    assert audit_verify(checkpoints=None).ok
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_the_command_takes_the_size_in_cadres():
    import io

    out = io.StringIO()
    call_command("demo", "--cadres", "300", stdout=out)
    text = out.getvalue()
    assert "规模 0.1，" in text and "（" in text.split("[ 1/14]")[1].splitlines()[0]  # seconds so far
    assert Cadre.objects.count() >= 300
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
