"""``read_any`` reports how far it has read, so the import page's bar moves while a big batch is read."""

from __future__ import annotations

from ganbu.interop.lrmx import Record, read_any, write_lrm, write_lrmx, write_zip
from ganbu.interop.lrmx.batch import PROGRESS_EVERY


def test_progress_counts_the_person_files_inside_archives_not_the_photos():
    people = [(f"{n}.lrmx", write_lrmx(Record(name=f"干部{n}"))) for n in range(PROGRESS_EVERY * 2 + 3)]
    lrm, _ = write_lrm(Record(name="老格式"))
    files = [("一批.zip", write_zip(people)), ("老格式.lrm", lrm), ("老格式.pic", b"\xff\xd8\xff\xd9")]
    seen: list[tuple[int, int]] = []
    results = read_any(files, lambda done, total: seen.append((done, total)))
    total = len(people) + 1
    assert seen == [(PROGRESS_EVERY, total), (PROGRESS_EVERY * 2, total), (total, total)]
    assert len(results) == total
