"""The demo generator, without a database: determinism, the seed report's numbers, consistency."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import pairwise

import pytest

from ganbu.demo import data as demo_data
from ganbu.demo.generator import REFERENCE_DATE, DemoData, generate
from ganbu.registry.choices import (
    EDUCATION_ORDER,
    LEADERSHIP_KINDS,
    RANK_ORDER,
    CadreStatus,
    PostKind,
    UnitKind,
)
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.rules import plausibility
from ganbu.rules.dates import age_on
from ganbu.rules.idcard import parse_id_number
from ganbu.rules.plausibility import PersonDates
from ganbu.rules.sanctions import SanctionType, impact_period


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate()


def _current(demo: DemoData) -> dict[int, list]:
    held = defaultdict(list)
    for t in demo.tenures:
        if t.end_date is None:
            held[t.cadre].append(t)
    return held


def test_same_seed_same_county_and_other_seed_other_people(demo):
    again = generate()
    assert again.digest() == demo.digest()
    assert again.people_digest() == demo.people_digest()
    other = generate(seed=7)
    assert other.people_digest() != demo.people_digest()
    assert [c.name for c in other.cadres[:50]] != [c.name for c in demo.cadres[:50]]


def test_today_is_explicit_and_defaults_to_the_reference_date(demo):
    assert demo.today == REFERENCE_DATE
    later = generate(today=REFERENCE_DATE + dt.timedelta(days=400))
    assert later.today == REFERENCE_DATE + dt.timedelta(days=400)
    # Nothing is dated after "today": documents, tenures, assessments years.
    assert max(d.issued_on for d in demo.documents) <= REFERENCE_DATE
    assert max(t.start_date for t in demo.tenures) <= REFERENCE_DATE


def test_the_seed_reports_county_structure(demo):
    units = demo.units
    root = units[demo.root]
    assert (root.name, root.kind, root.parent) == ("示例县", UnitKind.COUNTY, None)
    top = [u for u in units if u.parent == demo.root]
    assert sum(1 for u in top if u.kind == UnitKind.TOWN) == 12
    assert sum(1 for u in top if u.kind in (UnitKind.COUNTY_ORGAN, UnitKind.INSTITUTION)) == 59
    assert sum(1 for u in top if u.kind == UnitKind.ENTERPRISE) >= 3
    assert units[demo.forestry_bureau].name == "县林业局"
    stations = [
        i for i, u in enumerate(units) if u.parent == demo.forestry_bureau and u.name.endswith("林业站")
    ]
    assert len(stations) == 12
    assert all(units[i].kind == UnitKind.INTERNAL for i in stations)
    # 24 station heads (站长 and 副站长) currently in post, as in the seed report.
    station_heads = [
        t
        for t in demo.tenures
        if t.end_date is None
        and demo.posts[t.post].unit in stations
        and demo.posts[t.post].kind in (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY)
    ]
    assert len(station_heads) == 24


@pytest.mark.parametrize("scale, expected", [(1.0, 3000), (2.0, 6000)])
def test_cadre_count_follows_the_scale(scale, expected):
    demo = generate(scale=scale)
    assert abs(len(demo.cadres) - expected) <= expected * 0.05
    # Beyond scale 1 the county grows by towns (each with its school and health centre).
    units = len(generate(scale=1.0).units)
    assert len(demo.units) == units if scale <= 1 else len(demo.units) > units


def test_scale_outside_the_bounds_is_refused():
    with pytest.raises(ValueError, match="规模"):
        generate(scale=0)
    with pytest.raises(ValueError, match="规模"):
        generate(scale=1000)


def test_people_look_like_a_county_cadre_force(demo):
    cadres = demo.cadres
    women = sum(1 for c in cadres if c.gender == "F") / len(cadres)
    assert 0.25 <= women <= 0.35
    ages = [age_on(c.birth_date, demo.today) for c in cadres]
    assert min(ages) >= 22 and max(ages) <= 60
    ethnicities = Counter(c.ethnicity for c in cadres)
    assert ethnicities.most_common(1)[0][0] == "汉族" and len(ethnicities) >= 3
    statuses = Counter(c.status for c in cadres)
    assert statuses[CadreStatus.SERVING] > 0.9 * len(cadres)
    assert statuses[CadreStatus.EARLY_EXIT] > 0 and statuses[CadreStatus.RETIRED] > 0
    leaders = [a for c, a in zip(cadres, ages, strict=True) if c.rank == "section" and c.status == "serving"]
    staff = [a for c, a in zip(cadres, ages, strict=True) if c.rank == "staff" and c.status == "serving"]
    assert sum(leaders) / len(leaders) > sum(staff) / len(staff) + 5
    assert 120 <= sum(1 for c in cadres if c.is_reserve) <= 180
    assert len({c.highest_education for c in cadres}) >= 4


def test_every_id_number_is_valid_unique_and_matches_the_record(demo):
    seen = set()
    for c in demo.cadres:
        parsed = parse_id_number(c.id_number, today=demo.today)
        assert parsed.value == c.id_number
        assert parsed.birth_date == c.birth_date, c
        assert parsed.gender == c.gender, c
        seen.add(c.id_number)
    assert len(seen) == len(demo.cadres)


def test_dates_in_a_life_are_in_order(demo):
    for c in demo.cadres:
        assert age_on(c.birth_date, c.work_start_date) >= 18, c
        if c.party_join_date:
            assert age_on(c.birth_date, c.party_join_date) >= 18, c
            assert c.party_join_date <= demo.today
        else:
            assert c.political_status not in ("cpc", "cpc_probationary")


def test_every_tenure_comes_from_a_document_item(demo):
    items = demo.items
    for t in demo.tenures:
        start = items[t.start_item]
        assert (start.kind, start.cadre, start.post, start.effective_on) == (
            "appoint",
            t.cadre,
            t.post,
            t.start_date,
        )
        assert demo.documents[start.document].issued_on == t.start_date
        if t.end_date is None:
            assert t.end_item is None
        else:
            assert t.end_date > t.start_date
            end = items[t.end_item]
            assert (end.kind, end.cadre, end.post, end.effective_on) == (
                "remove",
                t.cadre,
                t.post,
                t.end_date,
            )
    for r in demo.rank_records:
        item = items[r.item]
        assert (item.kind, item.cadre, item.rank, item.effective_on) == (
            "rank",
            r.cadre,
            r.rank,
            r.start_date,
        )
    assert len({d.number for d in demo.documents}) == len(demo.documents)
    assert any(d.number.startswith("示组字〔2021〕") for d in demo.documents)


def test_careers_are_continuous_and_start_at_work(demo):
    by_cadre = defaultdict(list)
    for t in demo.tenures:
        by_cadre[t.cadre].append(t)
    ended = 0
    for index, c in enumerate(demo.cadres):
        tenures = sorted(by_cadre[index], key=lambda t: t.start_date)
        assert tenures[0].start_date == c.work_start_date
        for a, b in pairwise(tenures):
            assert a.end_date == b.start_date and a.post != b.post
        ended += sum(1 for t in tenures if t.end_date)
    assert ended > 1000


def test_derived_fields_match_tenures_rank_records_and_names(demo):
    current = _current(demo)
    open_ranks = {r.cadre: r.rank for r in demo.rank_records if r.end_date is None}
    for index, c in enumerate(demo.cadres):
        held = current.get(index, [])
        if c.status == CadreStatus.SERVING:
            assert len(held) == 1
            post = demo.posts[held[0].post]
            assert c.is_leadership == post.is_leadership == (post.kind in LEADERSHIP_KINDS)
            assert c.unit == post.unit
            assert c.current_post_text == demo.units[post.unit].name + post.title
        else:
            assert held == [] and not c.is_leadership and c.current_post_text == ""
        assert c.rank == open_ranks[index]
        assert c.name_pinyin == name_pinyin(c.name) and c.name_initials == name_initials(c.name)
        educations = [e for e in (c.ft_education, c.ip_education) if e]
        assert c.highest_education == min(educations, key=EDUCATION_ORDER.__getitem__)
    assert set(RANK_ORDER) >= {c.rank for c in demo.cadres}


def test_management_authority_follows_the_post(demo):
    current = _current(demo)
    for index, c in enumerate(demo.cadres):
        if c.status != CadreStatus.SERVING:
            continue
        kind = demo.posts[current[index][0].post].kind
        expected = {"head": "county_committee", "deputy": "county_committee", "staff": "unit"}.get(
            kind, "org_department"
        )
        assert c.management_authority == expected


def test_quotas_have_vacancies_and_one_or_two_units_over(demo):
    quota = {(q.unit, q.kind): q.number for q in demo.quotas}
    filled = Counter()
    for t in demo.tenures:
        post = demo.posts[t.post]
        if t.end_date is None and post.counts_toward_quota:
            filled[(post.unit, post.kind)] += 1
    over = [key for key, n in filled.items() if n > quota.get(key, 0)]
    vacancies = sum(max(0, number - filled[key]) for key, number in quota.items())
    assert 1 <= len(over) <= 2
    assert vacancies >= 10


def test_single_seat_posts_never_have_two_holders_at_once(demo):
    periods = defaultdict(list)
    for t in demo.tenures:
        if demo.posts[t.post].kind in (PostKind.HEAD, PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY):
            periods[t.post].append((t.start_date, t.end_date or dt.date.max))
    for spans in periods.values():
        spans.sort()
        for (_, end), (start, _) in pairwise(spans):
            assert start >= end


def test_family_members_include_demo_cadres_of_the_same_unit(demo):
    related = [f for f in demo.family if f.related_cadre is not None]
    assert len(related) >= 10
    top_of = {}
    for i, u in enumerate(demo.units):
        top_of[i] = i if u.parent in (None, demo.root) else top_of[u.parent]
    for f in related:
        a, b = demo.cadres[f.cadre], demo.cadres[f.related_cadre]
        assert top_of[a.unit] == top_of[b.unit]
        assert f.name == b.name and f.birth_date == b.birth_date
    spouses = [f for f in related if f.relation in ("丈夫", "妻子")]
    assert spouses and all(
        demo.cadres[f.cadre].gender != demo.cadres[f.related_cadre].gender for f in spouses
    )
    for f in demo.family:
        if f.birth_date and f.relation in ("儿子", "女儿"):
            assert f.birth_date > demo.cadres[f.cadre].birth_date
        if f.birth_date and f.relation in ("父亲", "母亲"):
            assert f.birth_date < demo.cadres[f.cadre].birth_date


def test_assessments_rewards_sanctions_and_reserve(demo):
    grades = Counter(a.grade for a in demo.assessments)
    graded = sum(grades.values()) - grades["ungraded"]
    assert 0.10 <= grades["excellent"] / graded <= 0.20
    assert grades["competent"] > grades["excellent"] > grades["basic"] > 0 and grades["incompetent"] > 0
    assert {a.year for a in demo.assessments} == set(range(2021, 2026))
    sanctions = [r for r in demo.rewards_sanctions if r.kind == "sanction"]
    assert sanctions and all(r.effective_until and r.effective_until > r.decided_on for r in sanctions)
    assert sum(1 for r in sanctions if r.effective_until > demo.today) >= 5
    sources = {r.source for r in demo.reserve}
    assert {"民主推荐", "竞争上岗", "公开选拔", demo_data.WOMEN_SELECTION_2002} <= sources
    current = {r.cadre for r in demo.reserve if r.end_date is None}
    assert current == {i for i, c in enumerate(demo.cadres) if c.is_reserve}


def test_resume_follows_education_then_posts(demo):
    by_cadre = defaultdict(list)
    for r in demo.resume:
        by_cadre[r.cadre].append(r)
    for index, lines in by_cadre.items():
        starts = [r.start_date for r in lines]
        assert starts == sorted(starts)
        assert [r.sort_order for r in lines] == list(range(1, len(lines) + 1))
        last = lines[-1]
        assert last.end_date is None
        if demo.cadres[index].status == CadreStatus.SERVING:
            assert last.text.startswith(demo.cadres[index].current_post_text)
    assert len(by_cadre) == len(demo.cadres)


def test_self_service_cadre_is_serving_staff_of_the_forestry_bureau(demo):
    cadre = demo.cadres[demo.self_service_cadre]
    assert cadre.status == CadreStatus.SERVING
    assert demo.units[demo.units[cadre.unit].parent].name == "县林业局"


def test_sanction_periods_are_the_rules_own(demo):
    """Issue 10, item 6: the demo stored decision + N months, one day longer than the catalogue's
    convention (``effective_until`` is the last day of the 影响期); it now uses the rule itself."""
    sanctions = [r for r in demo.rewards_sanctions if r.kind == "sanction"]
    assert sanctions
    for r in sanctions:
        period = impact_period(r.sanction_type, r.decided_on)
        assert r.effective_until == period.until, r
        assert r.name == SanctionType(r.sanction_type).label
    rewards = [r for r in demo.rewards_sanctions if r.kind == "reward"]
    assert all(r.sanction_type == "" and r.effective_until is None for r in rewards)


def test_every_date_of_every_record_is_plausible(demo):
    """Issue 10, item 2: the demo obeys the same plausibility rules as the services."""
    today = demo.today
    people = [PersonDates(c.birth_date, c.work_start_date, c.party_join_date) for c in demo.cadres]
    problems = []
    for person in people:
        problems += plausibility.check_person(person, today=today)
    for t in demo.tenures:
        problems += plausibility.check_appointment(
            people[t.cadre], field="tenure", label="任职", on=t.start_date
        )
    for r in demo.rank_records:
        problems += plausibility.check_appointment(
            people[r.cadre], field="rank", label="职级", on=r.start_date
        )
    for e in demo.resume:
        problems += plausibility.check_resume_entry(
            people[e.cadre], start=e.start_date, end=e.end_date, today=today
        )
    for f in demo.family:
        if f.birth_date:
            problems += plausibility.check_relative_birth(value=f.birth_date, today=today)
    for a in demo.assessments:
        problems += plausibility.check_assessment_year(people[a.cadre], year=a.year, today=today)
    for r in demo.rewards_sanctions:
        problems += plausibility.check_decision(
            people[r.cadre], field="rs", label="决定日期", on=r.decided_on, today=today
        )
    assert problems == []
