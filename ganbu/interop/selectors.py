"""Reads for 任免审批表 files: the records of cadres (export, printing) and the preview of an import.

Every read is scoped to the user (``core.access.cadres_for``) and takes a fixed number of queries
whatever the number of cadres or files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ganbu.core.access import Cap, cadres_for, can_see_sensitive, has_cap
from ganbu.interop import lrmx
from ganbu.interop.lrmx.record import ELEMENTS, LABELS, FamilyMember, Parsed, Record
from ganbu.interop.mapping import Values, cadre_to_record, record_to_values
from ganbu.registry.models import Cadre, DocumentItem

if TYPE_CHECKING:
    from ganbu.accounts.models import User
    from ganbu.selection.models import SelectionRecord


def cadres_with_record(queryset: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """The cadres with everything their 任免审批表 needs, loaded in a fixed number of queries."""
    return queryset.select_related("unit", "form_extras").prefetch_related(
        "resume_entries", "family_members", "assessments", "rewards_sanctions"
    )


def _load_selection(selection_record: SelectionRecord) -> SelectionRecord:
    """The 纪实 with its posts, candidates and the appointment document's items (one query each)."""
    from ganbu.selection.models import Candidate, SelectionPost, SelectionRecord

    loaded: SelectionRecord = (
        SelectionRecord.objects.select_related("document")
        .prefetch_related(
            Prefetch("posts", queryset=SelectionPost.objects.select_related("post__unit").order_by("id")),
            Prefetch("candidates", queryset=Candidate.objects.select_related("post__unit")),
            Prefetch("document__items", queryset=DocumentItem.objects.select_related("post__unit")),
        )
        .get(pk=selection_record.pk)
    )
    return loaded


def records_for_cadres(
    *,
    user: User,
    cadres: Iterable[Cadre | int] | QuerySet[Cadre],
    on: dt.date | None = None,
    selection_record: SelectionRecord | None = None,
) -> list[Record]:
    """The 任免审批表 records of the given cadres the user may see, in the order given.

    ``cadres`` may be cadres, ids or a queryset; cadres outside the user's scope are left out. The ID number,
    the family and the sanctions are left out of the records of readers who may not see them on the cadre
    page (``core.access.can_see_sensitive``). A fixed number of queries whatever the count (photos are
    read from storage, not the database).
    """
    if isinstance(cadres, QuerySet):
        ids = list(cadres.values_list("pk", flat=True))
    else:
        ids = [c if isinstance(c, int) else c.pk for c in cadres]
    loaded = {c.pk: c for c in cadres_with_record(cadres_for(user).filter(pk__in=ids))}
    selection = _load_selection(selection_record) if selection_record is not None else None
    records: list[Record] = []
    seen: set[int] = set()
    for pk in ids:
        cadre = loaded.get(pk)
        if cadre is None or pk in seen:
            continue
        seen.add(pk)
        records.append(
            cadre_to_record(
                cadre,
                on=on,
                selection_record=selection,
                show_id=can_see_sensitive(user, cadre, Cap.SENSITIVE_ID),
                show_family=can_see_sensitive(user, cadre, Cap.SENSITIVE_FAMILY),
                show_supervision=can_see_sensitive(user, cadre, Cap.SENSITIVE_SUPERVISION),
            )
        )
    return records


# ---------------------------------------------------------------- reading files and matching them


MSG_NO_EDIT = "您的角色不能导入或修改干部信息。"
MSG_OUT_OF_SCOPE = "身份证号 {id} 已登记为在册干部，但不在您的管理范围内，不能导入。"
MSG_DUPLICATE = "身份证号 {id} 与同批文件「{other}」重复，无法确定以哪个文件为准，两个文件都未导入。"
MSG_CONFIRM = "姓名和出生年月与在册干部相同，但不能凭姓名断定是同一人，请确认后再导入。"
MSG_UNREADABLE = "文件无法读取。"
# What a .lrm cannot carry (lrmx.md §8): an import of one leaves these as the registry has them.
NOT_IN_LRM = ("version", "extra", "retirement_due", "pre_reform_age_limit")
MSG_EMPTY = "该文件是空白的任免审批表（模板），没有可导入的干部信息。"


@dataclass(frozen=True)
class ReadFile:
    """One file of an upload after reading: the parsed record, or the reader's Chinese error."""

    filename: str
    parsed: Parsed | None
    error: str = ""


def read_one(filename: str, data: bytes, pic: bytes | None = None) -> ReadFile:
    """Read one file by its extension (``.lrm`` with its photo, else ``.lrmx``); never raises."""
    try:
        if filename.lower().endswith(".lrm"):
            return ReadFile(filename, lrmx.read_lrm(data, pic))
        return ReadFile(filename, lrmx.read_lrmx(data))
    except lrmx.FileRefused as exc:
        return ReadFile(filename, None, exc.message)


def read_files(
    files: Sequence[tuple[str, bytes]], progress: Callable[[int, int], None] | None = None
) -> list[ReadFile]:
    """Read an upload: ``.lrmx``, ``.lrm`` with its ``.pic``, ``.zip`` of these (the codec's ``read_any``).

    Never raises for one bad file: its reader's Chinese message is kept instead. ``progress(done,
    total)`` is told how many files are read as the reading goes (``read_any``).
    """
    return [ReadFile(r.filename, r.parsed, r.error) for r in lrmx.read_any(files, progress)]


@dataclass
class FilePreview:
    """What importing one file would do, for the preview page and the job that stores it (JSON).

    ``outcome``: ``new`` (no cadre matches), ``update`` (matched by ID number, with ``diffs``),
    ``unchanged``, ``confirm`` (name and birth month match ``candidates``: an officer decides) or
    ``refused`` (``error`` says why, in Chinese). ``diffs`` are ``{label, current, incoming, summary}``.
    """

    filename: str
    format: str = ""
    outcome: str = "refused"
    cadre_id: int | None = None
    cadre_name: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    diffs: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        """Plain JSON data (for a job's stored preview)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FilePreview:
        """The inverse of :meth:`as_json`."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Plan:
    """A file read, mapped and matched: what the preview shows and the import does."""

    preview: FilePreview
    record: Record | None = None
    values: Values | None = None
    cadre: Cadre | None = None
    candidate_ids: tuple[int, ...] = ()


def _name_birth_key(name: str, birth: dt.date | None) -> tuple[str, int, int]:
    return (name, birth.year, birth.month) if birth is not None else (name, 0, 0)


def plan_files(*, user: User, read: Sequence[ReadFile], today: dt.date | None = None) -> list[Plan]:
    """Map and match every read file (no writes; a fixed number of queries whatever the count).

    Matching: by ID number first; else by name and birth month among the cadres the user may see
    (``confirm``: never merged on a name); an ID number registered to a cadre outside the user's scope
    refuses the file without naming the cadre; a duplicate ID number within the batch refuses both.
    """
    today = today or timezone.localdate()
    plans: list[Plan] = []
    for item in read:
        preview = FilePreview(filename=item.filename)
        if item.parsed is None:
            preview.error = item.error or MSG_UNREADABLE
            plans.append(Plan(preview))
            continue
        preview.format = item.parsed.format
        preview.warnings = list(item.parsed.warnings)
        preview.cadre_name = item.parsed.record.name
        if item.parsed.record.is_empty():
            preview.error = MSG_EMPTY
            plans.append(Plan(preview))
            continue
        values = record_to_values(item.parsed.record, today=today)
        plans.append(Plan(preview, item.parsed.record, values))
    if not has_cap(user, Cap.REGISTRY_EDIT):
        for plan in plans:
            if plan.record is not None:
                plan.preview.error = MSG_NO_EDIT
                plan.record = None
        return plans
    # Duplicate ID numbers within the batch: refuse every file that shares one.
    by_id: dict[str, list[Plan]] = defaultdict(list)
    for plan in plans:
        if plan.values is not None and plan.values.cadre.get("id_number"):
            by_id[plan.values.cadre["id_number"]].append(plan)
    for shared, group in by_id.items():
        if len(group) > 1:
            for plan in group:
                other = next(p for p in group if p is not plan)
                plan.preview.error = MSG_DUPLICATE.format(id=shared, other=other.preview.filename)
                plan.record = None
    live = [p for p in plans if p.record is not None and p.values is not None]
    ids = [p.values.cadre["id_number"] for p in live if p.values and p.values.cadre.get("id_number")]
    registered = dict(Cadre.objects.filter(id_number__in=ids).values_list("id_number", "pk")) if ids else {}
    names = {p.values.cadre["name"] for p in live if p.values}
    keys = {
        _name_birth_key(p.values.cadre["name"], p.values.cadre.get("birth_date")) for p in live if p.values
    }
    visible = cadres_for(user)
    # Names alone match tens of thousands of cadres in a province (王伟, 张伟 …): narrow them by
    # birth month on light rows first, then read whole records only for the cadres that can match.
    by_number = set(registered.values())
    light = visible.filter(Q(pk__in=by_number) | Q(name__in=names)).values_list("pk", "name", "birth_date")
    wanted = [pk for pk, name, birth in light if pk in by_number or _name_birth_key(name, birth) in keys]
    in_scope = {c.pk: c for c in cadres_with_record(visible.filter(pk__in=wanted)).order_by("pk")}
    by_name: dict[tuple[str, int, int], list[Cadre]] = defaultdict(list)
    for known in in_scope.values():
        by_name[_name_birth_key(known.name, known.birth_date)].append(known)
    for plan in live:
        assert plan.values is not None and plan.record is not None
        number = plan.values.cadre.get("id_number")
        if number and number in registered:
            cadre = in_scope.get(registered[number])
            if cadre is None:
                plan.preview.error = MSG_OUT_OF_SCOPE.format(id=number)
                plan.record = None
                continue
            _matched(plan, cadre, user=user, today=today)
            continue
        key = _name_birth_key(plan.values.cadre["name"], plan.values.cadre.get("birth_date"))
        found = [c for c in by_name.get(key, []) if not number or not c.id_number or c.id_number == number]
        if found and not plan.values.problems:
            plan.preview.outcome = "confirm"
            plan.preview.error = ""
            plan.candidate_ids = tuple(c.pk for c in found)
            plan.preview.candidates = [{"id": c.pk, "name": c.name, "unit": c.unit.name} for c in found]
            plan.preview.warnings.append(MSG_CONFIRM)
            continue
        _refuse_or(plan, "new")
    return plans


def _refuse_or(plan: Plan, outcome: str) -> None:
    """Refuse the file for its content problems, or give it ``outcome``."""
    assert plan.values is not None
    if plan.values.problems:
        plan.preview.outcome = "refused"
        plan.preview.error = "；".join(p.rstrip("。") for p in plan.values.problems) + "。"
        plan.record = None
        return
    plan.preview.outcome = outcome
    plan.preview.warnings.extend(plan.values.notes)


def _matched(plan: Plan, cadre: Cadre, *, user: User, today: dt.date) -> None:
    """Plan the update of ``cadre`` by the file: values against what the registry knows, and the diffs.

    What the file cannot say is taken from the registry, so that it is neither a difference nor erased:
    the ID number when the file has none, and for a ``.lrm`` (which carries no ID number, version,
    unknown elements or reform-era fields) those too.
    """
    assert plan.record is not None
    plan.cadre = cadre
    plan.preview.cadre_id = cadre.pk
    plan.preview.cadre_name = cadre.name
    current = cadre_to_record(
        cadre,
        show_id=True,
        show_family=can_see_sensitive(user, cadre, Cap.SENSITIVE_FAMILY),
        show_supervision=can_see_sensitive(user, cadre, Cap.SENSITIVE_SUPERVISION),
    )
    kept: dict[str, Any] = {}
    if not plan.record.id_number:
        kept["id_number"] = current.id_number
    if plan.preview.format == "lrm":
        kept.update({attr: getattr(current, attr) for attr in NOT_IN_LRM})
    plan.record = plan.record.with_changes(**kept) if kept else plan.record
    plan.values = record_to_values(plan.record, today=today, current=cadre)
    plan.preview.diffs = record_diffs(current, plan.record)
    _refuse_or(plan, "update" if plan.preview.diffs else "unchanged")


def plan_for_cadre(plan: Plan, cadre: Cadre, *, user: User, today: dt.date | None = None) -> Plan:
    """The plan of a file for a cadre an officer chose (a confirmed name match)."""
    _matched(plan, cadre, user=user, today=today or timezone.localdate())
    return plan


# ---------------------------------------------------------------- differences


# When a form was filled in and the date its ages were computed on say when the file was made, not
# anything about the cadre: every export carries the day it was made, so comparing them would show
# every re-imported file as changed. They are stored with a file that changes something else.
_FORM_DATES = {"calc_date", "fill_date"}


def _size(data: bytes) -> str:
    return f"有（{max(1, len(data) // 1024)} KB）" if data else "无"


def _lines_summary(added: int, removed: int, changed: int) -> str:
    parts = [f"{word} {n} 行" for word, n in (("新增", added), ("删除", removed), ("修改", changed)) if n]
    return "，".join(parts)


def _resume_diff(current: str, incoming: str) -> dict[str, str] | None:
    old, new = current.split("\n") if current else [], incoming.split("\n") if incoming else []
    if old == new:
        return None
    added = removed = changed = 0
    shown_old: list[str] = []
    shown_new: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        changed += pairs
        removed += (i2 - i1) - pairs
        added += (j2 - j1) - pairs
        shown_old += old[i1:i2]
        shown_new += new[j1:j2]
    return {
        "label": LABELS["resume"],
        "current": "\n".join(shown_old),
        "incoming": "\n".join(shown_new),
        "summary": _lines_summary(added, removed, changed),
    }


# Months as the printed form shows them (1994.05), not as the file stores them (199405).
_MONTH = re.compile(r"(?<!\d)(\d{4})(\d{2})(?!\d)")
_MONTH_ATTRS = {"birth", "party", "work_start", "retirement_due"}


def _shown(text: str) -> str:
    """``text`` with every ``YYYYMM`` month in it written ``YYYY.MM``."""
    return _MONTH.sub(r"\1.\2", text)


def _member_text(m: FamilyMember) -> str:
    birth = _shown(m.birth)
    return " ".join(x for x in (m.relation, m.name, birth, m.political_status, m.work_unit_post) if x)


def _family_diff(
    current: tuple[FamilyMember, ...], incoming: tuple[FamilyMember, ...]
) -> dict[str, str] | None:
    if current == incoming:
        return None
    old = {(m.relation, m.name): m for m in current}
    new = {(m.relation, m.name): m for m in incoming}
    added = [new[k] for k in new if k not in old]
    removed = [old[k] for k in old if k not in new]
    changed = [k for k in new if k in old and new[k] != old[k]]
    return {
        "label": LABELS["family"],
        "current": "\n".join([_member_text(m) for m in removed] + [_member_text(old[k]) for k in changed]),
        "incoming": "\n".join([_member_text(m) for m in added] + [_member_text(new[k]) for k in changed]),
        "summary": _lines_summary(len(added), len(removed), len(changed)) or "顺序调整",
    }


def _diff(label: str, current: str, incoming: str, summary: str = "") -> dict[str, str]:
    return {"label": label, "current": current, "incoming": incoming, "summary": summary}


def record_diffs(current: Record, incoming: Record) -> list[dict[str, str]]:
    """Field-by-field differences in Chinese labels (current vs incoming); 简历 and family summarized.

    A file without a photo leaves the photo as it is, so it is no difference; 计算年龄时间 and 填表时间
    are the file's own dates (``_FORM_DATES``), never a difference.
    """
    diffs: list[dict[str, str]] = []
    for _, attr, label in ELEMENTS:
        found: dict[str, str] | None
        if attr in _FORM_DATES:
            continue
        if attr == "resume":
            found = _resume_diff(current.resume, incoming.resume)
        elif attr == "family":
            found = _family_diff(current.family, incoming.family)
        elif attr == "photo":
            changed = bool(incoming.photo) and current.photo != incoming.photo
            found = _diff(label, _size(current.photo), _size(incoming.photo)) if changed else None
        else:
            mine, theirs = str(getattr(current, attr)), str(getattr(incoming, attr))
            if attr in _MONTH_ATTRS:
                mine, theirs = _shown(mine), _shown(theirs)
            found = _diff(label, mine, theirs) if mine != theirs else None
        if found is not None:
            diffs.append(found)
    if current.extra != incoming.extra:
        names = ["、".join(name for name, _ in r.extra) for r in (current, incoming)]
        diffs.append(_diff("其他项目", names[0], names[1]))
    return diffs


def lrmx_preview(
    *,
    user: User,
    files: Sequence[tuple[str, bytes]],
    progress: Callable[[int, int], None] | None = None,
) -> list[FilePreview]:
    """What importing these files would do, file by file; writes nothing (``docs/lrmx-import.md``).

    ``progress(done, total)`` follows the reading, most of the time a preview takes.
    """
    return [plan.preview for plan in plan_files(user=user, read=read_files(files, progress))]
