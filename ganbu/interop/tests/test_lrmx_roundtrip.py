"""Property-based round trips (issue 12 acceptance): ``read(write(r)) == r`` for normalized records.

``.lrmx`` carries every field (the reform-era ones with ``reform_fields=True``); ``.lrm`` carries every
field but 身份证号, ``Version``, unknown elements and the reform-era fields (``lrm.CARRIED``), and its
texts must be GBK without ``"``/``#``/``@`` (``write_lrm`` refuses the rest, tested in test_lrmx_lrm.py).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ganbu.interop.lrmx import (
    FileRefused,
    Record,
    normalize_record,
    read_lrm,
    read_lrmx,
    write_lrm,
    write_lrmx,
)
from ganbu.interop.tests.lrmx_strategies import records

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(SETTINGS, max_examples=60)


@SETTINGS
@given(records(), st.booleans())
def test_lrmx_round_trip(record: Record, bom: bool) -> None:
    assert normalize_record(record) == record
    data = write_lrmx(record, bom=bom)
    assert data.startswith(b"\xef\xbb\xbf") is bom
    parsed = read_lrmx(data)
    assert parsed.record == record
    # read strictly: no repair of the XML, no date kept as text but the ones generated so
    assert all("不认识的项目" in w or "不详" in w for w in parsed.warnings), parsed.warnings


@FEWER
@given(records(reform=True))
def test_lrmx_round_trip_with_reform_fields(record: Record) -> None:
    assert normalize_record(record) == record
    assert read_lrmx(write_lrmx(record, reform_fields=True)).record == record
    # without the option the reform-era fields are not written, everything else is
    without = read_lrmx(write_lrmx(record)).record
    assert without == record.with_changes(retirement_due="", pre_reform_age_limit="")


@SETTINGS
@given(records(gbk=True))
def test_lrm_round_trip_on_every_field_lrm_carries(record: Record) -> None:
    assert normalize_record(record) == record
    lrm, pic = write_lrm(record)
    assert pic == record.photo
    lrm.decode("gbk")  # strictly GBK
    assert read_lrm(lrm, pic or None).record == record


@FEWER
@given(records())
def test_lrm_drops_exactly_what_it_cannot_carry(record: Record) -> None:
    """From any record, .lrm keeps all but 身份证号, Version, extra elements and the reform fields, or
    refuses in Chinese (a character outside GBK, a ``"``, ``#`` or ``@`` where it would break the record)."""
    try:
        lrm, pic = write_lrm(record)
    except FileRefused as refused:
        assert "请改用 .lrmx 格式导出" in refused.message
        return
    expected = record.with_changes(
        id_number="", version="", extra=(), retirement_due="", pre_reform_age_limit=""
    )
    assert read_lrm(lrm, pic or None).record == expected
