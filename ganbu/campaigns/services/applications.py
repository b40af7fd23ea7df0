"""Applications: the applicant records, entry (one, many, self-service), withdrawal, the review
and identity conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.transactions import durable, require_atomic
from ganbu.registry.choices import CadreStatus
from ganbu.registry.models import (
    Assessment,
    Cadre,
    RankRecord,
    RewardSanction,
    Unit,
)
from ganbu.registry.sanction_status import eligibility_terms
from ganbu.rules import campaign as rules
from ganbu.rules.eligibility import Education, Sanction, SanctionKind
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.rules.retirement import Gender
from ganbu.rules.tally import Grade

from ..choices import ApplicationStatus, CampaignKind, CampaignStatus, Outcome
from ..models import (
    Applicant,
    Application,
    Campaign,
    CampaignPost,
    IdentityStatus,
)
from ..selectors import covers_unit, self_nominates
from .common import (
    EDUCATION_LEVEL,
    MSG_NO_MANAGE,
    MSG_NOT_OPEN,
    MSG_STATUS,
    RANK_LEVEL,
    _fail,
    _locked,
    _move,
    _require_manage,
    plan_of,
    spec_of,
)

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


def _registry_applicant(cadre: Cadre, id_number: str) -> Applicant:
    """A new applicant record for a cadre entered by the department, identified by the registry."""
    return Applicant(
        cadre=cadre,
        identity=IdentityStatus.REGISTRY,
        identity_basis="干部档案",
        identity_checked_at=timezone.now(),
        id_number=id_number,
    )


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
                name=name,
                decided_on=s.decided_on,
                effective_until=until,
            )
            for s in record.sanctions
            for name, until in [eligibility_terms(s)]
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
        applicant = _registry_applicant(cadre, fields["id_number"])
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
    new applicant records and the applications are inserted together, and a record already there is
    updated only when the registry's facts changed. What remains per row is the audit event (the
    chain is appended one event at a time, three statements).
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
    changes: dict[int, set[str]] = {}  # by cadre: the fields of an applicant record that change
    created: list[tuple[Application, Applicant]] = []
    for (n, cadre, fields), (_cadre, first, second) in zip(prepared, rows, strict=True):
        if fields is None:
            continue
        try:
            applicant = by_cadre.get(cadre.pk) or owners.pop(fields["id_number"], None)
            if applicant is None:
                applicant = _registry_applicant(cadre, fields["id_number"])
            now = {"cadre_id": cadre.pk, "unit_id": cadre.unit_id}
            now.update((name, value) for name, value in fields.items() if name != "id_number")
            changes[cadre.pk] = {name for name, value in now.items() if getattr(applicant, name) != value}
            for name, value in now.items():  # as ``_update``; written after the rows are checked
                setattr(applicant, name, value)
            applicant.unit = units[cadre.unit_id]
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
    # New applicant records are inserted together; a record already there is saved only where the
    # registry's facts changed (the stored values end as ``_update`` leaves them). Not
    # ``bulk_update``: its CASE expressions cost more than a thousand single-row updates.
    stored = [a for _, a in created if a.pk is not None]
    Applicant.objects.bulk_create([a for _, a in created if a.pk is None])
    for applicant in stored:
        changed = changes[applicant.cadre_id] if applicant.cadre_id is not None else set()
        if changed:
            applicant.save(update_fields=sorted(name.removesuffix("_id") for name in changed))
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
