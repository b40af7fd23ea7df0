"""Files out: records as ``.lrmx`` or ``.lrm`` + ``.pic`` entries, named for a batch ``.zip``.

Used by the download views (``ganbu.web.views.lrmx_export``) and ``ganbu lrmx export``. Pure given the
records (no database).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ganbu.interop.lrmx import FileRefused, Record, parse_month, safe_name, write_lrm, write_lrmx
from ganbu.rules.exits import cadre_retirement_category
from ganbu.rules.retirement import REFORM_IN_FORCE, RetirementCategory, statutory_retirement_month

FORMATS = ("lrmx", "lrm")
NOTE_NAME = "未导出说明.txt"


@dataclass
class Export:
    """The files of an export (name, bytes) and the records that could not be written (Chinese)."""

    entries: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def with_note(self) -> list[tuple[str, bytes]]:
        """The entries, plus a text file listing the problems when there are any (for a ``.zip``)."""
        if not self.problems:
            return list(self.entries)
        note = "\r\n".join(["以下干部的任免审批表未能导出：", *self.problems, ""])
        return [*self.entries, (NOTE_NAME, note.encode("utf-8-sig"))]


def file_stems(records: Sequence[Record]) -> list[str]:
    """A file name (without extension) per record: ``<姓名>``, with the ID number's last 4 digits when two
    records share a name (a name repeated still, or without an ID number, is numbered by ``write_zip``)."""
    counts = Counter(r.name for r in records)
    stems = []
    for record in records:
        stem = record.name or "未命名"
        if counts[record.name] > 1 and len(record.id_number) >= 4:
            stem = f"{stem}{record.id_number[-4:]}"
        stems.append(safe_name(stem))
    return stems


# The original (pre-2025) retirement age of each category: the 改革前任职年龄界限 the files carry.
_ORIGINAL_AGE = {RetirementCategory.MALE: 60, RetirementCategory.FEMALE_55: 55}


def with_reform_fields(record: Record) -> Record:
    """``record`` with 到龄年月 and 改革前任职年龄界限 worked out where the registry has no file's value.

    到龄年月 is the month the statutory retirement age is reached under the 2024 decision
    (``rules.retirement.statutory_retirement_month``, the same reckoning as rmb_helper's, lrmx.md §10);
    the limit is the category's original age (men 60, women cadres 55), or 已到龄人员 for someone who
    reached it before the reform took effect. A value a file brought (kept in ``FormExtras``) is
    written as it came. Without a readable 出生年月 or 性别 nothing is worked out.
    """
    month = parse_month(record.birth)
    if month is None or record.gender not in ("男", "女"):
        return record
    category = cadre_retirement_category("M" if record.gender == "男" else "F")
    birth = dt.date(month[0], month[1], 1)
    changes: dict[str, str] = {}
    if not record.retirement_due:
        due = statutory_retirement_month(birth, category)
        changes["retirement_due"] = f"{due.year:04d}{due.month:02d}"
    if not record.pre_reform_age_limit:
        original = _ORIGINAL_AGE[category]
        reached = (month[0] + original, month[1]) < (REFORM_IN_FORCE.year, REFORM_IN_FORCE.month)
        changes["pre_reform_age_limit"] = "已到龄人员" if reached else f"改革前任职年龄界限为{original}岁"
    return record.with_changes(**changes) if changes else record


def export_records(records: Sequence[Record], *, fmt: str = "lrmx", reform: bool = False) -> Export:
    """The files of ``records`` in format ``fmt`` (``lrmx`` or ``lrm`` + ``.pic``).

    ``reform`` adds the post-2025 elements to ``.lrmx`` files (:func:`with_reform_fields`); ``.lrm``
    cannot carry them.
    """
    out = Export()
    for record, stem in zip(records, file_stems(records), strict=True):
        if fmt == "lrm":
            try:
                lrm, pic = write_lrm(record)
            except FileRefused as exc:
                out.problems.append(f"{record.name}：{exc.message}")
                continue
            out.entries.append((f"{stem}.lrm", lrm))
            if pic:
                out.entries.append((f"{stem}.pic", pic))
        else:
            written = with_reform_fields(record) if reform else record
            out.entries.append((f"{stem}.lrmx", write_lrmx(written, reform_fields=reform)))
    return out
