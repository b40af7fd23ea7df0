"""The term limits among a candidate's checks (ROT-04, ROT-05, ROT-13): found, shown, lifted as the others.

The scene's vacancy is 县财政局副局长 (a 副科 post of a county organ: not listed by 任期规定第二条, so the
county's two-term rule ROT-13 applies and may be lifted with the leadership's approval); a court
president's post stands for the listed posts, where ROT-04 and ROT-05 block.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.errors import ServiceError
from ganbu.policy.services import policy_set
from ganbu.registry.choices import PostKind, Rank
from ganbu.registry.models import Quota, Tenure
from ganbu.registry.tests.factories import PostFactory, UnitFactory
from ganbu.rotation.tests.helpers import tenure
from ganbu.rules import eligibility as el
from ganbu.selection import services
from ganbu.selection.models import Candidate
from ganbu.selection.tests.fixtures import drive

D = dt.date
ON = D(2024, 8, 15)  # the day the scene's candidates are chosen


def messages(exc: pytest.ExceptionInfo[ServiceError]) -> str:
    """All messages of a service error, joined."""
    return " ".join(exc.value.messages)


def _choose(scene, people):
    return services.candidates_set(
        actor=scene.officer,
        record=scene.record,
        choices=[services.Choice(cadre=p, post=scene.post) for p in people],
        on=ON,
    )


def _held_same_post_since(scene, cadre, start):
    """``cadre`` holds 县财政局副局长 (the same title at the same unit as the vacancy) since ``start``."""
    earlier = PostFactory(unit=scene.unit, title="副局长")
    Quota.objects.filter(unit=scene.unit, kind=PostKind.DEPUTY).update(number=3)  # the holder is counted
    tenure(cadre, earlier, start)


def test_two_terms_in_the_same_post_are_found_on_the_second_terms_end_and_not_the_day_before(scene):
    _held_same_post_since(scene, scene.people[1], D(2014, 8, 16))
    drive(scene, "recommendation")
    assert len(_choose(scene, scene.people[:2])) == 2  # 2024-08-15 is the day before the tenth anniversary

    Candidate.objects.all().delete()
    Tenure.objects.filter(cadre=scene.people[1]).update(start_date=D(2014, 8, 15))
    drive(scene, "recommendation")
    with pytest.raises(ServiceError) as err:
        _choose(scene, scene.people[:2])
    text = messages(err)
    assert "孙乙" in text and "2014年8月15日" in text and "2024年8月15日已满2个任期" in text
    assert "本县政策" in text and "须经组织部领导批准例外" in text


def test_the_countys_number_of_terms_is_read_from_its_policy(scene, make_user):
    _held_same_post_since(scene, scene.people[1], D(2014, 8, 15))
    policy_set(
        actor=make_user("admin"),
        key="rotation.terms",
        value="3",
        effective_from=D(2024, 1, 1),
        note="县委常委会",
    )
    drive(scene, "recommendation")
    assert len(_choose(scene, scene.people[:2])) == 2


def test_the_county_rule_is_lifted_by_the_leaderships_approval_and_recorded(scene):
    _held_same_post_since(scene, scene.people[1], D(2014, 8, 14))  # two terms full on the approval's day
    record = drive(scene, "recommendation")
    services.override_grant(
        actor=scene.leader,
        record=record,
        rule="ROT-13",
        reason="换届时班子需要保持稳定，经部务会研究连任",
        approved_on=D(2024, 8, 14),
        cadre=scene.people[1],
    )
    made = _choose(scene, scene.people[:2])
    second = next(c for c in made if c.cadre == scene.people[1])
    row = next(f for f in second.findings if f["rule"] == "ROT-13")
    assert row["overridden"] and row["severity"] == "general"


def test_fifteen_years_at_one_level_over_separate_spells_is_found(scene, tree):
    town_deputy = PostFactory(unit=tree.town, title="副镇长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION)
    forestry_deputy = PostFactory(
        unit=tree.forestry, title="副局长", kind=PostKind.DEPUTY, rank=Rank.DEPUTY_SECTION
    )
    cadre = scene.people[1]
    tenure(cadre, town_deputy, D(2004, 1, 1), D(2012, 1, 1))
    # 2922 days, then from 2017-08-15: 2557 days on 2024-08-15 — 5479, the days of 2009-08-15 … 2024-08-15.
    tenure(cadre, forestry_deputy, D(2017, 8, 15))
    record = drive(scene, "proposal")
    result = services.candidate_findings(record, cadre, scene.post, ON)
    rows = [f for f in result.findings if f.reason.rule == "ROT-05"]
    assert len(rows) == 1 and rows[0].severity is el.Severity.GENERAL
    assert "乡科级副职" in rows[0].reason.message and "2024年8月15日满" in rows[0].reason.message
    assert "第七条" in rows[0].reason.citation and "参照执行" in rows[0].reason.citation
    day_before = services.candidate_findings(record, cadre, scene.post, ON - dt.timedelta(days=1))
    assert not [f for f in day_before.findings if f.reason.rule == "ROT-05"]


def test_listed_posts_block_under_rot_04_and_rot_05(scene, tree):
    court = UnitFactory(name="县人民法院", parent=tree.root)
    president = PostFactory(unit=court, title="院长", kind=PostKind.HEAD, rank=Rank.SECTION)
    earlier = PostFactory(unit=court, title="院长", kind=PostKind.HEAD, rank=Rank.SECTION)
    town_head = PostFactory(unit=tree.town, title="镇长", kind=PostKind.HEAD, rank=Rank.SECTION)
    cadre = scene.people[0]
    tenure(cadre, town_head, D(2009, 8, 15), D(2014, 8, 15))
    tenure(cadre, earlier, D(2014, 8, 15))
    record = drive(scene, "proposal")
    result = services.candidate_findings(record, cadre, president, ON)
    by_rule = {f.reason.rule: f for f in result.findings}
    assert (
        by_rule["ROT-04"].severity is el.Severity.BLOCKING and "第六条" in by_rule["ROT-04"].reason.citation
    )
    assert by_rule["ROT-05"].severity is el.Severity.BLOCKING
    assert "ROT-13" not in by_rule
    assert not by_rule["ROT-04"].overridable and not by_rule["ROT-05"].overridable


def test_a_non_leadership_post_has_no_term_findings(scene):
    clerk_post = PostFactory(
        unit=scene.unit, title="科员", kind=PostKind.STAFF, rank=Rank.STAFF, is_leadership=False
    )
    tenure(scene.people[1], clerk_post, D(1990, 1, 1))
    record = drive(scene, "proposal")
    result = services.candidate_findings(record, scene.people[1], clerk_post, ON)
    assert not [f for f in result.findings if f.reason.rule.startswith("ROT-")]
