"""The fields of the allocation and training documents (issue 15), each built from its own source object.

``exchange_decision`` (交流任职决定) is built from a carried-out ``ganbu.exchanges`` RotationPlan and the
appointment document it issued; ``training_roster`` (培训班花名册) and ``training_certificate`` (结业证书)
from a ``ganbu.training`` TrainingClass. Each lists only the rows the user may see: the source fetch
(``sources``) reads the object through the owning app's selectors and keeps the rows they return on the
object (:data:`VISIBLE_MOVES`, :data:`VISIBLE_ROSTER`), so a unit officer's document names the moves and
trainees of their own subtree only, exactly as their page does. As in ``context``, every value is text
or a list of records of texts, and a document whose step has not happened raises
:class:`context.DocumentNotReady`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ganbu.exchanges.choices import ExchangeKind, PlanStatus
from ganbu.exchanges.models import PlanMove, RotationPlan
from ganbu.registry.models import Post
from ganbu.training.choices import ClassStatus, EnrollmentStatus, Mode, Organizer, Purpose, Result
from ganbu.training.models import Enrollment, TrainingClass

from .context import DocumentNotReady, day, names, paragraphs, period
from .context_supervision import base_fields

#: The attribute the source fetch sets on a plan: its moves the user may see (``exchanges.selectors``).
VISIBLE_MOVES = "visible_moves"
#: The attribute the source fetch sets on a class: its trainees the user may see (``training.selectors``).
VISIBLE_ROSTER = "visible_roster"

MSG_PLAN_NOT_CARRIED_OUT = "交流轮岗方案尚未实施（目前{status}，拟于{date}交流），不能生成交流任职决定。"
MSG_CLASS_OPEN = "班次尚未登记结业（结业日期{date}），不能生成结业证书。"
MSG_NO_CERTIFICATES = "本班次您能查看的学员中没有取得结业证书的（成绩为优秀或合格的学员才颁发结业证书）。"


def hours(value: Decimal) -> str:
    """学时 as an officer writes it: 70, 3.5 (no trailing zero, never an exponent)."""
    return format(value.normalize(), "f")


def _post(post: Post | None) -> str:
    """A post with its unit (县农业农村局副局长), or empty (the post comes with its unit)."""
    return f"{post.unit.name}{post.title}" if post is not None else ""


def _plan_moves(plan: RotationPlan) -> Sequence[PlanMove]:
    """The moves the fetch kept for the user; every move when called without it (county-wide use)."""
    kept: Sequence[PlanMove] | None = getattr(plan, VISIBLE_MOVES, None)
    if kept is not None:
        return kept
    return list(
        plan.moves.select_related("cadre__unit", "from_post__unit", "to_post__unit").order_by(
            "sort_order", "id"
        )
    )


def _move_line(move: PlanMove) -> str:
    """任免表述: 某某同志任某职，免去其某职务（转任）。"""
    line = f"{move.cadre.name}同志任{_post(move.to_post)}"
    if move.from_post is not None:
        line += f"，免去其{_post(move.from_post)}职务"
    return f"{line}（{ExchangeKind(move.kind).label}）。"


def exchange_decision(plan: RotationPlan, candidate_id: int | None = None) -> dict[str, Any]:
    """交流任职决定: the plan's moves as carried out by its appointment document, one line per cadre."""
    doc = plan.document
    if plan.status != PlanStatus.CARRIED_OUT or doc is None or plan.carried_out_on is None:
        raise DocumentNotReady(
            MSG_PLAN_NOT_CARRIED_OUT.format(status=PlanStatus(plan.status).label, date=day(plan.planned_on))
        )
    moves = _plan_moves(plan)
    rows = [
        {
            "number": str(n),
            "name": m.cadre.name,
            "from_post": _post(m.from_post) or "—",
            "to_post": _post(m.to_post),
            "kind": ExchangeKind(m.kind).label,
            "line": _move_line(m),
        }
        for n, m in enumerate(moves, start=1)
    ]
    return {
        **base_fields(doc.issued_on, issuer=doc.issuing_body, doc_number=doc.number),
        "title": plan.title,
        "doc_title": doc.title,
        "discussed_on": day(plan.discussed_on),
        "meeting": plan.meeting,
        "effective_on": day(plan.carried_out_on),
        "note_paragraphs": paragraphs(plan.note),
        "moves": rows,
        "lines": [r["line"] for r in rows],
        "names_text": names(r["name"] for r in rows),
        "count": str(len(rows)),
    }


def _roster(klass: TrainingClass) -> Sequence[Enrollment]:
    """The trainees the fetch kept for the user; every trainee when called without it (county-wide use)."""
    kept: Sequence[Enrollment] | None = getattr(klass, VISIBLE_ROSTER, None)
    if kept is not None:
        return kept
    return list(klass.enrollments.select_related("cadre", "unit").order_by("id"))


def _class_fields(klass: TrainingClass) -> dict[str, str]:
    """What the roster and the certificates say of the class and its program."""
    program = klass.program
    return {
        "title": klass.title,
        "program": program.title,
        "year": str(program.year),
        "purpose": Purpose(program.purpose).label,
        "organizer": Organizer(program.organizer).label,
        "mode": Mode(program.mode).label,
        "start_date": day(klass.start_date),
        "end_date": day(klass.end_date),
        "period": period(klass.start_date, klass.end_date),
        "days": str(klass.days),
        "total_hours": hours(klass.total_hours),
        "capacity": str(klass.capacity),
        "place": klass.place,
        "status": ClassStatus(klass.status).label,
        "closed_on": day(klass.closed_on),
    }


def _result(e: Enrollment) -> str:
    """结业成绩 (with the exam score when there is one), or empty before the class closes."""
    if not e.result:
        return ""
    text = str(Result(e.result).label)
    return f"{text}（{hours(e.score)}分）" if e.score is not None else text


def _trainee_post(e: Enrollment) -> str:
    """现任职务 as on the record, or 「所在单位＋干部」 (the unit kept at enrolment; no extra query)."""
    return e.cadre.current_post_text or f"{e.unit.name}干部"


def training_roster(klass: TrainingClass, candidate_id: int | None = None) -> dict[str, Any]:
    """培训班花名册: the class, its program and organizer, dates and hours, and each trainee's row."""
    roster = _roster(klass)
    completed = EnrollmentStatus.COMPLETED
    trainees = [
        {
            "number": str(n),
            "name": e.cadre.name,
            "unit": e.unit.name,
            "post": _trainee_post(e),
            "status": EnrollmentStatus(e.status).label,
            "absence_hours": hours(e.absence_hours),
            "result": _result(e),
            "hours_credited": hours(e.hours_credited) if e.status == completed else "",
            "certificate_no": e.certificate_no,
        }
        for n, e in enumerate(roster, start=1)
    ]
    return {
        **base_fields(klass.start_date),
        **_class_fields(klass),
        "trainees": trainees,
        "count": str(len(trainees)),
        "completed_count": str(sum(1 for e in roster if e.status == completed)),
    }


def _school(organizer: str, county: str) -> str:
    """Who issues the certificate: the organizer, with the county's name (示例县委党校)."""
    return str(Organizer(organizer).label).replace("县", county, 1)


def training_certificate(klass: TrainingClass, candidate_id: int | None = None) -> dict[str, Any]:
    """结业证书: one certificate (a page each) per trainee of the closed class who was given a number."""
    if klass.status != ClassStatus.CLOSED or klass.closed_on is None:
        raise DocumentNotReady(MSG_CLASS_OPEN.format(date=day(klass.end_date)))
    holders = [e for e in _roster(klass) if e.certificate_no]
    if not holders:
        raise DocumentNotReady(MSG_NO_CERTIFICATES)
    base = base_fields(klass.closed_on)
    base["issuer"] = _school(klass.program.organizer, base["county"])
    return {
        **base,
        **_class_fields(klass),
        "certificates": [
            {
                "number": e.certificate_no,
                "name": e.cadre.name,
                "unit": e.unit.name,
                "post": _trainee_post(e),
                "hours": hours(e.hours_credited),
                "result": _result(e),
            }
            for e in holders
        ],
        "names_text": names(e.cadre.name for e in holders),
        "count": str(len(holders)),
    }
