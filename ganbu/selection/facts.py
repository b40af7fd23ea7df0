"""From the registry to the plain facts the pure rules check: eligibility, avoidance, probation scope.

Everything the rules in ``ganbu.rules.eligibility`` and ``ganbu.rules.avoidance`` need about a
candidate and a target post is read here, in a fixed number of queries per candidate, and handed
over as dataclasses. Where the registry does not hold a fact the rules need, the mapping says how
it is approximated (and the findings say so), so the officer can check it by hand.
"""

from __future__ import annotations

import datetime as dt

from ganbu.registry.choices import (
    LEADERSHIP_KINDS,
    Education,
    Gender,
    PostKind,
    Rank,
    RewardSanctionKind,
    SanctionType,
    UnitKind,
)
from ganbu.registry.models import (
    Assessment,
    Cadre,
    FamilyMember,
    Post,
    RankRecord,
    RewardSanction,
    Tenure,
    Unit,
)
from ganbu.registry.sanction_status import eligibility_terms
from ganbu.rules import eligibility as el
from ganbu.rules.avoidance import Relative, TargetPost
from ganbu.rules.probation import Organ, ProbationPostFacts, Role
from ganbu.rules.retirement import Gender as RuleGender
from ganbu.rules.tally import Grade

RANK_LEVEL: dict[str, el.Level] = {
    Rank.SECTION: el.Level.SECTION_CHIEF,
    Rank.DEPUTY_SECTION: el.Level.SECTION_DEPUTY,
    # 中层 (股级) posts have no level of their own in the national scheme; they sit at 科员 level.
    Rank.MIDDLE_HEAD: el.Level.CLERK_1,
    Rank.MIDDLE_DEPUTY: el.Level.CLERK_1,
    # The registry does not tell 一级 from 二级科员; 一般干部 count as 一级科员 (QUAL-08 counts their years).
    Rank.STAFF: el.Level.CLERK_1,
}

EDUCATION_LEVEL: dict[str, el.Education] = {
    Education.POSTGRADUATE: el.Education.POSTGRADUATE,
    Education.UNIVERSITY: el.Education.BACHELOR,
    Education.COLLEGE: el.Education.JUNIOR_COLLEGE,
    Education.TECHNICAL: el.Education.HIGH_SCHOOL,
    Education.HIGH_SCHOOL: el.Education.HIGH_SCHOOL,
}

# Words in a sanction's name that tell an admonishment or an organisational measure from a
# disciplinary sanction (INSP-01 treats all three alike; the kind is shown in the message).
_ADMONISHMENT_WORDS = ("诫勉",)
_ORGANIZATIONAL_WORDS = ("组织处理", "调整职务", "责令辞职", "免职", "降职", "停职检查", "通报批评")

# Units whose chief post is a "county chief" of AVD-05 (县纪委、组织部、法院、检察院、公安): the
# registry has no organ classification, so the unit's name decides.
_HOMETOWN_ORGANS = {
    "纪委": "discipline",
    "监委": "discipline",
    "组织部": "organization",
    "法院": "court",
    "检察院": "procuratorate",
    "公安": "public_security",
}


def _sanction_kind(name: str, sanction_type: str = "") -> el.SanctionKind:
    # The recorded kind decides first (a 诫勉 recorded by the talks app, or a sanction whose name
    # says something else); the name's words only for rows without a kind or of kind 其他.
    if sanction_type == SanctionType.ADMONISHMENT:
        return el.SanctionKind.ADMONISHMENT
    if sanction_type == SanctionType.ORGANIZATIONAL:
        return el.SanctionKind.ORGANIZATIONAL
    if sanction_type and sanction_type != SanctionType.OTHER:
        return el.SanctionKind.DISCIPLINE
    if any(w in name for w in _ADMONISHMENT_WORDS):
        return el.SanctionKind.ADMONISHMENT
    if any(w in name for w in _ORGANIZATIONAL_WORDS):
        return el.SanctionKind.ORGANIZATIONAL
    return el.SanctionKind.DISCIPLINE


def _rule_sanction(row: RewardSanction) -> el.Sanction:
    """A recorded sanction as the eligibility rules see it: its kind, and its name and end as
    ``registry.sanction_status.eligibility_terms`` gives them (DISC-04: not lifted while a new
    violation from its period is pending)."""
    name, until = eligibility_terms(row)
    return el.Sanction(
        kind=_sanction_kind(row.name, row.sanction_type),
        name=name,
        decided_on=row.decided_on,
        effective_until=until,
    )


def target_level(post: Post) -> el.Level:
    """The level of a post, from its rank."""
    return RANK_LEVEL.get(post.rank, el.Level.CLERK_2)


def candidate_facts(cadre: Cadre) -> el.CandidateFacts:
    """The facts of ``cadre`` for ``check_eligibility`` (5 queries).

    Grassroots experience (基层工作经历) is counted from tenures in town (镇) units and their
    sub-units; 下一级职位 from distinct leadership posts held one level below the current level.
    """
    tenures = list(Tenure.objects.filter(cadre=cadre).select_related("post__unit").order_by("start_date"))
    ranks = [
        el.RankSpell(level=RANK_LEVEL.get(r.rank, el.Level.CLERK_2), start=r.start_date, end=r.end_date)
        for r in RankRecord.objects.filter(cadre=cadre).order_by("start_date")
    ]
    ranks += [
        el.RankSpell(
            level=RANK_LEVEL.get(t.post.rank, el.Level.CLERK_2),
            start=t.start_date,
            end=t.end_date,
            leadership=t.post.kind in LEADERSHIP_KINDS,
            title=str(t.post),
        )
        for t in tenures
    ]
    town_paths = [t for t in tenures if t.post.unit.kind == UnitKind.TOWN or "镇" in t.post.unit.name]
    grassroots = tuple(el.Period(start=t.start_date, end=t.end_date) for t in town_paths)
    assessments = {
        a.year: Grade(a.grade)
        for a in Assessment.objects.filter(cadre=cadre)
        if a.grade in Grade._value2member_map_
    }
    sanctions = tuple(
        _rule_sanction(s)
        for s in RewardSanction.objects.filter(cadre=cadre, kind=RewardSanctionKind.SANCTION)
    )
    promotions = [t.start_date for t in tenures if t.post.kind in LEADERSHIP_KINDS]
    in_probation = cadre_in_probation(cadre)
    current = max(
        (RANK_LEVEL.get(t.post.rank, el.Level.CLERK_2) for t in tenures if t.end_date is None), default=None
    )
    lower_posts = (
        len(
            {
                t.post_id
                for t in tenures
                if t.post.kind in LEADERSHIP_KINDS and RANK_LEVEL.get(t.post.rank) == current
            }
        )
        if current is not None
        else 0
    )
    return el.CandidateFacts(
        birth_date=cadre.birth_date,
        gender=RuleGender.FEMALE if cadre.gender == Gender.FEMALE else RuleGender.MALE,
        education=EDUCATION_LEVEL.get(cadre.highest_education, el.Education.BELOW_HIGH_SCHOOL),
        work_start=cadre.work_start_date or cadre.birth_date,
        grassroots=grassroots,
        ranks=tuple(ranks),
        lower_level_posts=lower_posts,
        assessments=assessments,
        sanctions=sanctions,
        in_probation=in_probation,
        last_promotion=max(promotions) if promotions else None,
        name=cadre.name,
    )


def cadre_in_probation(cadre: Cadre) -> bool:
    """Whether a probation of this cadre is still running (a selection's probation record)."""
    from .models import Probation

    return Probation.objects.filter(candidate__cadre=cadre, status="running").exists()


def missing_facts(cadre: Cadre) -> list[str]:
    """Facts the eligibility check needs that the cadre's record lacks (each blocks until filled)."""
    missing = []
    if cadre.work_start_date is None:
        missing.append("参加工作时间")
    if not cadre.highest_education:
        missing.append("学历")
    return missing


def promotion_target(post: Post, *, exceptional: bool) -> el.PromotionTarget:
    """The target of ``check_eligibility`` for ``post``."""
    return el.PromotionTarget(
        level=target_level(post),
        is_leadership=post.kind in LEADERSHIP_KINDS,
        exceptional=exceptional,
        title=str(post),
    )


def unit_leader_keys(post: Post, on: dt.date) -> frozenset[int]:
    """Cadre ids holding a leadership post of the post's unit on ``on``."""
    return frozenset(
        Tenure.objects.filter(
            post__unit=post.unit, post__kind__in=[PostKind.HEAD, PostKind.DEPUTY], start_date__lte=on
        )
        .exclude(end_date__lte=on)
        .values_list("cadre_id", flat=True)
    )


def target_post_facts(post: Post, on: dt.date) -> TargetPost:
    """The target post for the kinship check: its unit, leadership, kind of work and the unit's leaders."""
    work = next((w for w in ("组织", "人事", "纪检", "监察", "审计", "财务") if w in post.title), "")
    return TargetPost(
        unit_key=post.unit_id,
        is_leadership=post.kind in LEADERSHIP_KINDS,
        work_kind=work,
        leader_keys=unit_leader_keys(post, on),
        unit_name=post.unit.name,
        title=post.title,
        superior_unit_keys=frozenset({post.unit.parent_id}) if post.unit.parent_id else frozenset(),
    )


def relatives_of(cadre: Cadre, on: dt.date) -> list[Relative]:
    """The cadre's recorded relatives, with where the ones in the registry work and whether they lead."""
    rows = list(FamilyMember.objects.filter(cadre=cadre).select_related("related_cadre"))
    related_ids = [r.related_cadre_id for r in rows if r.related_cadre_id]
    current = {
        t.cadre_id: t
        for t in Tenure.objects.filter(cadre_id__in=related_ids, start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("post__unit")
        .order_by("start_date")
    }
    relatives = []
    for row in rows:
        tenure = current.get(row.related_cadre_id) if row.related_cadre_id else None
        relatives.append(
            Relative(
                name=row.name,
                relation=row.relation,
                cadre_key=row.related_cadre_id,
                unit_key=tenure.post.unit_id
                if tenure
                else (row.related_cadre.unit_id if row.related_cadre else None),
                is_leader=bool(tenure and tenure.post.kind in (PostKind.HEAD, PostKind.DEPUTY)),
                post_kind=next(
                    (
                        w
                        for w in ("组织", "人事", "纪检", "监察", "审计", "财务")
                        if tenure and w in tenure.post.title
                    ),
                    "",
                ),
                unit_name=tenure.post.unit.name if tenure else "",
            )
        )
    return relatives


def county_name(post: Post) -> str:
    """The county the post is in: the root of the unit tree (AVD-05 compares the 成长地 with it)."""
    root_id = int(post.unit.path.split(".")[0]) if post.unit.path else post.unit_id
    return post.unit.name if root_id == post.unit_id else Unit.objects.only("name").get(pk=root_id).name


def hometown_organ(post: Post) -> str | None:
    """The AVD-05 organ of a chief post of a county organ (纪委、组织部、法院、检察院、公安), or None."""
    if post.kind != PostKind.HEAD:
        return None
    return next((kind for word, kind in _HOMETOWN_ORGANS.items() if word in post.unit.name), None)


def post_probation_facts(post: Post) -> ProbationPostFacts:
    """The probation facts of a post for a promotion to it, before anyone is chosen (at 动议)."""
    return _probation_facts(post, promotion=True)


def probation_facts(post: Post, cadre: Cadre, on: dt.date) -> ProbationPostFacts:
    """Whether appointing ``cadre`` to ``post`` carries a probation, as facts (APPT-04/05/07).

    Town posts are elected (镇党委、政府 leadership is 选举产生), so they never carry one; county
    organ deputy posts and internal-organ leadership posts do; institution leadership posts do
    under the 2019 additions.
    """
    held = [
        RANK_LEVEL.get(t.post.rank, el.Level.CLERK_2)
        for t in Tenure.objects.filter(cadre=cadre, start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("post")
    ]
    return _probation_facts(post, promotion=not held or target_level(post) > max(held))


def _probation_facts(post: Post, *, promotion: bool) -> ProbationPostFacts:
    """The facts of an appointment to ``post`` that decide its probation."""
    unit = post.unit
    if unit.kind == UnitKind.INSTITUTION:
        organ = Organ.PUBLIC_INSTITUTION
    elif "纪委" in unit.name or "监委" in unit.name:
        organ = Organ.DISCIPLINE_INTERNAL
    elif "法院" in unit.name or "检察院" in unit.name:
        organ = Organ.COURT_OR_PROCURATORATE_INTERNAL
    elif unit.kind in (UnitKind.COUNTY_ORGAN, UnitKind.INTERNAL):
        organ = Organ.WORKING_DEPARTMENT
    else:
        organ = Organ.OTHER
    if unit.kind == UnitKind.INTERNAL or post.kind in (PostKind.MIDDLE_HEAD, PostKind.MIDDLE_DEPUTY):
        role = Role.INTERNAL_LEADER
    elif post.kind == PostKind.DEPUTY:
        role = Role.DEPUTY
    else:
        role = Role.CHIEF
    return ProbationPostFacts(
        organ=organ,
        role=role,
        elected=unit.kind == UnitKind.TOWN,
        is_promotion=promotion,
    )
