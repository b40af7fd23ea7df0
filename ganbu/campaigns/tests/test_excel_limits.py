"""Zip and shared-strings bombs (issue 11, item 5) are refused before openpyxl loads anything.

The reported file was 584 KB and unpacked to 198 MB (under the former 200 MB limit): a web worker spent
116 s and 1.2 GB on it and imported it. ``excel.check_file`` now reads the archive's directory (the
unpacked sizes) and streams the shared-strings part, counting its strings, and refuses either limit
with a Chinese message naming it. openpyxl is never called for such a file.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from ganbu.campaigns import excel
from ganbu.core.errors import ServiceError

from .excel_support import shared_strings_bomb, workbook


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if openpyxl is asked to open the file."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open the file")

    monkeypatch.setattr(excel, "load_workbook", refuse)


def refused_with(data: bytes) -> str:
    with pytest.raises(ServiceError) as err:
        excel.check_file(data)
    return "\n".join(err.value.messages)


def test_the_reported_bomb_is_refused_quickly_and_in_little_memory(no_openpyxl):
    data = shared_strings_bomb(10_000_000)  # ~400 KB, 170 MB unpacked: under the former 200 MB limit
    assert len(data) < 600 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    message = refused_with(data)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert message == excel.MSG_UNPACKED
    assert "50 MB" in message
    assert peak < 20 * 1024 * 1024 and seconds < 5, (peak, seconds)


def test_too_many_shared_strings_are_refused_by_their_declared_count(no_openpyxl):
    data = shared_strings_bomb(10, declared=excel.MAX_SHARED_STRINGS + 1)
    assert refused_with(data) == excel.MSG_SHARED_STRINGS
    assert "200000" in excel.MSG_SHARED_STRINGS


def test_too_many_shared_strings_are_counted_when_the_count_lies_or_is_missing(no_openpyxl, monkeypatch):
    monkeypatch.setattr(excel, "MAX_SHARED_STRINGS", 1000)
    for declared in (5, 0):
        assert refused_with(shared_strings_bomb(1001, declared=declared)) == excel.MSG_SHARED_STRINGS
    # Found by its content type, whatever the part is called.
    assert refused_with(shared_strings_bomb(1001, part="strings/other.xml")) == excel.MSG_SHARED_STRINGS


def test_one_member_too_large_and_too_many_members_are_refused(no_openpyxl, monkeypatch):
    monkeypatch.setattr(excel, "MAX_SHARED_STRINGS", 10**9)
    monkeypatch.setattr(excel, "MAX_UNPACKED", 1000 * 1024)
    assert refused_with(shared_strings_bomb(100_000)) == excel.MSG_UNPACKED
    monkeypatch.setattr(excel, "MAX_UNPACKED", 50 * 1024 * 1024)
    monkeypatch.setattr(excel, "MAX_MEMBERS", 3)
    assert refused_with(workbook([["1", None, "张三", 80, None]])) == excel.MSG_NOT_XLSX


def test_a_normal_sheet_passes_the_checks():
    excel.check_file(workbook([[f"{n:06d}", None, f"考生{n}", 80, None] for n in range(2000)]))
    excel.check_file(shared_strings_bomb(1000))
