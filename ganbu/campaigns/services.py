"""Competitive selection services: the only code that writes campaigns, applications and scores.

Keyword-only, the acting user first (``None`` only for an applicant registering on the public page,
who has no account yet), one durable transaction, an audit event holding counts and state changes.
The rules — eligibility, stage plans, trimmed means, weighted totals, ranking, cut lists, choice
allocation, the reserve pool — are ``ganbu.rules.campaign``; these services read the data, call
them, and store what they decide, with their Chinese explanations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, can_edit_unit, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.transactions import durable, require_atomic
from ganbu.registry.choices import CadreStatus, PostKind, Rank, ReserveLevel
from ganbu.registry.models import (
    Assessment,
    Cadre,
    Post,
    Quota,
    RankRecord,
    ReserveMembership,
    RewardSanction,
    Unit,
)
from ganbu.registry.services import reserve_add_within
from ganbu.rules import campaign as rules
from ganbu.rules.campaign_scoring import ratio_text, score_text
from ganbu.rules.eligibility import Education, Level, Sanction, SanctionKind
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.retirement import Gender
from ganbu.rules.tally import Grade

from .choices import CAMPAIGN_TRANSITIONS, ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from .models import (
    Applicant,
    Application,
    Campaign,
    CampaignPost,
    IdentityStatus,
    InterviewPanel,
    PanelSheet,
    StageScore,
)
from .selectors import covers_unit, reserve_candidates, self_nominates

MSG_NO_MANAGE = "您无权办理该选拔。"
MSG_STATUS = "选拔当前状态为「{status}」，不能{action}。"
MSG_NOT_OPEN = "不在报名时间内（{start} 至 {end}）。"
MAX_ATTACHMENT = 5 * 1024 * 1024

RANK_LEVEL: dict[str, Level] = {
    Rank.SECTION: Level.SECTION_CHIEF,
    Rank.DEPUTY_SECTION: Level.SECTION_DEPUTY,
    Rank.MIDDLE_HEAD: Level.CLERK_1,
    Rank.MIDDLE_DEPUTY: Level.CLERK_1,
    Rank.STAFF: Level.CLERK_1,
}
EDUCATION_LEVEL: dict[str, Education] = {
    "postgraduate": Education.POSTGRADUATE,
    "university": Education.BACHELOR,
    "college": Education.JUNIOR_COLLEGE,
    "technical": Education.HIGH_SCHOOL,
    "high_school": Education.HIGH_SCHOOL,
}


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, attached to ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


def _require_manage(actor: User, campaign: Campaign | None = None, unit: Unit | None = None) -> None:
    """Organization officers (and unit officers for their own unit's 竞争上岗) run campaigns in scope."""
    target = unit if unit is not None else campaign.unit if campaign is not None else None
    if target is None or not has_cap(actor, Cap.CAMPAIGN_MANAGE) or not can_edit_unit(actor, target):
        raise _fail(MSG_NO_MANAGE)


def _locked(campaign: Campaign) -> Campaign:
    """The campaign re-read under a row lock: reviews, imports and the ranking must not interleave."""
    return Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)


def plan_of(campaign: Campaign) -> rules.StagePlan:
    """The campaign's stage plan."""
    return rules.StagePlan.from_json(campaign.stages)


def spec_of(campaign: Campaign) -> rules.EligibilitySpec:
    """The campaign's eligibility rules."""
    return rules.EligibilitySpec.from_json(campaign.eligibility)


def _move(*, actor: User, campaign: Campaign, to: str, after: dict[str, Any] | None = None) -> None:
    """Move the campaign along its life cycle if the table allows it, audited."""
    current = campaign.status
    if to not in CAMPAIGN_TRANSITIONS[current]:
        raise _fail(f"选拔不能从「{CampaignStatus(current).label}」变为「{CampaignStatus(to).label}」。")
    campaign.status = to
    campaign.save(update_fields=["status"])
    audit_record(
        actor=actor,
        event_type="campaign.status_changed",
        target=campaign,
        before={"status": current},
        after={"status": to, **(after or {})},
        unit_id=campaign.unit_id,
    )


# ---------------------------------------------------------------- set-up


@transaction.atomic(durable=True)
def campaign_create(
    *,
    actor: User,
    kind: str,
    title: str,
    unit: Unit,
    announcement: str,
    registration_start: dt.date,
    registration_end: dt.date,
    cutoff: dt.date,
    eligibility: Mapping[str, Any],
    stages: Mapping[str, Any] | None = None,
    allow_second_choice: bool = False,
    reserve_top_n: int = 0,
    reserve_level: str = "",
    scope_units: Sequence[Unit] = (),
) -> Campaign:
    """Create a campaign in draft: its announcement, timetable, eligibility rules and stage plan.

    ``stages`` defaults to the seed's practice for the kind (``rules.default_plan``, local, MODE-09);
    both specs are validated by the rules and stored as their canonical JSON.
    """
    _require_manage(actor, unit=unit)
    if kind not in CampaignKind.values:
        raise _fail("选拔类别不正确。", "kind")
    if not title.strip() or not announcement.strip():
        raise _fail("请填写名称和公告。", "announcement")
    if registration_end < registration_start:
        raise _fail("报名截止日期早于开始日期。", "registration_end")
    try:
        # The campaign's scope units are the unit scope of its rules: one list, never two that differ.
        given = {**dict(eligibility), "unit_scope": sorted(str(u.pk) for u in scope_units)}
        spec = rules.EligibilitySpec.from_json(given)
        plan = (
            rules.StagePlan.from_json(dict(stages))
            if stages is not None
            else rules.default_plan(rules.CampaignKind(kind))
        )
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if plan.kind.value != kind:
        raise _fail("考试环节方案的类别与选拔类别不一致。", "stages")
    if reserve_level and reserve_level not in ReserveLevel.values:
        raise _fail("后备干部层次不正确。", "reserve_level")
    for scope in scope_units:
        if not units_for(actor).filter(pk=scope.pk).exists():
            raise _fail("报名范围中的单位不在您的管理范围内。", "scope_units")
    campaign = Campaign.objects.create(
        kind=kind,
        title=title.strip(),
        unit=unit,
        announcement=announcement.strip(),
        registration_start=registration_start,
        registration_end=registration_end,
        cutoff=cutoff,
        eligibility=spec.to_json(),
        stages=plan.to_json(),
        allow_second_choice=allow_second_choice,
        reserve_top_n=reserve_top_n,
        reserve_level=reserve_level,
        created_by=actor,
    )
    campaign.scope_units.set(scope_units)
    audit_record(
        actor=actor,
        event_type="campaign.created",
        target=campaign,
        after={"kind": kind, "stages": [s.key for s in plan.stages]},
        unit_id=unit.pk,
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_post_add(*, actor: User, campaign: Campaign, post: Post, places: int = 1) -> CampaignPost:
    """Offer a post in a draft campaign, within the unit's quota (QUAL-11).

    The post need not be vacant: in a 竞争上岗 every post is re-filled and its holder may compete
    (the seed's 96 former mid-level cadres not re-selected).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="修改选拔职位"))
    if not can_edit_unit(actor, post.unit):
        raise _fail("职位不存在或不在您的管理范围内。", "post")
    if places < 1:
        raise _fail("职数至少为 1。", "places")
    if CampaignPost.objects.filter(campaign=campaign, post=post).exists():
        raise _fail(f"职位「{post}」已在本次选拔中。", "post")
    if post.counts_toward_quota:
        quota = Quota.objects.filter(unit=post.unit, kind=post.kind).first()
        limit = quota.number if quota else 0
        offered = sum(
            cp.places
            for cp in CampaignPost.objects.filter(
                campaign=campaign, post__unit=post.unit, post__kind=post.kind
            )
        )
        if offered + places > limit:
            raise _fail(
                f"{post.unit.name}{PostKind(post.kind).label}职数 {limit} 名，本次选拔已列 {offered} 名，"
                f"再列 {places} 名将超出职数（《公务员法》第四十三条，rules.md QUAL-11）。",
                "places",
            )
    made = CampaignPost.objects.create(
        campaign=campaign, post=post, places=places, sort_order=campaign.posts.count() + 1
    )
    audit_record(
        actor=actor,
        event_type="campaign.post_added",
        target=campaign,
        after={"post": str(post), "places": places},
        unit_id=campaign.unit_id,
    )
    return made


@transaction.atomic(durable=True)
def campaign_open(*, actor: User, campaign: Campaign) -> Campaign:
    """Publish the announcement and open registration (at least one post)."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not campaign.posts.exists():
        raise _fail("请先列出选拔职位。")
    _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.REGISTRATION,
        after={"posts": campaign.posts.count()},
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_close_registration(*, actor: User, campaign: Campaign) -> Campaign:
    """End registration and start the qualification review."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    _move(
        actor=actor,
        campaign=campaign,
        to=CampaignStatus.REVIEW,
        after={"applications": campaign.applications.count()},
    )
    return campaign


# ---------------------------------------------------------------- applications


@dataclass(frozen=True)
class ApplicantData:
    """What an applicant declares (or what the registry says about a cadre)."""

    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    political_status: str
    education: str
    work_start_date: dt.date | None = None
    rank: str = ""
    rank_since: dt.date | None = None
    unit_name: str = ""
    post_text: str = ""
    last_year_rating: str = ""
    phone: str = ""


def applicant_data_from_cadre(cadre: Cadre) -> ApplicantData:
    """A registry cadre's facts as an applicant declares them (the current rank and since when)."""
    rank_record = (
        RankRecord.objects.filter(cadre=cadre, end_date__isnull=True).order_by("-start_date").first()
    )
    return _applicant_data(cadre, cadre.unit, rank_record.start_date if rank_record else None)


def _rank_since_many(cadre_ids: Sequence[int]) -> dict[int, dt.date]:
    """The start of each cadre's current rank (the latest open rank record), in one query."""
    since: dict[int, dt.date] = {}
    rows = RankRecord.objects.filter(cadre_id__in=cadre_ids, end_date__isnull=True).order_by(
        "cadre_id", "-start_date"
    )
    for cadre_id, start in rows.values_list("cadre_id", "start_date"):
        since.setdefault(cadre_id, start)
    return since


def _applicant_data(cadre: Cadre, unit: Unit, rank_since: dt.date | None) -> ApplicantData:
    """``applicant_data_from_cadre`` with the cadre's unit and rank start already read."""
    if not cadre.id_number:
        raise _fail(f"{cadre.name}的干部档案没有身份证号，请先补录。")
    return ApplicantData(
        name=cadre.name,
        gender=cadre.gender,
        birth_date=cadre.birth_date,
        id_number=cadre.id_number,
        political_status=cadre.political_status,
        education=cadre.highest_education,
        work_start_date=cadre.work_start_date,
        rank=cadre.rank,
        rank_since=rank_since,
        unit_name=unit.name,
        post_text=cadre.current_post_text,
    )


@dataclass(frozen=True)
class _RegistryRecord:
    """What the registry says of a cadre for the eligibility rules: last year's grade, the sanctions."""

    last_grade: str | None
    sanctions: tuple[RewardSanction, ...]


def _registry_records(cadre_ids: Sequence[int], year: int) -> dict[int, _RegistryRecord]:
    """The registry records of many cadres, for ``year``'s assessment: two queries whatever their number."""
    grades = dict(
        Assessment.objects.filter(cadre_id__in=cadre_ids, year=year).values_list("cadre_id", "grade")
    )
    sanctions: dict[int, list[RewardSanction]] = {pk: [] for pk in cadre_ids}
    for sanction in RewardSanction.objects.filter(cadre_id__in=cadre_ids, kind="sanction"):
        sanctions[sanction.cadre_id].append(sanction)  # in the model's order, as read one by one
    return {pk: _RegistryRecord(grades.get(pk), tuple(sanctions[pk])) for pk in cadre_ids}


def _facts(
    campaign: Campaign, applicant: Applicant, record: _RegistryRecord | None = None
) -> rules.ApplicantFacts:
    """The applicant's facts for the rules, with the unit scope and, for a cadre, rating and sanctions.

    ``record`` is the cadre's registry record when the caller read it already (the bulk entry);
    otherwise it is read here (two queries).
    """
    in_scope: bool | None = None
    if spec_of(campaign).unit_scope:
        in_scope = covers_unit(campaign, applicant.unit.path if applicant.unit else "")
    # An outside applicant declares last year's rating; a registry cadre's comes from the record.
    rating: Grade | None = Grade(applicant.last_year_rating) if applicant.last_year_rating else None
    sanctions: tuple[Sanction, ...] = ()
    if applicant.cadre_id is not None:
        if record is None:
            record = _registry_records([applicant.cadre_id], campaign.cutoff.year - 1)[applicant.cadre_id]
        grade = record.last_grade
        rating = Grade(grade) if grade is not None and grade in Grade._value2member_map_ else None
        sanctions = tuple(
            Sanction(
                kind=SanctionKind.ADMONISHMENT if "诫勉" in s.name else SanctionKind.DISCIPLINE,
                name=s.name,
                decided_on=s.decided_on,
                effective_until=s.effective_until,
            )
            for s in record.sanctions
        )
    return rules.ApplicantFacts(
        birth_date=applicant.birth_date,
        gender=Gender.FEMALE if applicant.gender == "F" else Gender.MALE,
        political_status=rules.PoliticalStatus(applicant.political_status),
        education=EDUCATION_LEVEL.get(applicant.education, Education.BELOW_HIGH_SCHOOL),
        work_start=applicant.work_start_date,
        rank=RANK_LEVEL.get(applicant.rank) if applicant.rank else None,
        rank_since=applicant.rank_since,
        unit_in_scope=in_scope,
        unit_name=applicant.unit_name,
        last_year_rating=rating,
        sanctions=sanctions,
        name=applicant.name,
    )


def check_application(
    campaign: Campaign, applicant: Applicant, record: _RegistryRecord | None = None
) -> list[dict[str, Any]]:
    """The eligibility findings of ``applicant`` for ``campaign`` on its cut-off day, as JSON rows.

    ``record``: the cadre's registry record, when already read (see ``_facts``).
    """
    result = rules.check_application(spec_of(campaign), _facts(campaign, applicant, record), campaign.cutoff)
    return [
        {
            "rule": f.reason.rule,
            "message": f.reason.message,
            "citation": f.reason.citation,
            "severity": f.severity.value,
        }
        for f in result.findings
    ]


MSG_ID_MISMATCH = "身份证号中的出生日期或性别与所填不符。"
MSG_ID_NOT_OWN = "所填身份证号与本账号登记的身份证号不一致。"
MSG_IDENTITY_CONFLICT = (
    "该报名人员的身份证号与其他报名记录相同（身份冲突），须先在资格审查页的「身份冲突」中核定本人，再审查。"
)
MSG_IDENTITY_REJECTED = "该报名人员的身份未予认定（所填身份证号已核定为他人所有），不能通过资格审查。"
# What passing the review attests when the identity was not checked before (decision 0010).
REVIEW_BASIS = "资格审查时核验身份证件"
# How staff checked an identity document when they settle a conflict: code → words.
IDENTITY_BASES: dict[str, str] = {
    "id_card_seen": "现场核验身份证原件",
    "document_checked": "核验报名材料中的身份证件",
}
OWNING = [IdentityStatus.REGISTRY, IdentityStatus.VERIFIED]


def _declared_fields(data: ApplicantData) -> dict[str, Any]:
    """The declared facts, checked: a valid ID number that fits the birth date and gender, a name …

    Returns the fields of an ``Applicant`` with the ID number in its stored form.
    """
    try:
        parsed = parse_id_number(data.id_number)
    except IdNumberError as exc:
        raise _fail(str(exc), "id_number") from None
    if parsed.birth_date != data.birth_date or parsed.gender != data.gender:
        raise _fail(MSG_ID_MISMATCH, "id_number")
    if not data.name.strip():
        raise _fail("请填写姓名。", "name")
    if data.gender not in ("M", "F"):
        raise _fail("请选择性别。", "gender")
    if data.political_status not in rules.PoliticalStatus._value2member_map_:
        raise _fail("请选择政治面貌。", "political_status")
    return {
        "id_number": parsed.value,
        "name": data.name.strip(),
        "gender": data.gender,
        "birth_date": data.birth_date,
        "political_status": data.political_status,
        "education": data.education,
        "work_start_date": data.work_start_date,
        "rank": data.rank,
        "rank_since": data.rank_since,
        "unit_name": data.unit_name.strip(),
        "post_text": data.post_text.strip(),
        "last_year_rating": data.last_year_rating
        if data.last_year_rating in Grade._value2member_map_
        else "",
        "phone": data.phone.strip(),
    }


def _update(applicant: Applicant, fields: Mapping[str, Any]) -> Applicant:
    """The record with the facts declared now (the ID number stays what the record holds)."""
    for name, value in fields.items():
        if name != "id_number":
            setattr(applicant, name, value)
    applicant.save()
    return applicant


def _applicant_of_cadre(cadre: Cadre, data: ApplicantData) -> Applicant:
    """A registry cadre's own applicant record, found by the cadre and never by a typed ID number.

    Without one yet, the record that owns the cadre's ID number — verified by staff as this person
    before they were in the registry — becomes theirs; otherwise a new record owned through the
    registry. Records that merely claim the number (unverified) are left alone: they stand beside
    it as an identity conflict for staff, and block nothing (decision 0010).
    """
    fields = _declared_fields(data)
    # The cadre's row is the lock: two applications of theirs at once must not both create a record.
    list(Cadre.objects.select_for_update().filter(pk=cadre.pk).values_list("pk", flat=True))
    applicant = Applicant.objects.select_for_update().filter(cadre=cadre).first()
    if applicant is None:
        applicant = (
            Applicant.objects.select_for_update()
            .filter(id_number=fields["id_number"], identity__in=OWNING, cadre__isnull=True)
            .first()
        )
        if applicant is not None:
            applicant.cadre = cadre
    if applicant is None:
        applicant = Applicant(
            cadre=cadre,
            identity=IdentityStatus.REGISTRY,
            identity_basis="干部档案",
            identity_checked_at=timezone.now(),
            id_number=fields["id_number"],
        )
    applicant.unit = cadre.unit
    return _update(applicant, fields)


def _applicant_of_user(user: User | None, data: ApplicantData) -> Applicant:
    """The applicant record of a public registration: the login's own, or a new unverified one.

    Never another record found by the typed ID number: whatever number is typed, the registration
    is answered the same and takes nothing over. A number already on record elsewhere makes an
    identity conflict, which staff see and settle (decision 0010).
    """
    fields = _declared_fields(data)
    applicant = None
    if user is not None:
        # The login's row is the lock: two first registrations at once must not both create a record.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        applicant = Applicant.objects.select_for_update().filter(user=user).first()
    if applicant is None:
        return _update(Applicant(user=user, id_number=fields["id_number"]), fields)
    if applicant.id_number != fields["id_number"]:
        raise _fail(MSG_ID_NOT_OWN, "id_number")
    return _update(applicant, fields)


def _applicant_entered(data: ApplicantData) -> Applicant:
    """The record of an outside applicant whose declared facts staff enter.

    The record that owns the ID number when there is one (staff act under their name and the
    audit trail); else one staff entered before (no login, no cadre); else a new unverified one.
    A login's own record is never reused here: staff keying a number do not prove whose it is.
    """
    fields = _declared_fields(data)
    found = Applicant.objects.select_for_update().filter(id_number=fields["id_number"])
    applicant = (
        found.filter(identity__in=OWNING).first()
        or found.filter(identity=IdentityStatus.UNVERIFIED, user__isnull=True, cadre__isnull=True)
        .order_by("pk")
        .first()
        or Applicant(id_number=fields["id_number"])
    )
    return _update(applicant, fields)


def _choices(campaign: Campaign, first: CampaignPost, second: CampaignPost | None) -> None:
    """Both choices are posts of this campaign; a second only where allowed, and not the first again."""
    if first.campaign_id != campaign.pk or (second is not None and second.campaign_id != campaign.pk):
        raise _fail("所选职位不属于本次选拔。", "first_choice")
    if second is not None and not campaign.allow_second_choice:
        raise _fail("本次选拔不设第二志愿。", "second_choice")
    if second is not None and second.pk == first.pk:
        raise _fail("第二志愿不能与第一志愿相同。", "second_choice")


def _next_ticket(campaign: Campaign) -> str:
    """The next 准考证号 of the campaign: its number, then the application's order (00001 …).

    Sequential, not random: the campaign row is locked by every caller, so two applications can
    never get the same ticket, and score imports match rows by ticket.
    """
    return _ticket(campaign, _ticket_order(campaign))


def _ticket_order(campaign: Campaign) -> int:
    """The order number the campaign's next ticket carries (one query)."""
    last = campaign.applications.order_by("-ticket").values_list("ticket", flat=True).first()
    return int(last[-5:]) + 1 if last and last[-5:].isdigit() else 1


def _ticket(campaign: Campaign, order: int) -> str:
    """The 准考证号 of the campaign's application number ``order``."""
    return f"{campaign.pk:04d}{order:05d}"


def _submit(
    campaign: Campaign,
    applicant: Applicant,
    first: CampaignPost,
    second: CampaignPost | None,
    actor: User | None,
) -> Application:
    """Create the application, checked against the eligibility rules, with its ticket number."""
    if Application.objects.filter(campaign=campaign, applicant=applicant).exists():
        raise _fail(f"{applicant.name}已报名本次选拔。", "id_number")
    _choices(campaign, first, second)
    application = Application.objects.create(
        campaign=campaign,
        applicant=applicant,
        first_choice=first,
        second_choice=second,
        findings=check_application(campaign, applicant),
        ticket=_next_ticket(campaign),
    )
    audit_record(
        actor=actor,
        event_type="campaign.application_submitted",
        target=campaign,
        after={"application_id": application.pk, "findings": len(application.findings)},
        cadre_id=applicant.cadre_id,
        unit_id=campaign.unit_id,
    )
    return application


def _require_registration_open(campaign: Campaign, today: dt.date) -> None:
    """Refuse an applicant's own registration outside the campaign's registration period."""
    if campaign.status != CampaignStatus.REGISTRATION or not (
        campaign.registration_start <= today <= campaign.registration_end
    ):
        raise _fail(
            MSG_NOT_OPEN.format(
                start=f"{campaign.registration_start:%Y年%m月%d日}",
                end=f"{campaign.registration_end:%Y年%m月%d日}",
            )
        )


def application_register_within(
    *,
    campaign: Campaign,
    data: ApplicantData,
    first_choice: CampaignPost,
    second_choice: CampaignPost | None = None,
    user: User | None = None,
    on: dt.date | None = None,
) -> Application:
    """Self-registration on the public page during the registration period (no staff account needed).

    The eligibility check runs at once and its findings are shown to the applicant; the staff's
    qualification review decides. The application stands on the login's own applicant record
    (a new one, unverified, on a first registration), whatever ID number is typed: an ID number on
    record elsewhere is an identity conflict for staff, never a refusal that would tell the
    typist whether that number has applied (docs/decisions/0010-applicant-identity.md).
    """
    require_atomic("application_register_within")
    campaign = _locked(campaign)
    today = on or timezone.localdate()
    if campaign.kind == CampaignKind.COMPETITION:
        raise _fail("竞争上岗在本单位、本系统内进行，由组织人事部门统一报名。")
    _require_registration_open(campaign, today)
    applicant = _applicant_of_user(user, data)
    return _submit(campaign, applicant, first_choice, second_choice, actor=None)


application_register = durable(application_register_within)


@transaction.atomic(durable=True)
def application_self_nominate(
    *,
    actor: User,
    campaign: Campaign,
    first_choice: CampaignPost,
    second_choice: CampaignPost | None = None,
    on: dt.date | None = None,
) -> Application:
    """A cadre applies from their self-service account (个人自荐), their facts taken from their record.

    Any kind of campaign open for registration that day; a 竞争上岗 only from a unit it covers (it
    is held within the unit or system, rules.md MODE-07). The facts are copied from the record as
    when staff enter the cadre, the eligibility findings are recorded and shown to them, and the
    qualification review decides, as for every application.
    """
    campaign = _locked(campaign)
    if not self_nominates(actor) or actor.cadre_id is None:
        raise _fail("只有关联本人干部档案的账号可以自荐报名。")
    today = on or timezone.localdate()
    _require_registration_open(campaign, today)
    cadre = Cadre.objects.select_related("unit").get(pk=actor.cadre_id)
    if cadre.status != CadreStatus.SERVING:
        raise _fail("只有在职干部可以报名。")
    if campaign.kind == CampaignKind.COMPETITION and not covers_unit(campaign, cadre.unit.path):
        raise _fail(
            f"竞争上岗在本单位、本系统内进行：{cadre.unit.name}不在本次竞争上岗的范围内"
            "（依据：《党政机关竞争上岗工作暂行规定》，rules.md MODE-07）。"
        )
    applicant = _applicant_of_cadre(cadre, applicant_data_from_cadre(cadre))
    return _submit(campaign, applicant, first_choice, second_choice, actor=actor)


@transaction.atomic(durable=True)
def application_enter(
    *,
    actor: User,
    campaign: Campaign,
    first_choice: CampaignPost,
    second_choice: CampaignPost | None = None,
    cadre: Cadre | None = None,
    data: ApplicantData | None = None,
) -> Application:
    """Staff enter an application (a registry cadre, or an outside applicant's declared facts).

    Allowed while registration is open; a cadre's facts are copied from the record that day.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.REGISTRATION:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="报名"))
    if cadre is not None:
        if not cadres_for(actor).filter(pk=cadre.pk).exists():
            raise _fail("干部不存在或不在您的管理范围内。", "cadre")
        data = applicant_data_from_cadre(cadre)
    if data is None:
        raise _fail("请选择在册干部或填写报名信息。", "cadre")
    applicant = _applicant_of_cadre(cadre, data) if cadre is not None else _applicant_entered(data)
    return _submit(campaign, applicant, first_choice, second_choice, actor=actor)


@transaction.atomic(durable=True)
def applications_enter_bulk(
    *, actor: User, campaign: Campaign, rows: Sequence[tuple[Cadre, CampaignPost, CampaignPost | None]]
) -> int:
    """Enter many registry cadres at once (a 竞争上岗 across units); all or nothing, errors by row.

    Each row is checked and recorded as ``application_enter`` would (the same applicant record, the
    same findings, tickets in row order, one audit event per application), but what the rows need
    from the database is read for all of them at once: the cadres' units, current ranks, applicant
    records, earlier applications, last year's grades and sanctions, each in one query, and the
    applicant records and the applications are written together. What remains per row is the
    audit event (the chain is appended one event at a time, three statements).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.REGISTRATION:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="报名"))
    cadre_ids = list(dict.fromkeys(r[0].pk for r in rows))
    visible = set(cadres_for(actor).filter(pk__in=cadre_ids).values_list("pk", flat=True))
    mine = sorted(visible)
    # The cadres' rows are the lock, as for one entry (in id order, so two bulk entries cannot deadlock).
    list(Cadre.objects.select_for_update().filter(pk__in=mine).order_by("pk").values_list("pk", flat=True))
    units = Unit.objects.in_bulk({r[0].unit_id for r in rows})
    rank_since = _rank_since_many(mine)
    by_cadre = {a.cadre_id: a for a in Applicant.objects.select_for_update().filter(cadre_id__in=mine)}
    records = _registry_records(mine, campaign.cutoff.year - 1)
    prepared: list[tuple[int, Cadre, dict[str, Any] | None]] = []
    errors = []
    for n, (cadre, _first, _second) in enumerate(rows, start=1):
        try:
            if cadre.pk not in visible:
                raise _fail("干部不存在或不在您的管理范围内。")
            data = _applicant_data(cadre, units[cadre.unit_id], rank_since.get(cadre.pk))
            prepared.append((n, cadre, _declared_fields(data)))
        except ServiceError as exc:
            errors.append((n, f"第 {n} 行（{cadre.name}）：{'；'.join(exc.messages)}"))
            prepared.append((n, cadre, None))
    numbers = {f["id_number"] for _n, c, f in prepared if f is not None and c.pk not in by_cadre}
    # At most one owner per number (``applicant_id_number_owner_once``).
    owners = {
        a.id_number: a
        for a in Applicant.objects.select_for_update().filter(
            id_number__in=numbers, identity__in=OWNING, cadre__isnull=True
        )
    }
    known = [a.pk for a in [*by_cadre.values(), *owners.values()]]
    applied = set(
        Application.objects.filter(campaign=campaign, applicant_id__in=known).values_list(
            "applicant_id", flat=True
        )
    )
    order = _ticket_order(campaign)
    entered: set[int] = set()  # cadres entered by an earlier row
    created: list[tuple[Application, Applicant]] = []
    for (n, cadre, fields), (_cadre, first, second) in zip(prepared, rows, strict=True):
        if fields is None:
            continue
        try:
            applicant = by_cadre.get(cadre.pk) or owners.pop(fields["id_number"], None)
            if applicant is None:
                applicant = Applicant(
                    cadre=cadre,
                    identity=IdentityStatus.REGISTRY,
                    identity_basis="干部档案",
                    identity_checked_at=timezone.now(),
                    id_number=fields["id_number"],
                )
            applicant.cadre = cadre
            applicant.unit = units[cadre.unit_id]
            for name, value in fields.items():  # as ``_update``; written together below
                if name != "id_number":
                    setattr(applicant, name, value)
            by_cadre[cadre.pk] = applicant
            if applicant.pk in applied or cadre.pk in entered:
                raise _fail(f"{applicant.name}已报名本次选拔。", "id_number")
            _choices(campaign, first, second)
            entered.add(cadre.pk)
            application = Application(
                campaign=campaign,
                applicant=applicant,
                first_choice=first,
                second_choice=second,
                findings=check_application(campaign, applicant, records[cadre.pk]),
                ticket=_ticket(campaign, order),
            )
            order += 1
            created.append((application, applicant))
        except ServiceError as exc:
            errors.append((n, f"第 {n} 行（{cadre.name}）：{'；'.join(exc.messages)}"))
    if errors:
        raise ServiceError([message for _n, message in sorted(errors)])
    # The applicant records as ``_update`` saves them (every field), then the applications.
    stored = [a for _, a in created if a.pk is not None]
    Applicant.objects.bulk_create([a for _, a in created if a.pk is None])
    if stored:
        columns = [f.name for f in Applicant._meta.concrete_fields if not f.primary_key]
        Applicant.objects.bulk_update(stored, columns, batch_size=500)
    Application.objects.bulk_create([a for a, _ in created])
    for application, applicant in created:
        audit_record(
            actor=actor,
            event_type="campaign.application_submitted",
            target=campaign,
            after={"application_id": application.pk, "findings": len(application.findings)},
            cadre_id=applicant.cadre_id,
            unit_id=campaign.unit_id,
        )
    return len(rows)


@transaction.atomic(durable=True)
def application_withdraw(*, actor: User | None, application: Application, reason: str) -> Application:
    """The applicant withdraws (themselves, or through staff); their scores stay, they are not ranked."""
    application = (
        Application.objects.select_for_update()
        .select_related("campaign__unit", "applicant")
        .get(pk=application.pk)
    )
    own = actor is not None and (
        getattr(actor, "applicant", None) == application.applicant
        or (self_nominates(actor) and actor.cadre_id == application.applicant.cadre_id)
    )
    if not own:
        if actor is None:
            raise _fail(MSG_NO_MANAGE)
        _require_manage(actor, application.campaign)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise _fail("已经退出。")
    # After the ranking a withdrawal changes others' places and, for an appointee, the decision:
    # it is for the department to record, and the message must not reveal an unpublished outcome.
    staff = actor is not None and has_cap(actor, Cap.CAMPAIGN_MANAGE)
    if not staff and application.campaign.status not in (
        CampaignStatus.REGISTRATION,
        CampaignStatus.REVIEW,
        CampaignStatus.SCORING,
    ):
        raise _fail("当前阶段不能自行退出，请联系组织部门。")
    if application.outcome == Outcome.APPOINTED:
        raise _fail("已确定拟任用，退出须经组织研究。")
    application.status = ApplicationStatus.WITHDRAWN
    application.outcome = Outcome.WITHDRAWN
    application.review_note = reason.strip()[:300] or application.review_note
    application.save(update_fields=["status", "outcome", "review_note"])
    audit_record(
        actor=actor,
        event_type="campaign.application_withdrawn",
        target=application.campaign,
        after={"application_id": application.pk},
        reason=reason,
        unit_id=application.campaign.unit_id,
    )
    return application


@transaction.atomic(durable=True)
def application_review(
    *, actor: User, application: Application, passed: bool, note: str = "", exceptional: bool = False
) -> Application:
    """资格审查: pass or reject with a reason; an applicant with findings passes only as an exception.

    An exception (破格入围) is recorded by the department's leadership (``Cap.SELECTION_APPROVE``),
    with the reason, and the findings stay on the application for the record.
    """
    application = (
        Application.objects.select_for_update()
        .select_related("campaign__unit", "applicant")
        .get(pk=application.pk)
    )
    campaign = application.campaign
    if campaign.status != CampaignStatus.REVIEW:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="资格审查"))
    if exceptional:
        if (
            not has_cap(actor, Cap.SELECTION_APPROVE)
            or not units_for(actor).filter(pk=campaign.unit_id).exists()
        ):
            raise _fail("破格入围须由组织部领导批准。")
    else:
        _require_manage(actor, campaign)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise _fail("该报名已退出。")
    if exceptional and not passed:
        raise _fail("破格入围只用于通过审查；不通过的，按一般审查办理。")
    applicant = Applicant.objects.select_for_update().get(pk=application.applicant_id)
    if passed:
        _require_identity_clear(applicant)
    hard = [f for f in application.findings if f.get("severity") != "general"]
    general = [f for f in application.findings if f.get("severity") == "general"]
    if passed and hard and not exceptional:
        lines = "；".join(f["message"].rstrip("。") for f in hard)
        raise _fail(f"报名资格条件不符：{lines}。如确需破格入围，须由组织部领导批准。")
    if not note.strip() and (not passed or exceptional or general):
        # A pass over a general requirement (e.g. a rating not yet recorded) needs the reason written.
        raise _fail("请填写审查意见（未通过、破格或核实情况的理由）。", "note")
    before = application.status
    application.status = ApplicationStatus.QUALIFIED if passed else ApplicationStatus.REJECTED
    application.review_note = note.strip()[:300]
    application.reviewed_by = actor
    application.exception_approver = actor if exceptional else None
    application.stage_reached = plan_of(campaign).stages[0].key if passed else ""
    application.save(
        update_fields=["status", "review_note", "reviewed_by", "exception_approver", "stage_reached"]
    )
    audit_record(
        actor=actor,
        event_type="campaign.application_reviewed",
        target=campaign,
        before={"application_id": application.pk, "status": before},
        after={"application_id": application.pk, "status": application.status, "exceptional": exceptional},
        reason=note.strip(),
        unit_id=campaign.unit_id,
    )
    if passed and applicant.identity == IdentityStatus.UNVERIFIED:
        # The review checks the identity document with the others: passing it attests the check.
        applicant.identity = IdentityStatus.VERIFIED
        applicant.identity_basis = REVIEW_BASIS
        applicant.identity_checked_by = actor
        applicant.identity_checked_at = timezone.now()
        applicant.save(
            update_fields=["identity", "identity_basis", "identity_checked_by", "identity_checked_at"]
        )
        audit_record(
            actor=actor,
            event_type="campaign.identity_verified",
            target=applicant,
            before={"identity": IdentityStatus.UNVERIFIED},
            after={"identity": applicant.identity, "identity_basis": applicant.identity_basis},
            cadre_id=applicant.cadre_id,
            unit_id=campaign.unit_id,
        )
    return application


def _claims(id_number: str) -> list[Applicant]:
    """The records standing on an ID number (all but those staff rejected), locked, oldest first."""
    return list(
        Applicant.objects.select_for_update()
        .filter(id_number=id_number)
        .exclude(identity=IdentityStatus.REJECTED)
        .order_by("pk")
    )


def _require_identity_clear(applicant: Applicant) -> None:
    """Refuse to pass an applicant whose ID number staff settled on someone else, or still in conflict."""
    if applicant.identity == IdentityStatus.REJECTED:
        raise _fail(MSG_IDENTITY_REJECTED)
    if len(_claims(applicant.id_number)) > 1:
        raise _fail(MSG_IDENTITY_CONFLICT)


@transaction.atomic(durable=True)
def identity_conflict_resolve(
    *, actor: User, campaign: Campaign, keep: Applicant, basis: str, reason: str
) -> int:
    """Settle an identity conflict: ``keep`` is the person the ID number names; the other claims are not.

    For staff who run ``campaign``, where one of the records has an application. ``keep`` must be
    the record that owns the number when one does (a registry cadre's, or one verified before):
    an owner keeps their number. An unverified ``keep`` is verified here, with how its identity
    document was checked (``basis``, a key of ``IDENTITY_BASES``). Every other record of the
    number is marked 未予认定 with the reason, and its applications to this campaign awaiting review
    are rejected with it; applications elsewhere stay for their own review, which cannot pass a
    rejected identity. Audited per record and per application; nothing else changes. Returns the
    number of applications rejected.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="核定身份"))
    keep = Applicant.objects.select_for_update().get(pk=keep.pk)
    claims = _claims(keep.id_number)
    if keep not in claims or len(claims) < 2:
        raise _fail("没有需要核定的身份冲突。")
    if not Application.objects.filter(campaign=campaign, applicant__in=claims).exists():
        raise _fail("该身份冲突不涉及本次选拔的报名。")
    owner = next((a for a in claims if a.identity in OWNING), None)
    if owner is not None and owner != keep:
        what = "在册干部，以干部档案为准" if owner.identity == IdentityStatus.REGISTRY else "身份此前已核验"
        raise _fail(f"该身份证号的所有人已确定（{owner.name}，{what}），只能认定为其本人。", "keep")
    errors: dict[str, list[str]] = {}
    if keep.identity == IdentityStatus.UNVERIFIED and basis not in IDENTITY_BASES:
        errors["basis"] = ["请选择核验身份证件的方式。"]
    if not reason.strip():
        errors["reason"] = ["请写明核定理由（核验了什么、如何认定）。"]
    if errors:
        raise ServiceError(errors)
    reason = reason.strip()[:300]
    now = timezone.now()
    changed = [keep] if keep.identity == IdentityStatus.UNVERIFIED else []
    changed += [a for a in claims if a != keep]
    rejected = 0
    for applicant in changed:
        before = {"identity": applicant.identity}
        if applicant == keep:
            applicant.identity = IdentityStatus.VERIFIED
            applicant.identity_basis = IDENTITY_BASES[basis]
        else:
            applicant.identity = IdentityStatus.REJECTED
            applicant.identity_basis = ""
        applicant.identity_note = reason
        applicant.identity_checked_by = actor
        applicant.identity_checked_at = now
        applicant.save(
            update_fields=[
                "identity",
                "identity_basis",
                "identity_note",
                "identity_checked_by",
                "identity_checked_at",
            ]
        )
        audit_record(
            actor=actor,
            event_type="campaign.identity_resolved",
            target=applicant,
            before=before,
            after={"identity": applicant.identity, "identity_basis": applicant.identity_basis},
            reason=reason,
            cadre_id=applicant.cadre_id,
            unit_id=campaign.unit_id,
        )
        if applicant == keep:
            continue
        pending = Application.objects.select_for_update().filter(
            campaign=campaign, applicant=applicant, status=ApplicationStatus.SUBMITTED
        )
        for application in pending:
            application.status = ApplicationStatus.REJECTED
            application.review_note = f"身份未予认定：{reason}"[:300]
            application.reviewed_by = actor
            application.save(update_fields=["status", "review_note", "reviewed_by"])
            rejected += 1
            audit_record(
                actor=actor,
                event_type="campaign.application_reviewed",
                target=campaign,
                before={"application_id": application.pk, "status": ApplicationStatus.SUBMITTED},
                after={"application_id": application.pk, "status": application.status},
                reason=application.review_note,
                unit_id=campaign.unit_id,
            )
    return rejected


@transaction.atomic(durable=True)
def campaign_start_scoring(*, actor: User, campaign: Campaign) -> Campaign:
    """End the review (every application decided) and start the exams."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    pending = campaign.applications.filter(status=ApplicationStatus.SUBMITTED).count()
    if pending:
        raise _fail(f"尚有 {pending} 份报名未作资格审查。")
    qualified = campaign.applications.filter(status=ApplicationStatus.QUALIFIED).count()
    _move(actor=actor, campaign=campaign, to=CampaignStatus.SCORING, after={"qualified": qualified})
    return campaign


# ---------------------------------------------------------------- scores


def parse_score(value: Any, *, what: str = "成绩") -> Decimal:
    """A score as typed or imported: a number with at most two decimals, 0 or more (never a float)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _fail(f"{what}“{value}”不是数字。") from None
    if not score.is_finite() or score < 0 or score.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _fail(f"{what}“{value}”应为不小于 0、最多两位小数的数字。")
    return score


def _reached(campaign: Campaign, application: Application, stage: rules.Stage) -> bool:
    """Whether the applicant has reached ``stage`` (stands at it or at a later one)."""
    keys = [s.key for s in plan_of(campaign).stages]
    return bool(application.stage_reached) and keys.index(application.stage_reached) >= keys.index(stage.key)


def _scorable(stage: rules.Stage) -> None:
    """组织考察 is no score: it is the inspection of the appointment procedure."""
    if stage.kind == rules.StageKind.INSPECTION:
        raise _fail(f"{stage.label}不计分。", "stage")


def _stage(campaign: Campaign, key: str) -> rules.Stage:
    """A stage of the campaign's plan, or a refusal naming the stages there are."""
    plan = plan_of(campaign)
    try:
        return plan.stage(key)
    except (KeyError, ValueError):
        names = "、".join(f"{s.label}（{s.key}）" for s in plan.stages)
        raise _fail(f"本次选拔没有“{key}”环节，环节为：{names}。", "stage") from None


def _store_score(
    application: Application, stage: rules.Stage, score: Decimal, absent: bool, source: str
) -> None:
    """Write one stage score, refusing one above the stage's full mark."""
    if score > Decimal(stage.full_mark.numerator) / Decimal(stage.full_mark.denominator):
        raise _fail(f"{stage.label}成绩 {score} 超过满分 {score_text(stage.full_mark)}。")
    StageScore.objects.update_or_create(
        application=application,
        stage=stage.key,
        defaults={"score": score, "absent": absent, "source": source},
    )


@transaction.atomic(durable=True)
def stage_score_set(
    *, actor: User, application: Application, stage: str, score: Any, absent: bool = False
) -> StageScore:
    """Enter one score by hand (a correction or a small campaign)."""
    campaign = _locked(application.campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="录入成绩"))
    spec = _stage(campaign, stage)
    _scorable(spec)
    if application.status != ApplicationStatus.QUALIFIED or not _reached(campaign, application, spec):
        raise _fail(f"只有资格审查通过且进入{spec.label}的人员才能录入{spec.label}成绩。")
    value = Decimal(0) if absent else parse_score(score, what=spec.label)
    _store_score(application, spec, value, absent, f"手工录入（{actor}）")
    audit_record(
        actor=actor,
        event_type="campaign.score_set",
        target=campaign,
        after={"application_id": application.pk, "stage": stage, "absent": absent},
        unit_id=campaign.unit_id,
    )
    return StageScore.objects.get(application=application, stage=stage)


@dataclass(frozen=True)
class ScoreRow:
    """One imported row: who (ID number or ticket), the score text, absent or not, the row number."""

    line: int
    who: str
    score: str
    absent: bool = False


# Rows per statement of an import: small enough for SQLite's variable limit and a moving progress bar.
SCORE_BATCH = 200


@transaction.atomic(durable=True)
def stage_scores_import(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    rows: Sequence[ScoreRow],
    source: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import a stage's scores (笔试 from Excel, an external exam): all rows or none.

    Each row names the applicant by ID number or ticket; every problem is reported with its row
    number (unknown person, not in this stage, a duplicate, not a number, above the full mark) and
    nothing is written when any row fails. ``progress(n)`` is told the number of rows written after
    each batch (inside the transaction: nothing is visible to others until all are committed).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入成绩"))
    spec = _stage(campaign, stage)
    _scorable(spec)
    if not rows:
        raise _fail("文件中没有成绩。")
    applications = list(campaign.applications.select_related("applicant"))
    by_key: dict[str, Application] = {}
    for a in applications:
        # An ID number on two applications (an identity conflict, settled) names the one that passed.
        if a.status == ApplicationStatus.QUALIFIED or a.applicant.id_number not in by_key:
            by_key[a.applicant.id_number] = a
        if a.ticket:
            by_key[a.ticket] = a
    errors: list[str] = []
    seen: dict[int, int] = {}
    ready: list[tuple[Application, Decimal, bool]] = []
    full = Decimal(spec.full_mark.numerator) / Decimal(spec.full_mark.denominator)
    for row in rows:
        who = row.who.strip().upper()
        application = by_key.get(who)
        if application is None:
            errors.append(f"第 {row.line} 行：身份证号或准考证号“{row.who}”不是本次选拔的报名人员。")
            continue
        if application.status != ApplicationStatus.QUALIFIED or not _reached(campaign, application, spec):
            errors.append(
                f"第 {row.line} 行：{application.applicant.name}未通过资格审查或未进入{spec.label}。"
            )
            continue
        if application.pk in seen:
            errors.append(
                f"第 {row.line} 行：{application.applicant.name}与第 {seen[application.pk]} 行重复。"
            )
            continue
        seen[application.pk] = row.line
        if row.absent and row.score.strip():
            errors.append(f"第 {row.line} 行：{application.applicant.name}同时填写了成绩和缺考，请只填一项。")
            continue
        if row.absent:
            ready.append((application, Decimal(0), True))
            continue
        try:
            value = parse_score(row.score, what=spec.label)
        except ServiceError as exc:
            errors.append(f"第 {row.line} 行：{'；'.join(exc.messages)}")
            continue
        if value > full:
            errors.append(
                f"第 {row.line} 行：{spec.label}成绩 {value} 超过满分 {score_text(spec.full_mark)}。"
            )
            continue
        ready.append((application, value, False))
    if errors:
        raise ServiceError(errors)
    # One statement per batch, replacing earlier scores of the stage (a re-import corrects them).
    for start in range(0, len(ready), SCORE_BATCH):
        StageScore.objects.bulk_create(
            [
                StageScore(application=a, stage=spec.key, score=value, absent=absent, source=source[:100])
                for a, value, absent in ready[start : start + SCORE_BATCH]
            ],
            update_conflicts=True,
            unique_fields=["application", "stage"],
            update_fields=["score", "absent", "source"],
        )
        if progress is not None:
            progress(min(start + SCORE_BATCH, len(ready)))
    audit_record(
        actor=actor,
        event_type="campaign.scores_imported",
        target=campaign,
        after={"stage": stage, "rows": len(ready)},
        reason=source[:300],
        unit_id=campaign.unit_id,
    )
    return len(ready)


# The conversion of a 民主测评 result into a stage score: the share of each grade times its points.
# Local practice, stated in the campaign's announcement (rules.md MODE-09, UNCONFIRMED).
EVALUATION_POINTS = {"excellent": 100, "competent": 80, "basic": 60, "incompetent": 0}
CITE_EVALUATION_POINTS = (
    "本次选拔公告所定民主测评折算办法：优秀 100 分、称职 80 分、基本称职 60 分、不称职 0 分，"
    "按各等次得票比例加权（地方做法，rules.md MODE-09，UNCONFIRMED）"
)


@transaction.atomic(durable=True)
def evaluation_scores_from_ballot(*, actor: User, campaign: Campaign, stage: str, ballot: Any) -> int:
    """Take a 民主测评 stage's scores from a counted evaluation ballot of the voting app.

    Each applicant in the stage who is a registry cadre must have an item in the ballot; the score
    is Σ share × points (``EVALUATION_POINTS``), exact, rounded once to two decimals.
    """
    from ganbu.voting.choices import BallotKind, BallotStatus
    from ganbu.voting.models import Ballot, BallotResult

    campaign = _locked(campaign)
    ballot = Ballot.objects.select_related("unit").get(pk=ballot.pk)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(
            MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="导入民主测评结果")
        )
    spec = _stage(campaign, stage)
    if ballot.kind != BallotKind.EVALUATION or ballot.status not in (
        BallotStatus.TALLIED,
        BallotStatus.PUBLISHED,
    ):
        raise _fail("请选择一次已计票的民主测评。", "ballot")
    if not can_edit_unit(actor, ballot.unit):
        raise _fail("投票不存在或不在您的管理范围内。", "ballot")
    results = {
        r.item.cadre_id: r.data for r in BallotResult.objects.filter(ballot=ballot).select_related("item")
    }
    in_stage = list(
        campaign.applications.filter(
            status=ApplicationStatus.QUALIFIED, stage_reached=spec.key
        ).select_related("applicant")
    )
    missing = [a.applicant.name for a in in_stage if a.applicant.cadre_id not in results]
    if missing:
        raise _fail(f"该民主测评没有以下人员的测评事项：{'、'.join(missing[:20])}。")
    for application in in_stage:
        data = results[application.applicant.cadre_id]
        if data.get("void") or not data.get("total"):
            raise _fail(f"{application.applicant.name}的民主测评无效或无有效票，不能折算成绩。")
        exact = sum(
            (Fraction(share) * EVALUATION_POINTS[grade] for grade, share in data.get("shares", {}).items()),
            Fraction(0),
        )
        _store_score(
            application, spec, rules.round_half_up(exact, 2), False, f"民主测评（投票编号 {ballot.pk}）"
        )
    audit_record(
        actor=actor,
        event_type="campaign.scores_imported",
        target=campaign,
        after={"stage": stage, "rows": len(in_stage), "ballot_id": ballot.pk},
        reason=CITE_EVALUATION_POINTS,
        unit_id=campaign.unit_id,
    )
    return len(in_stage)


# ---------------------------------------------------------------- interview panels


@transaction.atomic(durable=True)
def panel_create(
    *,
    actor: User,
    campaign: Campaign,
    stage: str,
    name: str,
    judges: Sequence[User],
    criteria: Sequence[Mapping[str, Any]],
    applications: Sequence[Application],
    drop_high: int = 1,
    drop_low: int = 1,
) -> InterviewPanel:
    """Set up an interview panel: judges, the criteria with their maxima, the trimming, the candidates."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    spec = _stage(campaign, stage)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="组建考官组"))
    try:
        parsed = [
            rules.Criterion(
                key=str(c["key"]), label=str(c["label"]), maximum=parse_score(c["maximum"], what="满分")
            )
            for c in criteria
        ]
    except (KeyError, ValueError, ServiceError) as exc:
        raise _fail(f"评分要素格式不正确：{exc}", "criteria") from None
    total = sum((rules.to_exact(c.maximum) * rules.to_exact(c.weight) for c in parsed), Fraction(0))
    if total != spec.full_mark:
        raise _fail(
            f"评分要素满分合计 {score_text(total)}，应等于{spec.label}满分 {score_text(spec.full_mark)}。"
        )
    _scorable(spec)
    if not spec.scored:
        raise _fail(f"{spec.label}不计入成绩，不设考官组。", "stage")
    not_judges = [str(j) for j in judges if not has_cap(j, Cap.CAMPAIGN_JUDGE)]
    if not_judges:
        raise _fail(f"考官须使用面试考官账号：{'、'.join(not_judges)}不是面试考官。", "judges")
    if len(judges) < drop_high + drop_low + 1:
        raise _fail(
            f"考官 {len(judges)} 人，去掉最高分 {drop_high} 个、最低分 {drop_low} 个后没有分数可用。",
            "judges",
        )
    # Re-read: the caller's objects may predate the last cut, and the panel must follow the database.
    fresh = list(Application.objects.filter(pk__in=[a.pk for a in applications]))
    if len(fresh) != len({a.pk for a in applications}) or any(
        a.campaign_id != campaign.pk
        or a.status != ApplicationStatus.QUALIFIED
        or not _reached(campaign, a, spec)
        for a in fresh
    ):
        raise _fail(f"面试对象须为本次选拔中进入{spec.label}的人员。", "applications")
    panel = InterviewPanel.objects.create(
        campaign=campaign,
        stage=spec.key,
        name=name.strip() or f"{spec.label}考官组",
        criteria=[{"key": c.key, "label": c.label, "maximum": str(c.maximum)} for c in parsed],
        drop_high=drop_high,
        drop_low=drop_low,
    )
    panel.judges.set(judges)
    panel.applications.set(fresh)
    audit_record(
        actor=actor,
        event_type="campaign.panel_created",
        target=campaign,
        after={"panel_id": panel.pk, "judges": len(judges), "candidates": len(applications)},
        unit_id=campaign.unit_id,
    )
    return panel


def panel_criteria(panel: InterviewPanel) -> list[rules.Criterion]:
    """The panel's criteria as the rules take them."""
    return [
        rules.Criterion(key=c["key"], label=c["label"], maximum=Decimal(c["maximum"])) for c in panel.criteria
    ]


@transaction.atomic(durable=True)
def panel_sheet_submit(
    *, actor: User, panel: InterviewPanel, application: Application, scores: Mapping[str, Any]
) -> PanelSheet:
    """A judge's scores for one candidate; changeable until the panel is locked, never after."""
    panel = InterviewPanel.objects.select_for_update().select_related("campaign").get(pk=panel.pk)
    if not panel.judges.filter(pk=actor.pk).exists():
        raise _fail("您不是该考官组的考官。")
    if panel.campaign.status != CampaignStatus.SCORING:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(panel.campaign.status).label, action="评分"))
    if panel.locked:
        raise _fail("考官组已锁定评分，不能再修改。")
    if not panel.applications.filter(pk=application.pk).exists():
        raise _fail("该考生不在本考官组。")
    criteria = panel_criteria(panel)
    clean: dict[str, str] = {}
    for c in criteria:
        if c.key not in scores or str(scores[c.key]).strip() == "":
            raise _fail(f"请为“{c.label}”打分。", c.key)
        value = parse_score(scores[c.key], what=c.label)
        if rules.to_exact(value) > rules.to_exact(c.maximum):
            raise _fail(f"“{c.label}”最高 {score_text(c.maximum)} 分，所打 {value} 分超过上限。", c.key)
        clean[c.key] = str(value)
    sheet, created = PanelSheet.objects.update_or_create(
        panel=panel, judge=actor, application=application, defaults={"scores": clean}
    )
    # Who scored whom and when, never the scores: a judge's marks stay theirs until the lock.
    audit_record(
        actor=actor,
        event_type="campaign.sheet_submitted",
        target=panel.campaign,
        after={"panel_id": panel.pk, "application_id": application.pk, "new": created},
        unit_id=panel.campaign.unit_id,
    )
    return sheet


@transaction.atomic(durable=True)
def panel_lock(*, actor: User, panel: InterviewPanel) -> int:
    """Lock the panel once every judge has scored every candidate; store each trimmed-mean score."""
    panel = InterviewPanel.objects.select_for_update().select_related("campaign__unit").get(pk=panel.pk)
    campaign = panel.campaign
    _require_manage(actor, campaign)
    if panel.locked:
        raise _fail("考官组已经锁定。")
    judges = list(panel.judges.all())
    applications = list(
        panel.applications.exclude(status=ApplicationStatus.WITHDRAWN).select_related("applicant")
    )
    sheets: dict[int, dict[str, dict[str, str]]] = {}
    for sheet in PanelSheet.objects.filter(panel=panel).select_related("judge"):
        sheets.setdefault(sheet.application_id, {})[sheet.judge.username] = sheet.scores
    missing = [
        f"{a.applicant.name}：{j}"
        for a in applications
        for j in judges
        if j.username not in sheets.get(a.pk, {})
    ]
    if missing:
        raise _fail("以下评分尚未提交：" + "、".join(missing[:20]) + ("等。" if len(missing) > 20 else "。"))
    stage = _stage(campaign, panel.stage)
    criteria = panel_criteria(panel)
    for application in applications:
        try:
            result = rules.panel_score(
                {judge: {k: Decimal(v) for k, v in s.items()} for judge, s in sheets[application.pk].items()},
                criteria,
                drop_high=panel.drop_high,
                drop_low=panel.drop_low,
            )
        except ValueError as exc:
            raise _fail(f"{application.applicant.name}：{exc}") from None
        _store_score(application, stage, result.score, False, panel.name[:100])
    panel.locked = True
    panel.save(update_fields=["locked"])
    audit_record(
        actor=actor,
        event_type="campaign.panel_locked",
        target=campaign,
        after={"panel_id": panel.pk, "scores": len(applications)},
        unit_id=campaign.unit_id,
    )
    return len(applications)


# ---------------------------------------------------------------- ranking, cut lists, outcomes


# What ``campaign_rank`` writes on each application, and how an unranked one looks.
RANKING_FIELDS = ["total", "place", "position", "place_note", "assigned_post", "placement_note"]
UNRANKED: dict[str, Any] = {
    "total": None,
    "place": None,
    "position": None,
    "place_note": "",
    "assigned_post": None,
    "placement_note": "",
}


def _ranking(campaign: Campaign, through: str | None = None) -> tuple[rules.Ranking, dict[str, Application]]:
    """Rank the qualified applications still in the running on the total so far (or overall)."""
    plan = plan_of(campaign)
    apps = {
        str(a.pk): a
        for a in campaign.applications.filter(status=ApplicationStatus.QUALIFIED).select_related("applicant")
    }
    scores: dict[int, dict[str, Decimal]] = {}
    for s in StageScore.objects.filter(application__campaign=campaign):
        scores.setdefault(s.application_id, {})[s.stage] = s.score
    upto = [s.key for s in plan.scored_stages]
    if through is not None:
        keys = [s.key for s in plan.stages]
        cut = keys.index(through)
        upto = [s.key for s in plan.scored_stages if keys.index(s.key) <= cut]
    entries = []
    for key, application in apps.items():
        own = scores.get(application.pk, {})
        if any(stage not in own for stage in upto):
            continue  # not (yet) scored in every stage up to here: out of this ranking
        total = rules.weighted_total(own, plan, through=through)
        entries.append(
            rules.RankEntry(key=key, total=total.value, tie_values=dict(own), name=application.applicant.name)
        )
    # Tie-break only on the stages counted so far: later stages have no scores yet.
    tie_rules = tuple(r for r in rules.tie_rules_for(plan) if r.key in upto)
    return rules.rank(entries, tie_rules), apps


def _cut_per_post(
    campaign: Campaign,
    campaign_posts: list[CampaignPost],
    ranking: rules.Ranking,
    reached: Mapping[str, Application],
    spec: rules.Stage,
    following: rules.Stage,
) -> tuple[list[str], str]:
    """Several posts: the ratio applies per post (按职位 1:N), by the applicants' choices.

    Those below the stage's pass mark are removed first; ``rules.allocate`` then gives each post
    ⌈places × N⌉ seats in rank order, first choice then second (ties at a post's line kept).
    """
    assert spec.cut_ratio is not None
    mark = spec.pass_mark
    below = [e for e in ranking.entries if mark is not None and rules.to_exact(e.entry.total) < mark]
    eligible = rules.rank([e.entry for e in ranking.entries if e not in below], ranking.tie_rules)
    choices = {
        e.key: tuple(
            str(p) for p in (reached[e.key].first_choice_id, reached[e.key].second_choice_id) if p is not None
        )
        for e in eligible.entries
    }
    allocation = rules.allocate(
        eligible,
        {str(cp.pk): cp.places for cp in campaign_posts},
        choices,
        ratio=spec.cut_ratio,
        max_choices=2 if campaign.allow_second_choice else 1,
        post_labels={str(cp.pk): str(cp.post) for cp in campaign_posts},
    )
    passed = sorted(p.key for p in allocation.placements if p.post is not None)
    notes = "；".join(allocation.notes)
    summary = (
        f"按各职位 {ratio_text(spec.cut_ratio)} 的比例，{len(passed)} 人进入{following.label}"
        + (f"；成绩低于合格分数线的 {len(below)} 人不进入" if below else "")
        + (f"；{notes}" if notes else "")
        + "。"
    )
    return passed, summary


@dataclass(frozen=True)
class Advance:
    """Who went on from a stage: the cut list (a stage with a ratio), or everyone not excluded."""

    stage: str
    next_stage: str
    passed: int
    summary: str
    cut: rules.CutList | None


@transaction.atomic(durable=True)
def stage_advance(
    *, actor: User, campaign: Campaign, stage: str, exclude: Sequence[Application] = (), reason: str = ""
) -> Advance:
    """Let the candidates through from ``stage`` to the next one.

    A stage with a cut ratio (笔试 → 面试 1:3 …) lets through ⌈posts × ratio⌉ by the total so far,
    plus everyone tied at the line, after removing those below its pass mark. A stage without one
    (民主测评 before 组织考察) lets everyone through except those ``exclude`` names, with ``reason``.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise _fail(
            MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="确定进入下一环节人选")
        )
    plan = plan_of(campaign)
    spec = _stage(campaign, stage)
    following = plan.next_stage(stage)
    if following is None:
        raise _fail(f"{spec.label}是最后一个环节。", "stage")
    reached = {
        str(a.pk): a
        for a in campaign.applications.filter(
            status=ApplicationStatus.QUALIFIED, stage_reached=spec.key
        ).select_related("applicant")
    }
    if campaign.applications.filter(stage_reached=following.key).exists():
        raise _fail(f"已经确定了进入{following.label}的人选，不能再次确定。")
    if not reached:
        raise _fail(f"没有处在{spec.label}环节的人员。")
    cut: rules.CutList | None = None
    if spec.cut_ratio is None:
        excluded = {str(a.pk) for a in exclude}
        if excluded - set(reached):
            raise _fail(f"不进入{following.label}的人员须是处在{spec.label}环节的人员。", "exclude")
        if excluded and not reason.strip():
            raise _fail("请写明不进入下一环节的理由。", "reason")
        passed = [k for k in reached if k not in excluded]
        names = "、".join(reached[k].applicant.name for k in sorted(excluded))
        summary = f"{spec.label}后 {len(passed)} 人进入{following.label}" + (
            f"；{names}不进入（{reason.strip()}）。" if excluded else "。"
        )
    else:
        if exclude:
            raise _fail(f"{spec.label}按比例确定进入{following.label}的人选，不能另行排除。", "exclude")
        ranking, _ = _ranking(campaign, through=stage if spec.scored else None)
        ranked = {e.key for e in ranking.entries}
        unscored = [a for k, a in reached.items() if k not in ranked]
        if unscored:
            raise _fail(f"尚有 {len(unscored)} 人没有{spec.label}成绩（缺考的请登记缺考）。")
        ranking = rules.rank([e.entry for e in ranking.entries if e.key in reached], ranking.tie_rules)
        campaign_posts = list(campaign.posts.select_related("post__unit"))
        if len(campaign_posts) == 1:
            cut = rules.cut_list(
                ranking,
                campaign_posts[0].places,
                spec.cut_ratio,
                pass_mark=spec.pass_mark,
                next_stage=following.label,
            )
            passed = sorted(cut.passed_keys)
            summary = cut.summary
        else:
            passed, summary = _cut_per_post(campaign, campaign_posts, ranking, reached, spec, following)
    Application.objects.filter(pk__in=[int(k) for k in passed]).update(stage_reached=following.key)
    audit_record(
        actor=actor,
        event_type="campaign.stage_advanced",
        target=campaign,
        after={"stage": stage, "next": following.key, "passed": len(passed)},
        reason=summary,
        unit_id=campaign.unit_id,
    )
    return Advance(stage=stage, next_stage=following.key, passed=len(passed), summary=summary, cut=cut)


@transaction.atomic(durable=True)
def campaign_rank(*, actor: User, campaign: Campaign) -> rules.Allocation:
    """Rank on the composite total, allocate by choices, and store totals, places and proposed posts.

    Those who reached the last scored stage with every score are ranked; the allocation (rank
    order, first choice then second, ``rules.allocate``) proposes who is to be inspected and
    appointed to which post. People then decide (``campaign_decide``).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    plan = plan_of(campaign)
    final = plan.stages[-1].key
    ranking, apps = _ranking(campaign)
    if not ranking.entries:
        raise _fail("没有完成全部计分环节的人员，无法排名。")
    # Everyone with every score is ranked (the reserve pool reads the whole ranking); only those who
    # reached the last stage are allocated to posts.
    finalists = rules.rank(
        [e.entry for e in ranking.entries if apps[e.key].stage_reached == final], ranking.tie_rules
    )
    if not finalists.entries:
        raise _fail(f"没有进入{plan.stages[-1].label}环节的人员，无法分配职位。")
    posts = {str(cp.pk): cp.places for cp in campaign.posts.all()}
    choices = {
        e.key: tuple(
            str(p) for p in (apps[e.key].first_choice_id, apps[e.key].second_choice_id) if p is not None
        )
        for e in finalists.entries
    }
    allocation = rules.allocate(
        finalists,
        posts,
        choices,
        max_choices=2 if campaign.allow_second_choice else 1,
        post_labels={str(cp.pk): str(cp.post) for cp in campaign.posts.select_related("post__unit")},
    )
    Application.objects.filter(campaign=campaign).update(**UNRANKED)
    placements = {p.key: p for p in allocation.placements}
    changed = []
    for ranked in ranking.entries:
        a = apps[ranked.key]
        a.total = Decimal(str(ranked.entry.total))
        a.place, a.position, a.place_note = ranked.rank, ranked.position, ranked.note
        placement = placements.get(ranked.key)
        a.assigned_post_id = int(placement.post) if placement and placement.post else None
        a.placement_note = placement.note if placement else ""
        changed.append(a)
    Application.objects.bulk_update(changed, RANKING_FIELDS, batch_size=500)
    campaign.allocation_method, campaign.allocation_notes = allocation.method, list(allocation.notes)
    campaign.save(update_fields=["allocation_method", "allocation_notes"])
    _move(actor=actor, campaign=campaign, to=CampaignStatus.RANKED, after={"ranked": len(ranking.entries)})
    return allocation


@transaction.atomic(durable=True)
def campaign_decide(*, actor: User, campaign: Campaign, appointed: Sequence[Application]) -> int:
    """Record who is to be appointed (after inspection and the committee's decision), at most the places.

    Everyone else ranked is 未入选. The appointees keep the post the allocation proposed.
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.RANKED:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="确定任用人选"))
    ids = {a.pk for a in appointed}
    chosen = list(campaign.applications.filter(pk__in=ids, status=ApplicationStatus.QUALIFIED))
    if len(chosen) != len(ids) or any(a.place is None or a.assigned_post_id is None for a in chosen):
        raise _fail("任用人选须是已排名并已分配职位的人员。")
    per_post: dict[int, int] = {}
    for a in chosen:
        assert a.assigned_post_id is not None
        per_post[a.assigned_post_id] = per_post.get(a.assigned_post_id, 0) + 1
    for cp in campaign.posts.select_related("post"):
        if per_post.get(cp.pk, 0) > cp.places:
            raise _fail(f"职位「{cp.post}」职数 {cp.places} 名，拟任用 {per_post[cp.pk]} 人，超过职数。")
    campaign.applications.exclude(status=ApplicationStatus.WITHDRAWN).update(outcome=Outcome.NOT_SELECTED)
    campaign.applications.filter(pk__in=ids).update(outcome=Outcome.APPOINTED)
    audit_record(
        actor=actor,
        event_type="campaign.decided",
        target=campaign,
        after={"appointed": len(ids)},
        unit_id=campaign.unit_id,
    )
    return len(ids)


@transaction.atomic(durable=True)
def campaign_publish(*, actor: User, campaign: Campaign) -> Campaign:
    """Publish the results: the public result page lists the appointees; each applicant sees their own."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not campaign.applications.filter(outcome=Outcome.APPOINTED).exists():
        raise _fail("尚未确定任用人选。")
    _move(actor=actor, campaign=campaign, to=CampaignStatus.PUBLISHED)
    return campaign


@transaction.atomic(durable=True)
def campaign_reserve(*, actor: User, campaign: Campaign, on: dt.date) -> rules.ReservePool:
    """Put the unappointed among the top ``reserve_top_n`` into the reserve pool, the campaign as source.

    Only registry cadres can join (an outside applicant has no cadre record yet; the result says so).
    """
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status not in (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED):
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="列入后备干部"))
    if campaign.reserve_top_n < 1 or not campaign.reserve_level:
        raise _fail("本次选拔未规定进入后备干部的名次线和层次。")
    # The ranking campaign_rank stored (scores cannot change once ranked): what the page previews.
    found = reserve_candidates(campaign)
    if found is None:
        raise _fail("本次选拔尚未排名。")
    pool, apps = found
    added = 0
    for entry in pool.entries:
        applicant = apps[entry.key].applicant
        if (
            applicant.cadre_id is None
            or ReserveMembership.objects.filter(cadre_id=applicant.cadre_id, end_date__isnull=True).exists()
        ):
            continue  # no cadre record, or already in the pool (running this twice adds nobody twice)
        reserve_add_within(
            actor=actor,
            cadre=Cadre.objects.get(pk=applicant.cadre_id),
            level=campaign.reserve_level,
            source=f"{campaign.title}（{entry.place}）"[:100],
            start_date=on,
        )
        added += 1
    audit_record(
        actor=actor,
        event_type="campaign.reserve_added",
        target=campaign,
        after={"pool": len(pool.entries), "added": added},
        reason=pool.summary,
        unit_id=campaign.unit_id,
    )
    return pool


@transaction.atomic(durable=True)
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """Close the campaign: nothing changes after this."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    _move(actor=actor, campaign=campaign, to=CampaignStatus.CLOSED)
    return campaign


@transaction.atomic(durable=True)
def campaign_hand_over(*, actor: User, campaign: Campaign, on: dt.date) -> Any:
    """Pass the inspection candidates into the appointment procedure: one 纪实 for the campaign's posts.

    The record opens at 动议, its 民主推荐 step records that the campaign produced the candidates
    (MODE-03), and the candidates are set per post — the finalists placed at each post by the
    ratio into 组织考察 — with every eligibility and avoidance check of the procedure. Only for
    vacant posts (an appointment by the committee); a 竞争上岗 of mid-level posts is decided by
    ``campaign_decide`` alone. Outside applicants need a cadre record first.
    """
    from ganbu.selection import services as selection

    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if campaign.status != CampaignStatus.RANKED:
        raise _fail(MSG_STATUS.format(status=CampaignStatus(campaign.status).label, action="转入组织考察"))
    plan = plan_of(campaign)
    final = plan.stages[-1]
    # The ratio into the last stage (面试 → 组织考察 2:1): the seats per post for the 差额 inspection.
    into_final = next((s.cut_ratio for s in reversed(plan.stages[:-1]) if s.cut_ratio), None)
    ranking, apps = _ranking(campaign)
    finalists = rules.rank(
        [e.entry for e in ranking.entries if apps[e.key].stage_reached == final.key], ranking.tie_rules
    )
    outside = [
        apps[e.key].applicant.name for e in finalists.entries if apps[e.key].applicant.cadre_id is None
    ]
    if outside:
        raise _fail(f"以下人员尚无干部档案，须先建档才能组织考察：{'、'.join(outside)}。")
    campaign_posts = list(campaign.posts.select_related("post__unit"))
    allocation = rules.allocate(
        finalists,
        {str(cp.pk): cp.places for cp in campaign_posts},
        {
            e.key: tuple(
                str(p) for p in (apps[e.key].first_choice_id, apps[e.key].second_choice_id) if p is not None
            )
            for e in finalists.entries
        },
        ratio=into_final or 1,
        max_choices=2 if campaign.allow_second_choice else 1,
    )
    by_post = {str(cp.pk): cp for cp in campaign_posts}
    posts = [cp.post for cp in campaign_posts if allocation.per_post.get(str(cp.pk))]
    record = selection.selection_propose_within(
        actor=actor,
        unit=campaign.unit,
        title=f"{campaign.title}（组织考察）",
        reason=f"{campaign.title}产生考察人选，按程序组织考察。",
        proposer="县委组织部",
        proposed_on=on,
        posts=posts,
    )
    selection.recommendation_complete_within(actor=actor, record=record, on=on, produced_by=campaign.title)
    cadres = Cadre.objects.in_bulk([apps[e.key].applicant.cadre_id or 0 for e in finalists.entries])
    choices = [
        selection.Choice(cadre=cadres[apps[entry.key].applicant.cadre_id or 0], post=by_post[post_key].post)
        for post_key, entries in allocation.per_post.items()
        for entry in entries
    ]
    selection.candidates_set_within(
        actor=actor,
        record=record,
        choices=choices,
        on=on,
        differential_reason=f"按{campaign.title}规定的比例差额产生考察对象",
    )
    audit_record(
        actor=actor,
        event_type="campaign.handed_over",
        target=campaign,
        after={"record_id": record.pk, "candidates": len(choices)},
        unit_id=campaign.unit_id,
    )
    record.refresh_from_db()
    return record


@transaction.atomic(durable=True)
def campaign_reopen_scoring(*, actor: User, campaign: Campaign, reason: str) -> Campaign:
    """Back from 已排名 to 考试与测评 to correct a score; the ranking and the allocation are cleared."""
    campaign = _locked(campaign)
    _require_manage(actor, campaign)
    if not reason.strip():
        raise _fail("请写明重新计分的理由。", "reason")
    campaign.applications.update(**UNRANKED, outcome=Outcome.PENDING)
    campaign.allocation_method, campaign.allocation_notes = "", []
    campaign.save(update_fields=["allocation_method", "allocation_notes"])
    campaign.applications.filter(status=ApplicationStatus.WITHDRAWN).update(outcome=Outcome.WITHDRAWN)
    _move(actor=actor, campaign=campaign, to=CampaignStatus.SCORING, after={"reason": reason.strip()})
    return campaign
