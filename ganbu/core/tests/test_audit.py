"""The hash-chained audit trail: appends, verification, and tampering detected by raw SQL edits."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ganbu.core.audit import GENESIS_HASH, audit_key, audit_record, audit_verify, event_hash, to_json
from ganbu.core.models import AuditChainHead, AuditEvent

from .tampering import TABLE, bypass_guards

# Values PostgreSQL's jsonb is known to rewrite: key order, exponents, negative zero, whole floats.
RICH_AFTER = {
    "zeta": 1,
    "alpha": "张三（正科级）",
    "birth_date": dt.date(1980, 5, 17),
    "when": dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.UTC),
    "items": [["任命", 3, {"b": 2, "a": [1, 2, {"深": "层"}]}], [], None, True],
    "count": 12345678901234,
    "score": Decimal("88.50"),
    "ratio": 0.1,
    "whole": 3.0,
    "big": 1e20,
    "tiny": 1e-7,
    "negzero": -0.0,
    "empty": {},
}


def record(unit, n: int, **extra) -> AuditEvent:
    """Append one event about ``unit`` in its own transaction, as a service would."""
    with transaction.atomic():
        return audit_record(
            actor=extra.pop("actor", None),
            event_type=extra.pop("event_type", "test.event"),
            target=unit,
            before=extra.pop("before", {"n": n - 1}),
            after=extra.pop("after", {"n": n, "名称": f"第{n}次"}),
            reason=extra.pop("reason", f"事由{n}"),
            unit_id=unit.pk,
            **extra,
        )


@pytest.fixture
def chain(tree, officer):
    """Five events: seq 1..5, the third with awkward JSON data."""
    events = [record(tree.root, 1, actor=officer), record(tree.finance, 2)]
    events.append(record(tree.town, 3, after=RICH_AFTER, before={"list": [3, 2, 1], "文字": "原值"}))
    events += [record(tree.root, 4, actor=officer), record(tree.forestry, 5)]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    return events


def execute(sql: str, params: list) -> None:
    """Tamper with the table behind the ORM's back (and the database's append-only trigger)."""
    bypass_guards()
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{t}", connection.ops.quote_name(TABLE)), params)


def problem_of():
    report = audit_verify()
    assert not report.ok
    assert report.problem is not None
    return report.problem


# ---------------------------------------------------------------- appending


def test_audit_record_links_each_event_to_the_previous(chain, officer) -> None:
    first, second = chain[0], chain[1]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert first.actor == officer and first.actor_name == "组织部干部"
    assert second.actor is None and second.actor_name == "系统"
    head = AuditChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (5, chain[-1].hash)


def test_stored_values_are_plain_json_as_the_database_returns_them(chain) -> None:
    stored = AuditEvent.objects.get(seq=3)
    assert stored.after == to_json(RICH_AFTER)
    assert stored.after["birth_date"] == "1980-05-17"
    assert stored.after["score"] == "88.50"
    assert stored.after["whole"] == 3 and isinstance(stored.after["whole"], int)
    assert stored.after["big"] == 10**20 and isinstance(stored.after["big"], int)
    assert stored.after["ratio"] == 0.1 and stored.after["tiny"] == 1e-7
    assert stored.after["items"][0][2]["a"][2] == {"深": "层"}
    # The hash recomputed from what the database returns equals the hash written at append time.
    assert event_hash(stored, audit_key()) == stored.hash


def test_verify_passes_on_a_clean_chain(chain) -> None:
    report = audit_verify()
    assert report.ok and report.problem is None
    assert report.checked == 5
    assert (report.head_seq, report.head_hash) == (5, chain[-1].hash)


def test_verify_passes_on_an_empty_trail(db) -> None:
    report = audit_verify()
    assert report.ok and report.checked == 0 and report.head_hash == GENESIS_HASH


def test_event_carries_the_request_id(tree, client, officer) -> None:
    from ganbu.core import middleware

    token = middleware._request_id.set("abc123")
    try:
        event = record(tree.root, 1)
    finally:
        middleware._request_id.reset(token)
    assert AuditEvent.objects.get(pk=event.pk).request_id == "abc123"
    assert audit_verify().ok


# ---------------------------------------------------------------- append-only in the ORM


def test_save_of_an_existing_event_raises(chain) -> None:
    event = AuditEvent.objects.get(seq=2)
    event.reason = "改过"
    with pytest.raises(RuntimeError, match="只能追加"):
        event.save()
    assert AuditEvent.objects.get(seq=2).reason == "事由2"


def test_delete_of_an_event_raises(chain) -> None:
    with pytest.raises(RuntimeError, match="不能删除"):
        AuditEvent.objects.get(seq=2).delete()
    assert AuditEvent.objects.count() == 5


# ---------------------------------------------------------------- tampering by raw SQL


def test_edited_reason_is_detected_at_its_seq(chain) -> None:
    execute("UPDATE {t} SET reason = %s WHERE seq = %s", ["篡改后的事由", 2])
    problem = problem_of()
    assert problem.seq == 2
    assert problem.event_id == chain[1].pk
    assert problem.message == "第 2 号事件的内容与其哈希不符：该事件已被改动。"
    assert audit_verify().checked == 1


def test_edited_after_is_detected_at_its_seq(chain) -> None:
    tampered = dict(to_json(RICH_AFTER), count=1)
    execute("UPDATE {t} SET after = %s WHERE seq = %s", [json.dumps(tampered, ensure_ascii=False), 3])
    problem = problem_of()
    assert problem.seq == 3
    assert "内容与其哈希不符" in problem.message


def test_edited_after_with_the_same_content_reordered_still_verifies(chain) -> None:
    # Rewriting the JSON with other key order and spacing is not a change of content.
    same = json.dumps(dict(reversed(list(to_json(RICH_AFTER).items()))), ensure_ascii=False, indent=2)
    execute("UPDATE {t} SET after = %s WHERE seq = %s", [same, 3])
    assert audit_verify().ok


def test_deleted_middle_row_is_detected_naming_the_missing_seq(chain) -> None:
    execute("DELETE FROM {t} WHERE seq = %s", [3])
    problem = problem_of()
    assert problem.seq == 3
    assert problem.event_id == chain[3].pk
    assert problem.message == "第 3 号事件缺失（已被删除），断点在第 4 号事件之前。"


def test_deleted_run_of_rows_names_the_range(chain) -> None:
    execute("DELETE FROM {t} WHERE seq IN (%s, %s)", [2, 3])
    problem = problem_of()
    assert problem.seq == 2
    assert "第 2 至 3 号事件缺失" in problem.message


def test_deleted_and_renumbered_rows_break_the_link(chain) -> None:
    # A careful tamperer closes the seq gap; the prev_hash link still gives them away.
    execute("DELETE FROM {t} WHERE seq = %s", [3])
    for seq in (4, 5):
        execute("UPDATE {t} SET seq = %s WHERE seq = %s", [seq - 1, seq])
    problem = problem_of()
    assert problem.seq == 3
    assert "前一条哈希与第 2 号事件不符" in problem.message


def test_deleted_last_row_is_detected_by_the_head(chain) -> None:
    execute("DELETE FROM {t} WHERE seq = %s", [5])
    report = audit_verify()
    assert report.checked == 4
    assert report.problem is not None
    assert report.problem.seq == 5
    assert report.problem.event_id is None
    assert "最后的事件被删除" in report.problem.message


def test_swapped_seq_values_are_detected_as_reordered(chain) -> None:
    # seq is unique, so swap through a temporary value.
    execute("UPDATE {t} SET seq = %s WHERE seq = %s", [999999, 2])
    execute("UPDATE {t} SET seq = %s WHERE seq = %s", [2, 3])
    execute("UPDATE {t} SET seq = %s WHERE seq = %s", [3, 999999])
    problem = problem_of()
    assert problem.seq == 2
    assert "顺序被调换" in problem.message
    assert "紧随第 1 号事件之后的是第 3 号事件" in problem.message


def test_swapped_contents_of_two_rows_are_detected(chain) -> None:
    # Swap everything but the primary key and seq: the rows keep their places but not their links.
    columns = [
        "event_time",
        "actor_id",
        "actor_name",
        "event_type",
        "target_type",
        "target_id",
        "target_repr",
        "cadre_id",
        "unit_id",
        "before",
        "after",
        "reason",
        "request_id",
        "prev_hash",
        "hash",
    ]
    with connection.cursor() as cursor:
        q = connection.ops.quote_name
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM {q(TABLE)} WHERE seq IN (2, 3) ORDER BY seq"
        )
        row2, row3 = cursor.fetchall()
    assignments = ", ".join(f"{q(c)} = %s" for c in columns)
    execute(f"UPDATE {{t}} SET {assignments} WHERE seq = %s", [*row3, 2])
    execute(f"UPDATE {{t}} SET {assignments} WHERE seq = %s", [*row2, 3])
    problem = problem_of()
    assert problem.seq == 2
    assert "前一条哈希与第 1 号事件不符" in problem.message


def test_rewritten_last_row_with_a_fresh_hash_is_caught_by_the_head(chain) -> None:
    last = AuditEvent.objects.get(seq=5)
    last.reason = "改写"
    # Rewritten by someone holding the key: only the head (and a checkpoint) can tell.
    execute(
        "UPDATE {t} SET reason = %s, hash = %s WHERE seq = %s", ["改写", event_hash(last, audit_key()), 5]
    )
    problem = problem_of()
    assert problem.seq == 5
    assert "最后的事件被改写" in problem.message


def test_head_behind_the_chain_is_detected(chain) -> None:
    AuditChainHead.objects.filter(id=1).update(seq=3, hash=chain[2].hash)
    problem = problem_of()
    assert problem.seq == 4
    assert "链头被改动" in problem.message


# ---------------------------------------------------------------- the ``audit`` command


def run_manage(*argv: str) -> int:
    """Run ``manage.py`` in-process; the exit status it would give (0 unless SystemExit)."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_audit_verify_command_on_a_clean_chain(chain, capsys) -> None:
    assert run_manage("audit", "verify") == 0
    out = capsys.readouterr().out
    assert "审计链完整：已逐条校验 5 条事件" in out
    assert chain[-1].hash in out


def test_audit_verify_command_exits_1_naming_the_broken_link(chain, capsys) -> None:
    execute("UPDATE {t} SET reason = %s WHERE seq = %s", ["篡改", 4])
    assert run_manage("audit", "verify") == 1
    err = capsys.readouterr().err
    assert "审计链校验未通过（断点：第 4 号事件）" in err
    assert "第 4 号事件的内容与其哈希不符" in err


def test_audit_verify_through_call_command_raises_with_returncode_1(chain) -> None:
    execute("DELETE FROM {t} WHERE seq = %s", [5])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert "最后的事件被删除" in str(exc.value)


def test_audit_tail_prints_the_newest_events_first(chain) -> None:
    out = StringIO()
    call_command("audit", "tail", "-n", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("#5 ") and "事由5" in lines[0]
    assert lines[1].startswith("#4 ") and "组织部干部" in lines[1]


def test_audit_tail_defaults_to_twenty(tree) -> None:
    for n in range(1, 23):
        record(tree.root, n)
    out = StringIO()
    call_command("audit", "tail", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 20 and lines[0].startswith("#22 ") and lines[-1].startswith("#3 ")


def test_audit_tail_on_an_empty_trail(db) -> None:
    out = StringIO()
    call_command("audit", "tail", stdout=out)
    assert "还没有事件" in out.getvalue()


def test_bulk_update_and_delete_of_audit_events_are_refused(officer, tree) -> None:
    from ganbu.core.audit import audit_record
    from ganbu.core.models import AuditEvent

    audit_record(actor=officer, event_type="unit.updated", target=tree.finance)
    with pytest.raises(RuntimeError, match="只能追加"):
        AuditEvent.objects.all().update(reason="改")
    with pytest.raises(RuntimeError, match="不能删除"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(reason="改").count() == 0
