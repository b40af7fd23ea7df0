"""Rows for to-do tests, written directly (the to-do list only reads them; the services that would
write them are tested in their own apps). Dates are chosen by each test; 2024 is covered by the
official working-day calendar."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ganbu.registry.models import AppointmentDocument, DocumentItem, Tenure
from ganbu.registry.tests.factories import CadreFactory, PostFactory
from ganbu.selection.choices import NoticeKind, ObjectionStatus, ProbationStatus
from ganbu.selection.models import (
    Candidate,
    Objection,
    OpinionRequest,
    Probation,
    PublicNotice,
    SelectionRecord,
)

D = dt.date
_seq = itertools.count(1)


def record(unit: Any, by: Any, *, step: str = "public_notice", title: str = "", document: Any = None) -> Any:
    """A selection record of ``unit`` at ``step``."""
    n = next(_seq)
    return SelectionRecord.objects.create(
        title=title or f"{unit.name}副职选拔{n}",
        unit=unit,
        reason="职位空缺",
        proposer="县委组织部",
        proposed_on=D(2024, 1, 2),
        step=step,
        document=document,
        created_by=by,
    )


def notice(rec: Any, by: Any, *, end: dt.date, kind: str = NoticeKind.PUBLIC_NOTICE) -> Any:
    """A notice of ``rec`` running from five days before ``end`` to ``end``."""
    return PublicNotice.objects.create(
        record=rec,
        kind=kind,
        title="任前公示" if kind == NoticeKind.PUBLIC_NOTICE else "考察预告",
        body="公示内容",
        start_date=end - dt.timedelta(days=6),
        end_date=end,
        published_by=by,
    )


def objection(note: Any, *, status: str = ObjectionStatus.OPEN, about: str = "") -> Any:
    """A public objection on ``note`` with a unique tracking code."""
    n = next(_seq)
    code = f"{n:012d}"
    return Objection.objects.create(
        notice=note,
        tracking_code=f"{code[:4]}-{code[4:8]}-{code[8:]}",
        content="反映的问题",
        about=about,
        status=status,
        name="不留名",
    )


def opinion(rec: Any, *, addressee: Any = None, sent_on: dt.date, answered_on: dt.date | None = None) -> Any:
    """An opinion request of ``rec``; answered when ``answered_on`` is given."""
    n = next(_seq)
    return OpinionRequest.objects.create(
        record=rec,
        body="discipline",
        body_name=f"县纪委{n}",
        addressee=addressee,
        sent_on=sent_on,
        answer="no_objection" if answered_on else "",
        answered_on=answered_on,
    )


def document(issued_on: dt.date) -> Any:
    """An appointment document issued on ``issued_on``."""
    n = next(_seq)
    return AppointmentDocument.objects.create(
        number=f"示任〔2024〕{n}号", title="任职通知", issued_on=issued_on
    )


def probation(rec: Any, *, end: dt.date, status: str = ProbationStatus.RUNNING, name: str = "") -> Any:
    """A probation of a new cadre in a new post of ``rec``'s unit, completing on ``end``."""
    start = end.replace(year=end.year - 1)
    cadre = CadreFactory(unit=rec.unit, **({"name": name} if name else {}))
    post = PostFactory(unit=rec.unit, title=f"副局长{next(_seq)}")
    doc = document(start)
    item = DocumentItem.objects.create(
        document=doc, kind="appoint", cadre=cadre, post=post, effective_on=start
    )
    tenure = Tenure.objects.create(cadre=cadre, post=post, start_date=start, start_item=item)
    candidate = Candidate.objects.create(record=rec, cadre=cadre, post=post, appointed=True)
    return Probation.objects.create(
        record=rec, candidate=candidate, tenure=tenure, start_date=start, end_date=end, status=status
    )


def appointed(unit: Any, by: Any, *, issued_on: dt.date) -> Any:
    """A record at step 任职 whose document was issued on ``issued_on`` (feedback not yet reported)."""
    return record(unit, by, step="appointment", document=document(issued_on))


def leader(unit: Any, *, birth: dt.date, gender: str = "M", **fields: Any) -> Any:
    """A serving leader (the age-threshold groups list only leaders)."""
    return CadreFactory(unit=unit, birth_date=birth, gender=gender, is_leadership=True, **fields)
