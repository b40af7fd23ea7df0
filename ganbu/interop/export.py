"""Files out: records as ``.lrmx`` or ``.lrm`` + ``.pic`` entries, named for a batch ``.zip``.

Used by the download views (``ganbu.web.views.lrmx_export``) and ``ganbu lrmx export``. Pure given the
records (no database).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ganbu.interop.lrmx import FileRefused, Record, safe_name, write_lrm, write_lrmx

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


def export_records(records: Sequence[Record], *, fmt: str = "lrmx", reform: bool = False) -> Export:
    """The files of ``records`` in format ``fmt`` (``lrmx`` or ``lrm`` + ``.pic``)."""
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
            out.entries.append((f"{stem}.lrmx", write_lrmx(record, reform_fields=reform)))
    return out
