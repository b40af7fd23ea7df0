"""Importing 任免审批表 files into the registry: one durable transaction and one audit event per file.

A file is read, mapped and matched exactly as the preview does (``selectors.plan_files``), then
written in its own transaction: the cadre's fields, the 简历 and the family replaced by the file's,
the 年度考核 rows the file states exactly, the photo, and what the registry has no field for
(``models.FormExtras``). A refused file writes nothing; the other files of a batch are still written.
See ``docs/lrmx-import.md``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction

from ganbu.accounts.models import User
from ganbu.core.access import Cap, can_edit_cadre, can_edit_unit, has_cap
from ganbu.core.audit import audit_record, model_snapshot
from ganbu.interop.mapping import kept_texts, photo_bytes, registry_record
from ganbu.interop.models import FormExtras
from ganbu.interop.selectors import (
    MSG_NO_EDIT,
    Plan,
    ReadFile,
    plan_files,
    plan_for_cadre,
    read_files,
    read_one,
)
from ganbu.registry.choices import EDUCATION_ORDER
from ganbu.registry.models import Assessment, Cadre, FamilyMember, ResumeEntry, Unit
from ganbu.registry.pinyin import name_initials, name_pinyin
from ganbu.registry.services import CADRE_FIELDS

MSG_NEED_UNIT = "该文件的干部尚未在册，须选择新建干部所在的单位。"
MSG_UNIT_OUT_OF_SCOPE = "所选单位不在您的管理范围内，不能在该单位新建干部。"
MSG_NOT_A_CANDIDATE = "所选干部不是该文件的候选人，请重新确认。"
MSG_CADRE_GONE = "所选干部不存在或不在您的管理范围内。"
MSG_ID_CONFLICT = "身份证号与所选干部登记的身份证号不一致，不能合并。"
MSG_WRITE_FAILED = (
    "写入时与其他修改冲突（例如身份证号刚被登记给另一名干部），该文件未导入，请重新预览后再试。"
)

MSG_UNCHANGED = "与在册信息相同，未作修改。"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FileOutcome:
    """What importing one file did: ``created``, ``updated``, ``unchanged``, ``confirm`` or ``refused``.

    ``message`` is Chinese: why a file was refused or needs confirmation, else a short summary.
    """

    filename: str
    outcome: str
    cadre_id: int | None
    cadre_name: str
    message: str


class _Refused(Exception):
    """A file refused inside its transaction (rolled back): the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The registry fields a file carries: the record form's own (``registry.services.CADRE_FIELDS``) up
# to the photo, which is written apart (checked, named), and none of the placement fields after it
# (unit, status, category, authority: a file does not say them).
_CADRE_FIELDS = CADRE_FIELDS[: CADRE_FIELDS.index("photo")]


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    """``bulk_create`` without the query when there is nothing to create."""
    return model.objects.bulk_create(rows) if rows else []


def _set_fields(cadre: Cadre, values: Mapping[str, Any], *, has_tenures: bool) -> None:
    for name in _CADRE_FIELDS:
        setattr(cadre, name, values[name])
    if not has_tenures:
        # Without tenures the registry has no other source for 现任职务; with them, they decide it.
        cadre.current_post_text = values["current_post_text"]
    cadre.name_pinyin = name_pinyin(cadre.name)
    cadre.name_initials = name_initials(cadre.name)
    educations = [e for e in (cadre.ft_education, cadre.ip_education) if e]
    cadre.highest_education = min(educations, key=EDUCATION_ORDER.__getitem__) if educations else ""


def _write(plan: Plan, *, actor: User, cadre: Cadre | None, unit: Unit | None, source: str) -> FileOutcome:
    """Write one planned file in the caller's transaction; raises ``_Refused`` to roll it back."""
    assert plan.record is not None and plan.values is not None
    record, values = plan.record, plan.values
    filename = plan.preview.filename
    if cadre is not None:
        cadre = Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
        if cadre is None or not can_edit_cadre(actor, cadre):
            raise _Refused(MSG_CADRE_GONE)
        before: dict[str, Any] | None = model_snapshot(cadre)
        has_tenures = cadre.tenures.exists()
        old_family = list(cadre.family_members.all())
        assessments = {a.year: a for a in cadre.assessments.all()}
        rewards = sorted(cadre.rewards_sanctions.all(), key=lambda r: (r.decided_on, r.pk))
        created = False
    else:
        assert unit is not None
        if not can_edit_unit(actor, unit):
            raise _Refused(MSG_UNIT_OUT_OF_SCOPE)
        cadre = Cadre(unit=unit)
        authorities = list(actor.scope_authorities or [])
        if authorities and cadre.management_authority not in authorities:
            # A new cadre the actor could not see afterwards would be lost to them: take their authority.
            cadre.management_authority = authorities[0]
        before, has_tenures, old_family, assessments, rewards = None, False, [], {}, []
        created = True
    if values.cadre["id_number"] is None and cadre.id_number:
        values.cadre["id_number"] = cadre.id_number  # a file without one keeps the registry's
    _set_fields(cadre, values.cadre, has_tenures=has_tenures)
    if record.photo and (created or record.photo != photo_bytes(cadre)):
        # The reader passed the photo through ``lrmx.check_photo`` (a JPEG or PNG, size and pixel
        # limits); only its kind is needed here, for the file name.
        ext = "png" if record.photo.startswith(b"\x89PNG") else "jpg"
        cadre.photo.save(f"lrmx-{uuid.uuid4().hex}.{ext}", ContentFile(record.photo), save=False)
    cadre.save()
    # 简历 and family: replaced by the file's (bulk, no query per row).
    if not created:
        ResumeEntry.objects.filter(cadre=cadre).delete()
    resume = _bulk(
        ResumeEntry,
        [
            ResumeEntry(cadre=cadre, start_date=r.start_date, end_date=r.end_date, text=r.text, sort_order=n)
            for n, r in enumerate(values.resume)
        ],
    )
    # A relative who is also a registered cadre keeps that link (avoidance checks), by 称谓 and 姓名.
    links = {(m.relation, m.name): m.related_cadre_id for m in old_family if m.related_cadre_id}
    if not created:
        FamilyMember.objects.filter(cadre=cadre).delete()
    family = _bulk(
        FamilyMember,
        [
            FamilyMember(
                cadre=cadre,
                relation=m.relation,
                name=m.name,
                birth_date=m.birth_date,
                political_status=m.political_status,
                work_unit_post=m.work_unit_post,
                related_cadre_id=links.get((m.relation, m.name)),
                sort_order=n,
            )
            for n, m in enumerate(values.family)
        ],
    )
    if values.assessments is not None:
        new_rows = []
        for year, grade in values.assessments:
            row = assessments.get(year)
            if row is None:
                new_rows.append(Assessment(cadre=cadre, year=year, grade=grade))
            elif row.grade != grade:
                row.grade = grade
                row.save(update_fields=["grade"])
        for row in Assessment.objects.bulk_create(new_rows) if new_rows else []:
            assessments[row.year] = row
    derived = registry_record(
        cadre, resume=resume, family=family, assessments=list(assessments.values()), rewards=rewards
    )
    extras = dict(values.extras)
    extras["kept"] = kept_texts(derived, record)
    extras["source"] = filename[:255]
    if created:
        FormExtras.objects.create(cadre=cadre, **extras)
    else:
        FormExtras.objects.update_or_create(cadre=cadre, defaults=extras)
    after = model_snapshot(cadre)
    if before is not None:
        changed = sorted(k for k in after if after[k] != before.get(k) and k != "updated_at")
        before, after = {k: before[k] for k in changed}, {k: after[k] for k in changed}
    after.update(
        {
            "filename": filename,
            "resume_entries": len(resume),
            "family_members": len(family),
            "assessments": len(values.assessments or []),
        }
    )
    audit_record(
        actor=actor,
        event_type="interop.lrmx_imported",
        target=cadre,
        before=before,
        after=after,
        reason=f"导入任免审批表文件「{filename}」" + (f"（{source}）" if source else ""),
        cadre_id=cadre.pk,
        unit_id=cadre.unit_id,
    )
    outcome = "created" if created else "updated"
    message = "已新建干部档案。" if created else f"已更新 {len(plan.preview.diffs)} 项。"
    return FileOutcome(filename, outcome, cadre.pk, cadre.name, message)


def _refused(plan: Plan, message: str) -> FileOutcome:
    return FileOutcome(
        plan.preview.filename, "refused", plan.preview.cadre_id, plan.preview.cadre_name, message
    )


def _apply(
    plan: Plan,
    *,
    actor: User,
    cadre_id: int | None,
    unit: Unit | None,
    source: str,
    yes: bool = False,
) -> FileOutcome:
    """Decide what to do with one planned file and do it in its own durable transaction."""
    preview = plan.preview
    if plan.record is None or preview.outcome == "refused":
        return _refused(plan, preview.error)
    target: Cadre | None = plan.cadre
    if preview.outcome == "confirm":
        chosen = cadre_id
        if chosen is None and yes and len(plan.candidate_ids) == 1:
            chosen = plan.candidate_ids[0]
        if chosen is None:
            names = "、".join(f"{c['name']}（{c['unit']}）" for c in preview.candidates)
            return FileOutcome(
                preview.filename,
                "confirm",
                None,
                preview.cadre_name,
                f"{preview.warnings[-1]}候选人：{names}。",
            )
        if chosen == 0:
            target = None  # the officer says: a different person of the same name
        elif chosen not in plan.candidate_ids:
            return _refused(plan, MSG_NOT_A_CANDIDATE)
        else:
            target = Cadre.objects.select_related("unit", "form_extras").filter(pk=chosen).first()
            if target is None:
                return _refused(plan, MSG_CADRE_GONE)
            plan_for_cadre(plan, target, user=actor)
            if plan.record is None or plan.preview.outcome == "refused":
                return _refused(plan, plan.preview.error)
            if (
                target.id_number
                and plan.values
                and plan.values.cadre["id_number"] not in (None, target.id_number)
            ):
                return _refused(plan, MSG_ID_CONFLICT)
    elif cadre_id and (target is None or cadre_id != target.pk):
        return _refused(plan, MSG_NOT_A_CANDIDATE)
    if target is not None and plan.preview.outcome == "unchanged":
        return FileOutcome(
            preview.filename, "unchanged", target.pk, target.name, "与在册信息相同，未作修改。"
        )
    if target is None and unit is None:
        return _refused(plan, MSG_NEED_UNIT)
    try:
        with transaction.atomic(durable=True):
            return _write(plan, actor=actor, cadre=target, unit=unit, source=source)
    except _Refused as exc:
        return _refused(plan, exc.message)
    except (IntegrityError, DatabaseError):
        return _refused(plan, MSG_WRITE_FAILED)


def _unit(unit_id: int | None) -> Unit | None:
    return Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None


def lrmx_import_file(
    *,
    actor: User,
    filename: str,
    data: bytes,
    pic: bytes | None = None,
    cadre_id: int | None = None,
    unit_id: int | None = None,
    source: str = "",
) -> FileOutcome:
    """Import one ``.lrmx`` (or ``.lrm`` with its ``.pic``): read again, matched, written in one transaction.

    ``cadre_id`` confirms a name-and-birth match (``0``: a different person, create a new cadre);
    ``unit_id`` is the unit of a new cadre (within the actor's scope). A refused file writes nothing.
    """
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        return FileOutcome(filename, "refused", None, "", MSG_NO_EDIT)
    read: ReadFile = read_one(filename, data, pic)
    [plan] = plan_files(user=actor, read=[read])
    return _apply(plan, actor=actor, cadre_id=cadre_id, unit=_unit(unit_id), source=source)


def lrmx_import_batch(
    *,
    actor: User,
    files: Sequence[tuple[str, bytes]],
    unit_id: int | None,
    confirmations: Mapping[str, int] | None = None,
    progress: Progress | None = None,
    source: str = "",
    yes: bool = False,
) -> list[FileOutcome]:
    """Import many files (``.lrmx``, ``.lrm`` + ``.pic``, ``.zip``): one transaction per file, every outcome.

    ``confirmations`` maps a file name to the cadre an officer chose for a name-and-birth match (``0``: a
    new cadre). ``yes`` takes a single candidate as confirmed (the command line's ``--yes``). A duplicate
    ID number within the batch refuses those files; the others are still written.
    """
    if not has_cap(actor, Cap.REGISTRY_EDIT):
        return [FileOutcome(name, "refused", None, "", MSG_NO_EDIT) for name, _ in files]
    plans = plan_files(user=actor, read=read_files(files))
    unit = _unit(unit_id)
    chosen = confirmations or {}
    outcomes: list[FileOutcome] = []
    for n, plan in enumerate(plans, start=1):
        outcomes.append(
            _apply(
                plan,
                actor=actor,
                cadre_id=chosen.get(plan.preview.filename),
                unit=unit,
                source=source,
                yes=yes,
            )
        )
        if progress is not None:
            progress(n, len(plans))
    return outcomes
