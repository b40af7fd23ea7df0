"""What each row of a 干部信息 sheet means against the registry: new, update, unchanged, or to confirm.

``plan_rows`` reads only. For each row it finds:

- the unit (所在单位): by code, name, short name, or the “名称（代码）” / “名称（上级单位）” forms the
  template writes for units of the same name — one the user may manage;
- the stored cadre: the ID number decides (a cadre holding it is updated; none: a new cadre). A
  row that names a cadre the user may not manage is refused. A row whose name and birth date match
  a cadre of the user's without the ID number settling it (the row has none, or the stored cadre
  has none) is ``confirm``: the officer says on the preview page whether it is that cadre;
- for an update, the fields that differ (Chinese label, current → new); a blank cell keeps the
  stored value; a month column (入党时间, 参加工作时间) compares by month;
- the registry's own checks, run by ``registry.services.cadre_check`` exactly as the write will run
  them (ID number against birth date and gender, duplicate ID numbers, plausible dates, required
  fields, scope), their messages given with the row and the column.

Every problem is one message 「第 N 行「列」：…」 (or 「第 N 行：…」); the caller refuses the file when
there is any.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet

from ganbu.accounts.models import User
from ganbu.core.access import Cap, cadres_for, has_cap, units_for
from ganbu.core.errors import ServiceError
from ganbu.registry.models import Cadre, Unit
from ganbu.registry.services import cadre_check
from ganbu.rules.citations import plain
from ganbu.rules.dates import format_month

from .columns import BY_KEY, WRITABLE, Column, ColumnKind
from .reader import MSG_CELL, MSG_ROW, Sheet, SheetRow

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
CONFIRM = "confirm"
KIND_LABELS = {NEW: "新增", UPDATE: "更新", UNCHANGED: "无变化", CONFIRM: "待确认"}

MSG_UNIT_UNKNOWN = "“{value}”不是您管理范围内的单位（请从下拉列表选择，或填单位代码）"
MSG_UNIT_AMBIGUOUS = "有 {count} 个单位叫“{value}”，请填写其中一个：{labels}"
MSG_UNIT_INACTIVE = "“{value}”已停用，不能把干部调入该单位"
MSG_NOT_YOURS = "{value} 已登记给不在您管理范围内的一名干部，不能在这里修改"
MSG_REQUIRED = "新增干部须填写{label}"
MSG_REQUIRED_NO_COLUMN = "新增干部须填写{label}（表中没有这一列）"
MSG_SAME_PERSON = "与第 {first} 行的姓名、出生日期相同，请核对是否同一人重复填写"
MSG_CONFIRM = "系统中已有同名、同出生日期的干部，请在下面选择：是其中一人（更新该干部）还是另一人（新增）。"
MSG_READ_ONLY = "“{labels}”由任免文件产生，导入时不读取、不修改。"
MSG_UNKNOWN_COLUMNS = "以下列不是模板中的列，没有读取：{names}。"


@dataclass
class Candidate:
    """A stored cadre a row may be (name and birth date match)."""

    id: int
    name: str
    unit: str
    birth: str
    has_id: bool

    def as_json(self) -> dict[str, Any]:
        """For the job's stored preview."""
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "birth": self.birth,
            "has_id": self.has_id,
        }


@dataclass
class RowPlan:
    """What one row will do: its kind, the cadre it updates, the data for the services, the differences.

    ``data`` is what ``cadre_create`` / ``cadre_update`` take (the unit as a ``Unit``): for a new
    cadre every field, for an update only the changed ones. ``diffs`` are (label, current, new) in
    the officer's words.
    """

    line: int
    kind: str
    name: str
    cadre_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)
    diffs: list[tuple[str, str, str]] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    unit: str = ""
    given: frozenset[str] = frozenset()
    """The fields the row's cells gave (a confirmed match is updated with these only, not defaults)."""

    def as_json(self) -> dict[str, Any]:
        """The row for the preview page (no data values beyond what the officer sees)."""
        return {
            "line": self.line,
            "kind": self.kind,
            "kind_label": KIND_LABELS[self.kind],
            "name": self.name,
            "unit": self.unit,
            "cadre_id": self.cadre_id,
            "diffs": [list(d) for d in self.diffs],
            "candidates": [c.as_json() for c in self.candidates],
        }


@dataclass
class Plan:
    """Every row's plan, the problems that refuse the file, and notes for the officer."""

    rows: list[RowPlan]
    errors: list[str]
    notices: list[str]

    def counts(self) -> dict[str, int]:
        """How many rows of each kind."""
        counts = dict.fromkeys(KIND_LABELS, 0)
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        """The preview stored on the job: counts, notices, and the rows that are not unchanged."""
        return {
            "counts": self.counts(),
            "notices": self.notices,
            "rows": [r.as_json() for r in self.rows if r.kind != UNCHANGED],
        }


# ---------------------------------------------------------------- units


def editable_units(user: User) -> QuerySet[Unit]:
    """The units the user may put cadres in: their scope, with the registry's edit capability."""
    if not has_cap(user, Cap.REGISTRY_EDIT):
        return Unit.objects.none()
    return units_for(user).select_related("parent").order_by("path")


def unit_labels(units: Iterable[Unit]) -> dict[int, str]:
    """The text the template writes for each unit: its name, or “名称（代码）” / “名称（上级单位）”
    when another of the units has the same name."""
    units = list(units)
    names: dict[str, int] = defaultdict(int)
    for unit in units:
        names[unit.name] += 1
    labels: dict[int, str] = {}
    for unit in units:
        if names[unit.name] == 1:
            labels[unit.pk] = unit.name
        elif unit.code:
            labels[unit.pk] = f"{unit.name}（{unit.code}）"
        elif unit.parent is not None:
            labels[unit.pk] = f"{unit.name}（{unit.parent.name}）"
        else:
            labels[unit.pk] = unit.name
    return labels


class UnitFinder:
    """Finds the unit a cell names among the user's units (code, label, name, short name)."""

    def __init__(self, user: User) -> None:
        self.units = list(editable_units(user))
        self.labels = unit_labels(self.units)
        self.by_text: dict[str, set[int]] = defaultdict(set)
        self.by_id = {u.pk: u for u in self.units}
        for unit in self.units:
            texts = {unit.name, self.labels[unit.pk], unit.short_name, unit.code}
            if unit.parent is not None:
                texts.add(f"{unit.parent.name}{unit.name}")
                texts.add(f"{unit.name}（{unit.parent.name}）")
            if unit.code:
                texts.add(f"{unit.name}（{unit.code}）")
            for text in texts:
                if text:
                    self.by_text[_squash(text)].add(unit.pk)

    def find(self, text: str) -> Unit:
        """The unit ``text`` names; ``ValueError`` with the Chinese problem otherwise."""
        found = self.by_text.get(_squash(text), set())
        if len(found) == 1:
            return self.by_id[next(iter(found))]
        if not found:
            raise ValueError(MSG_UNIT_UNKNOWN.format(value=text))
        labels = "、".join(sorted(self.labels[pk] for pk in found))
        raise ValueError(MSG_UNIT_AMBIGUOUS.format(count=len(found), value=text, labels=labels))


def _squash(text: str) -> str:
    """Unit text compared without spaces and with ASCII brackets as full-width ones."""
    return "".join(text.split()).replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------- values in the officer's words


def shown(column: Column, value: Any, unit_labels: Mapping[int, str] | None = None) -> str:
    """A field's value as the template and the preview show it."""
    if value in (None, ""):
        return ""
    if column.kind is ColumnKind.DATE and isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if column.kind is ColumnKind.MONTH and isinstance(value, dt.date):
        return format_month(value)
    if column.kind is ColumnKind.CHOICE:
        return column.label_of(str(value))
    if column.kind is ColumnKind.UNIT and isinstance(value, Unit):
        return (unit_labels or {}).get(value.pk, value.name)
    return str(value)


def _same(column: Column, stored: Any, new: Any) -> bool:
    """Whether a cell's value is what is stored (months compared by month: the stored day is kept)."""
    if column.kind is ColumnKind.MONTH and isinstance(stored, dt.date) and isinstance(new, dt.date):
        return (stored.year, stored.month) == (new.year, new.month)
    if column.kind is ColumnKind.UNIT:
        return isinstance(new, Unit) and stored == new.pk
    return bool((stored or "") == (new or ""))


def _stored(cadre: Cadre, column: Column) -> Any:
    return cadre.unit_id if column.kind is ColumnKind.UNIT else getattr(cadre, column.key)


# ---------------------------------------------------------------- the plan


def messages_of(line: int, exc: ServiceError) -> list[str]:
    """A service's refusal as row messages, each naming its column when the service named a field."""
    out: list[str] = []
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            column = BY_KEY.get(key)
            for message in messages:
                text = plain(message).rstrip("。") + "。"
                if column is not None and key != NON_FIELD_ERRORS:
                    out.append(MSG_CELL.format(line=line, column=column.label, problem=text))
                else:
                    out.append(MSG_ROW.format(line=line, problem=text))
    else:
        out.extend(MSG_ROW.format(line=line, problem=plain(m).rstrip("。") + "。") for m in exc.messages)
    return out


def _candidate(cadre: Cadre) -> Candidate:
    return Candidate(
        id=cadre.pk,
        name=cadre.name,
        unit=cadre.unit.name,
        birth=f"{cadre.birth_date:%Y-%m-%d}",
        has_id=bool(cadre.id_number),
    )


def plan_rows(*, user: User, sheet: Sheet, check: bool = True) -> Plan:
    """Each row's plan against the registry as ``user`` sees it; reads only.

    ``check``: run the registry's own checks (``cadre_check``) on every new and changed row, as
    the write will. A fixed number of queries for the lookups, plus the registry's checks per row.
    """
    finder = UnitFinder(user)
    rows = sheet.rows
    ids = [r.values["id_number"] for r in rows if r.values.get("id_number")]
    by_id = {str(c.id_number): c for c in Cadre.objects.filter(id_number__in=ids).select_related("unit")}
    mine = set(cadres_for(user).filter(id_number__in=ids).values_list("pk", flat=True))
    names = {r.values["name"] for r in rows if r.values.get("name")}
    by_person: dict[tuple[str, dt.date], list[Cadre]] = defaultdict(list)
    for cadre in cadres_for(user).filter(name__in=names).select_related("unit").order_by("pk"):
        by_person[(cadre.name, cadre.birth_date)].append(cadre)
    matched_ids = {c.pk for c in by_id.values()}

    plans: list[RowPlan] = []
    errors: list[str] = []
    notices: list[str] = []
    read_only = [BY_KEY[k].label for k in sheet.columns if BY_KEY[k].kind is ColumnKind.READ_ONLY]
    if read_only:
        notices.append(MSG_READ_ONLY.format(labels="”“".join(read_only)))
    if sheet.unknown:
        notices.append(MSG_UNKNOWN_COLUMNS.format(names="、".join(sheet.unknown)))
    first_of_person: dict[tuple[str, Any], int] = {}

    for row in rows:
        plan, problems = _plan_row(user, sheet, row, finder, by_id, mine, by_person, matched_ids)
        person = (row.values.get("name", ""), row.values.get("birth_date"))
        if person in first_of_person and not row.values.get("id_number"):
            problems.append(
                MSG_ROW.format(
                    line=row.line, problem=MSG_SAME_PERSON.format(first=first_of_person[person]) + "。"
                )
            )
        first_of_person.setdefault(person, row.line)
        if not problems and check and plan.kind in (NEW, UPDATE, CONFIRM):
            try:
                existing = Cadre(pk=plan.cadre_id) if plan.kind == UPDATE and plan.cadre_id else None
                cadre_check(actor=user, data=plan.data, cadre=existing)
            except ServiceError as exc:
                problems.extend(messages_of(row.line, exc))
        errors.extend(problems)
        plans.append(plan)
    return Plan(rows=plans, errors=errors, notices=notices)


def _plan_row(
    user: User,
    sheet: Sheet,
    row: SheetRow,
    finder: UnitFinder,
    by_id: Mapping[str, Cadre],
    mine: set[int],
    by_person: Mapping[tuple[str, dt.date], list[Cadre]],
    matched_ids: set[int],
) -> tuple[RowPlan, list[str]]:
    """One row's plan and its problems."""
    line, values = row.line, row.values
    problems: list[str] = list(row.errors)
    data: dict[str, Any] = {}
    for column in WRITABLE:
        if column.key not in values:
            continue
        value = values[column.key]
        if column.kind is ColumnKind.UNIT:
            try:
                value = finder.find(value)
            except ValueError as exc:
                problems.append(MSG_CELL.format(line=line, column=column.label, problem=f"{exc}。"))
                continue
        data[column.key] = value
    name = str(values.get("name", ""))
    unit_text = shown(BY_KEY["unit"], data.get("unit"), finder.labels) or str(values.get("unit", ""))
    id_number = values.get("id_number")
    stored = by_id.get(id_number) if id_number else None

    if stored is not None:
        if stored.pk not in mine:
            problem = MSG_NOT_YOURS.format(value=id_number) + "。"
            return RowPlan(line, UPDATE, name, unit=unit_text), [
                *problems,
                MSG_CELL.format(line=line, column="身份证号", problem=problem),
            ]
        plan = _update(line, stored, data, finder)
        plan.unit = unit_text or stored.unit.name
        return plan, problems + _inactive(line, plan, stored)

    # Not matched by ID number: a new cadre, unless a stored one of the same name and birth date may be it.
    birth = values.get("birth_date")
    same = by_person.get((name, birth), []) if isinstance(birth, dt.date) else []
    candidates = [c for c in same if c.pk not in matched_ids and (not id_number or not c.id_number)]
    for column in WRITABLE:
        if column.key not in data and column.default:
            data[column.key] = column.default
    if len(candidates) == 1 and not id_number and not candidates[0].id_number:
        # The prefilled template's row of a cadre without an ID number: that cadre, if nothing differs.
        plan = _update(line, candidates[0], {k: v for k, v in data.items() if k in values}, finder)
        if plan.kind == UNCHANGED:
            plan.unit = unit_text
            return plan, problems
    for column in WRITABLE:
        if column.required and column.key not in data:
            message = MSG_REQUIRED if column.key in sheet.columns else MSG_REQUIRED_NO_COLUMN
            if not any(f"「{column.label}」" in p for p in problems):
                problems.append(
                    MSG_CELL.format(
                        line=line, column=column.label, problem=message.format(label=column.label) + "。"
                    )
                )
    kind = CONFIRM if candidates else NEW
    plan = RowPlan(
        line,
        kind,
        name,
        data=data,
        unit=unit_text,
        candidates=[_candidate(c) for c in candidates],
        given=frozenset(k for k in data if k in values),
    )
    if kind == NEW:
        plan.diffs = [
            (c.label, "", shown(c, data[c.key], finder.labels))
            for c in WRITABLE
            if data.get(c.key) not in (None, "")
        ]
    return plan, problems


def _update(line: int, cadre: Cadre, data: Mapping[str, Any], finder: UnitFinder) -> RowPlan:
    """The plan of a row for a stored cadre: only the fields whose cells differ from the record."""
    changed: dict[str, Any] = {}
    diffs: list[tuple[str, str, str]] = []
    for key, value in data.items():
        column = BY_KEY[key]
        current = _stored(cadre, column)
        if _same(column, current, value):
            continue
        changed[key] = value
        current_shown = shown(
            column, cadre.unit if column.kind is ColumnKind.UNIT else current, finder.labels
        )
        diffs.append((column.label, current_shown, shown(column, value, finder.labels)))
    kind = UPDATE if changed else UNCHANGED
    return RowPlan(line, kind, cadre.name, cadre_id=cadre.pk, data=changed, diffs=diffs)


def _inactive(line: int, plan: RowPlan, cadre: Cadre) -> list[str]:
    """A cadre moved into a unit no longer in use is refused."""
    unit = plan.data.get("unit")
    if isinstance(unit, Unit) and not unit.is_active and unit.pk != cadre.unit_id:
        return [
            MSG_CELL.format(
                line=line, column="所在单位", problem=MSG_UNIT_INACTIVE.format(value=unit.name) + "。"
            )
        ]
    return []


def confirmed(plan: Plan, choices: Mapping[str, Any]) -> list[RowPlan]:
    """The rows to write once the officer's choices settle the ``confirm`` rows.

    ``choices`` maps a line (as text) to a candidate's id (update that cadre) or ``"new"``. A
    confirmed update writes only the fields that differ from that cadre. Unchanged rows are left out.
    """
    out: list[RowPlan] = []
    for row in plan.rows:
        if row.kind == CONFIRM:
            choice = str(choices.get(str(row.line), ""))
            if choice.isdigit() and int(choice) in {c.id for c in row.candidates}:
                cadre = Cadre.objects.select_related("unit").get(pk=int(choice))
                given = {k: v for k, v in row.data.items() if k in row.given}
                update = _update(row.line, cadre, given, _NoLabels())
                update.kind = UPDATE if update.data else UNCHANGED
                if update.kind == UPDATE:
                    out.append(update)
                continue
            out.append(RowPlan(row.line, NEW, row.name, data=row.data, unit=row.unit))
        elif row.kind in (NEW, UPDATE):
            out.append(row)
    return out


class _NoLabels(UnitFinder):
    """A finder used only for ``shown``'s unit labels (none needed when writing)."""

    def __init__(self) -> None:
        self.labels = {}


def sheet_rows(data: Sequence[dict[str, Any]]) -> list[SheetRow]:
    """Rows stored as JSON back as ``SheetRow``."""
    return [SheetRow.from_json(d) for d in data]
