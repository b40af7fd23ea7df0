"""The fields each kind of document gives its template, built from one selection record and its rows.

A builder reads only the record it is given (from the scoped selector ``record_get``) and rows related to
it: its notices, candidates with their cadres, inspection, checks, decision, ballot results, document and
probations — each in one query, so a document costs the same number of queries for two candidates or
twenty. Every value is text (dates written out as 2024年8月19日) or a list of such records, so a
department's template needs no filters to print them. A document whose step has not happened yet raises
:class:`DocumentNotReady` with a Chinese message rather than printing an empty form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.http import Http404
from django.utils import timezone

from ganbu.core.errors import ServiceError
from ganbu.registry.choices import LEADERSHIP_KINDS, DocumentItemKind, PoliticalStatus, Rank
from ganbu.registry.models import Cadre, DocumentItem, Tenure, Unit
from ganbu.rules.tally import Grade
from ganbu.selection.choices import MANDATORY_CHECKS, CheckKind, NoticeKind
from ganbu.selection.models import (
    Candidate,
    Decision,
    Inspection,
    InspectionCheck,
    Probation,
    PublicNotice,
    SelectionRecord,
)
from ganbu.voting.choices import ItemAction
from ganbu.voting.models import BallotResult

MSG_NO_PREANNOUNCEMENT = "尚未发布考察预告，不能生成考察预告。"
MSG_NO_NOTICE = "尚未发布任前公示，不能生成任前公示公告。"
MSG_NOTICE_EXEMPT = "本纪实免于任前公示（{reason}），没有任前公示公告。"
MSG_NO_APPOINTMENT = "尚未办理任职（没有登记任职文件），不能生成任职通知。"
MSG_NO_INSPECTION = "考察尚未开始，不能生成考察材料提纲。"
MSG_NO_DECISION = "常委会尚未完成票决，不能生成常委会讨论决定任免干部名单。"
MSG_CANDIDATE_NOT_FOUND = "考察对象不存在。"

ORG_DEPARTMENT = "中共{county}委组织部"
# How a committee item's proposal is written on the decision list.
ACTIONS: dict[str, str] = {ItemAction.APPOINTMENT: "拟任", ItemAction.REMOVAL: "拟免"}
CHECK_PENDING = "尚未完成"
NO_EVALUATION = "未进行考察民主测评。"
EVALUATION_NOT_COUNTED = "考察民主测评尚未计票。"


class DocumentNotReady(ServiceError):
    """The document cannot be made yet: the step it records has not happened (the message says which)."""


def day(value: dt.date | None) -> str:
    """A date as 2024年8月19日, or an empty string."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def month(value: dt.date | None) -> str:
    """A month as 1985年3月, or an empty string."""
    return f"{value.year}年{value.month}月" if value else ""


def period(start: dt.date, end: dt.date | None) -> str:
    """A span of days: 2024年8月19日至2024年8月23日 (the start alone while the end is open)."""
    return f"{day(start)}至{day(end)}" if end else f"{day(start)}起"


def names(values: Iterable[str]) -> str:
    """Names joined with 、 as in running Chinese text."""
    return "、".join(values)


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of ``text``: each becomes a paragraph of the document."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def doc_number_blank(on: dt.date) -> str:
    """The 文号 to fill in by hand, 〔2024〕　号: the system does not number these documents."""
    return f"〔{on.year}〕　号"


def posts_held(cadres: Iterable[Cadre]) -> dict[int, list[Tenure]]:
    """Every tenure of these cadres with its post and unit, by cadre, in one query."""
    held: dict[int, list[Tenure]] = {}
    ids = {c.pk for c in cadres}
    for tenure in Tenure.objects.filter(cadre_id__in=ids).select_related("post__unit"):
        held.setdefault(tenure.cadre_id, []).append(tenure)
    return held


def post_on(cadre: Cadre, tenures: list[Tenure], on: dt.date) -> str:
    """The posts ``cadre`` held on ``on``, written as the registry writes 现任职务.

    From the tenures when any was held that day (leadership posts first, then by rank, as
    ``registry.services`` orders them), so a notice made after the appointment still shows the post
    held when it was published; otherwise the record's 现任职务 if nothing has changed since, and
    「所在单位＋干部」 for a cadre without a post.
    """
    current = [t for t in tenures if t.start_date <= on and (t.end_date is None or t.end_date > on)]
    if current:
        current.sort(
            key=lambda t: (t.post.kind not in LEADERSHIP_KINDS, list(Rank.values).index(t.post.rank))
        )
        return "、".join(f"{t.post.unit.name}{t.post.title}" for t in current)
    changed = any(t.start_date > on or (t.end_date is not None and t.end_date > on) for t in tenures)
    if cadre.current_post_text and not changed:
        return cadre.current_post_text
    return f"{cadre.unit.name}干部"


def person(cadre: Cadre, post: str, on: dt.date, tenures: list[Tenure]) -> dict[str, str]:
    """The facts of a cadre's record printed on a document of day ``on``, with the post considered.

    ``cadre`` must come with its unit loaded (``select_related("cadre__unit")``) and ``tenures`` are
    all of its tenures (:func:`posts_held`), for the post held on ``on``.
    """
    party = cadre.political_status in (PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY)
    party_date = month(cadre.party_join_date) if party else ""
    education = cadre.get_highest_education_display() if cadre.highest_education else ""
    profile = [cadre.get_gender_display(), cadre.ethnicity, f"{month(cadre.birth_date)}生"]
    if cadre.native_place:
        profile.append(f"{cadre.native_place}人")
    if education:
        profile.append(f"{education}学历")
    if party_date:
        profile.append(f"{party_date}加入中国共产党")
    elif not party:
        profile.append(cadre.democratic_party or cadre.get_political_status_display())
    if cadre.work_start_date:
        profile.append(f"{month(cadre.work_start_date)}参加工作")
    return {
        "name": cadre.name,
        "gender": cadre.get_gender_display(),
        "ethnicity": cadre.ethnicity,
        "birth_month": month(cadre.birth_date),
        "age": str(cadre.age_on(on)),
        "native_place": cadre.native_place,
        "political_status": cadre.get_political_status_display(),
        "party_date": party_date,
        "work_start": month(cadre.work_start_date),
        "education": education,
        "school": cadre.ft_school or cadre.ip_school,
        "current_post": post_on(cadre, tenures, on),
        "post": post,
        "profile": "，".join(p for p in profile if p),
    }


def _county(record: SelectionRecord) -> str:
    """The name of the top unit of the record's unit tree (the county), read from the unit's path."""
    root_id = int(record.unit.path.split(".", 1)[0] or record.unit.pk)
    if root_id == record.unit.pk:
        return record.unit.name
    root = Unit.objects.filter(pk=root_id).only("name").first()
    return root.name if root else record.unit.name


def _common(
    record: SelectionRecord, on: dt.date, *, issuer: str = "", doc_number: str = ""
) -> dict[str, Any]:
    """Fields every kind gives: county, issuer, 文号, dates, the record and its unit."""
    county = _county(record)
    return {
        "county": county,
        "issuer": issuer or ORG_DEPARTMENT.format(county=county),
        "doc_number": doc_number or doc_number_blank(on),
        "date": day(on),
        "today": day(timezone.localdate()),
        "record_title": record.title,
        "unit": record.unit.name,
    }


def _candidates(record: SelectionRecord, **filters: Any) -> list[Candidate]:
    """The record's candidates (in their order) with cadre, unit and post, in one query."""
    return list(
        Candidate.objects.filter(record=record, **filters)
        .select_related("cadre__unit", "post__unit")
        .order_by("sort_order", "id")
    )


def _notice(record: SelectionRecord, kind: str) -> PublicNotice | None:
    """The record's notice of ``kind``, if published."""
    return PublicNotice.objects.filter(record=record, kind=kind).first()


def _notice_fields(notice: PublicNotice) -> dict[str, Any]:
    """A published notice's own text and dates."""
    return {
        "title": notice.title,
        "body": notice.body,
        "body_paragraphs": paragraphs(notice.body),
        "start_date": day(notice.start_date),
        "end_date": day(notice.end_date),
        "period": period(notice.start_date, notice.end_date),
        "contact": notice.contact,
    }


def preannouncement(record: SelectionRecord, candidate_id: int | None = None) -> dict[str, Any]:
    """考察预告: the notice as published, the inspection candidates and the team."""
    notice = _notice(record, NoticeKind.PREANNOUNCEMENT)
    if notice is None:
        raise DocumentNotReady(MSG_NO_PREANNOUNCEMENT)
    candidates = _candidates(record)
    held = posts_held(c.cadre for c in candidates)
    people = [person(c.cadre, str(c.post), notice.start_date, held.get(c.cadre_id, [])) for c in candidates]
    team = [str(name) for name in notice.team]
    return {
        **_common(record, notice.start_date),
        **_notice_fields(notice),
        "team": team,
        "team_text": names(team),
        "candidates": people,
        "candidate_names": names(p["name"] for p in people),
        "posts_text": names(dict.fromkeys(p["post"] for p in people)),
    }


def public_notice(record: SelectionRecord, candidate_id: int | None = None) -> dict[str, Any]:
    """任前公示公告: the notice as published and the people the standing committee approved."""
    if not record.public_notice:
        raise DocumentNotReady(MSG_NOTICE_EXEMPT.format(reason=record.notice_exemption or "未填写理由"))
    notice = _notice(record, NoticeKind.PUBLIC_NOTICE)
    if notice is None:
        raise DocumentNotReady(MSG_NO_NOTICE)
    candidates = _candidates(record, approved=True)
    held = posts_held(c.cadre for c in candidates)
    people = [person(c.cadre, str(c.post), notice.start_date, held.get(c.cadre_id, [])) for c in candidates]
    return {
        **_common(record, notice.start_date),
        **_notice_fields(notice),
        "persons": people,
        "person_names": names(p["name"] for p in people),
    }


def _probation_text(probation: Probation | None) -> str:
    """试用期一年（2024年9月23日至2025年9月23日）, or empty without a probation."""
    if probation is None:
        return ""
    return f"试用期一年（{period(probation.start_date, probation.end_date)}）"


def appointment_notice(record: SelectionRecord, candidate_id: int | None = None) -> dict[str, Any]:
    """任职通知: the document issued for the appointees, each with probation and the posts removed."""
    document = record.document
    if document is None:
        raise DocumentNotReady(MSG_NO_APPOINTMENT)
    decision = Decision.objects.filter(record=record).first()
    probations = {p.candidate_id: p for p in Probation.objects.filter(record=record)}
    removed: dict[int, list[str]] = {}
    for item in DocumentItem.objects.filter(document=document, kind=DocumentItemKind.REMOVE).select_related(
        "post__unit"
    ):
        if item.post is not None:
            removed.setdefault(item.cadre_id, []).append(str(item.post))
    appointees = []
    candidates = _candidates(record, appointed=True)
    held = posts_held(c.cadre for c in candidates)
    # 现任职务 is the post held before the document: the appointment itself starts on the day of issue.
    before = document.issued_on - dt.timedelta(days=1)
    for candidate in candidates:
        facts = {
            **person(
                candidate.cadre, str(candidate.post), document.issued_on, held.get(candidate.cadre_id, [])
            ),
            "current_post": post_on(candidate.cadre, held.get(candidate.cadre_id, []), before),
        }
        probation = _probation_text(probations.get(candidate.pk))
        ended = names(removed.get(candidate.cadre_id, []))
        line = f"{facts['name']}同志任{facts['post']}"
        line += f"，{probation}" if probation else ""
        line += f"；免去其{ended}职务。" if ended else "。"
        appointees.append({**facts, "probation": probation, "removed": ended, "line": line})
    return {
        **_common(record, document.issued_on, issuer=document.issuing_body, doc_number=document.number),
        "doc_title": document.title,
        "decided_on": day(decision.committee_decided_on if decision else None),
        "appointees": appointees,
        "appointee_names": names(a["name"] for a in appointees),
        "lines": [a["line"] for a in appointees],
    }


def _percent(share: str) -> str:
    """An exact share "2/5" as 40.00%."""
    return f"{float(Fraction(share or '0')) * 100:.2f}%"


def _evaluation(data: dict[str, Any] | None, linked: bool) -> tuple[str, list[dict[str, str]]]:
    """The inspection evaluation of one candidate: a sentence and one row per grade."""
    if data is None:
        return (EVALUATION_NOT_COUNTED if linked else NO_EVALUATION), []
    if data.get("void"):
        return "本事项民主测评无效。", []
    counts = data.get("counts", {})
    shares = data.get("shares", {})
    rows = [
        {"grade": g.label, "votes": str(counts.get(g.value, 0)), "share": _percent(shares.get(g.value, "0"))}
        for g in Grade
    ]
    text = "、".join(f"{r['grade']}{r['votes']}票（{r['share']}）" for r in rows)
    return f"民主测评有效票{data.get('total', 0)}张，其中{text}。", rows


def inspection_outline(record: SelectionRecord, candidate_id: int | None = None) -> dict[str, Any]:
    """考察材料提纲: per candidate, the record's facts, the checks, the evaluation; the team and dates."""
    inspection = Inspection.objects.filter(record=record).first()
    if inspection is None:
        raise DocumentNotReady(MSG_NO_INSPECTION)
    filters: dict[str, Any] = {} if candidate_id is None else {"pk": candidate_id}
    candidates = _candidates(record, **filters)
    if candidate_id is not None and not candidates:
        raise Http404(MSG_CANDIDATE_NOT_FOUND)
    checks: dict[int, dict[str, InspectionCheck]] = {}
    for check in InspectionCheck.objects.filter(candidate__in=[c.pk for c in candidates]):
        checks.setdefault(check.candidate_id, {})[check.kind] = check
    results: dict[int | None, dict[str, Any]] = {}
    if record.inspection_ballot_id is not None:
        for result in BallotResult.objects.filter(ballot_id=record.inspection_ballot_id).select_related(
            "item"
        ):
            results[result.item.cadre_id] = result.data
    required = [*MANDATORY_CHECKS, *([CheckKind.ECONOMIC_AUDIT] if inspection.audit_required else [])]
    on = inspection.finished_on or inspection.started_on
    held = posts_held(c.cadre for c in candidates)
    people: list[dict[str, Any]] = []
    for candidate in candidates:
        done = checks.get(candidate.pk, {})
        rows = [
            {
                "item": kind.label,
                "done_on": day(done[kind].done_on) if kind in done else "",
                "result": done[kind].result if kind in done else CHECK_PENDING,
            }
            for kind in CheckKind
            if kind in required or kind in done
        ]
        evaluation, grades = _evaluation(
            results.get(candidate.cadre_id), record.inspection_ballot_id is not None
        )
        people.append(
            {
                **person(candidate.cadre, str(candidate.post), on, held.get(candidate.cadre_id, [])),
                "checks": rows,
                "evaluation": evaluation,
                "evaluation_rows": grades,
            }
        )
    team = [str(name) for name in inspection.team]
    return {
        **_common(record, on),
        "team_leader": inspection.team_leader,
        "team": team,
        "team_text": names(team),
        "started_on": day(inspection.started_on),
        "finished_on": day(inspection.finished_on) or "（考察尚未结束）",
        "period": period(inspection.started_on, inspection.finished_on),
        "interviews": str(inspection.interviews),
        "materials": inspection.materials,
        "candidates": people,
        "candidate_names": names(p["name"] for p in people),
    }


def decision_list(record: SelectionRecord, candidate_id: int | None = None) -> dict[str, Any]:
    """讨论决定任免干部名单: each item of the standing committee's vote with its attendance and result."""
    decision = Decision.objects.filter(record=record).first()
    if decision is None or decision.committee_decided_on is None or record.committee_ballot_id is None:
        raise DocumentNotReady(MSG_NO_DECISION)
    on = decision.committee_decided_on
    rows = list(
        BallotResult.objects.filter(ballot_id=record.committee_ballot_id).select_related(
            "ballot", "item__cadre__unit", "item__post__unit"
        )
    )
    held = posts_held(r.item.cadre for r in rows if r.item.cadre is not None)
    items = []
    for number, result in enumerate(rows, start=1):
        item, data = result.item, result.data
        post = str(item.post) if item.post is not None else item.label
        facts = (
            person(item.cadre, post, on, held.get(item.cadre.pk, []))
            if item.cadre is not None
            else {**dict.fromkeys(person_keys(), ""), "name": item.label, "post": post}
        )
        items.append(
            {
                **facts,
                "number": str(number),
                "action": ACTIONS.get(item.action, ""),
                "members": str(data.get("members", "")),
                "present": str(data.get("present", "")),
                "agree": str(data.get("agree", 0)),
                "disagree": str(data.get("disagree", 0)),
                "defer": str(data.get("defer", 0)),
                "result": "通过" if data.get("passed") else "未通过",
            }
        )
    return {
        **_common(record, on),
        "meeting": rows[0].ballot.title if rows else "",
        "decided_on": day(on),
        "department_meeting_on": day(decision.department_meeting_on),
        "department_minutes": decision.department_minutes,
        "items": items,
        "total": str(len(items)),
        "passed_count": str(sum(1 for i in items if i["result"] == "通过")),
    }


def person_keys() -> tuple[str, ...]:
    """The names of the fields :func:`person` gives, in order."""
    return (
        "name",
        "gender",
        "ethnicity",
        "birth_month",
        "age",
        "native_place",
        "political_status",
        "party_date",
        "work_start",
        "education",
        "school",
        "current_post",
        "post",
        "profile",
    )
