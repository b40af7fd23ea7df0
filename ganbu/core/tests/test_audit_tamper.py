"""Every way of tampering with the audit trail that issue 11 names, and that each one is detected.

The attacker has full write access to the database (the guards of migration ``core.0002`` are
bypassed, see ``tampering.py``) but not the audit key file, nor the checkpoint file kept outside
the database. Each test is one tamper case; ``TAMPER_CASES`` counts them for the closing note.
"""

from __future__ import annotations

import os
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ganbu.core import audit
from ganbu.core.audit import ANCHOR_EVENT, audit_checkpoint, audit_record, audit_verify
from ganbu.core.models import AuditChainHead, AuditEvent

from .tampering import TABLE, rehash_from, roll_back_to, tamper, unkeyed_hash

pytestmark = pytest.mark.django_db


def record(unit, n: int, **extra) -> AuditEvent:
    """Append one event about ``unit`` in its own transaction, as a service would."""
    with transaction.atomic():
        return audit_record(
            actor=None,
            event_type=extra.pop("event_type", "unit.updated"),
            target=unit,
            before={"n": n - 1},
            after={"n": n, "名称": f"第{n}次"},
            reason=f"事由{n}",
            unit_id=unit.pk,
        )


@pytest.fixture
def chain(tree):
    """Six events, seq 1..6, written with the audit key."""
    units = [tree.root, tree.finance, tree.town, tree.forestry, tree.station, tree.root]
    events = [record(unit, n) for n, unit in enumerate(units, start=1)]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    return events


@pytest.fixture
def checkpoints(tmp_path) -> Path:
    return tmp_path / "audit-checkpoints.txt"


def problem(**kwargs):
    report = audit_verify(**kwargs)
    assert not report.ok, "the tampering went undetected"
    assert report.problem is not None
    return report.problem


# ---------------------------------------------------------------- the keyed chain


def test_new_events_are_hashed_with_the_key_not_with_plain_sha256(chain) -> None:
    for event in chain:
        assert event.hash != unkeyed_hash(event)
    assert AuditChainHead.objects.get(id=1).keyed_from == 1
    assert audit_verify().ok


def test_case_edited_row(chain) -> None:
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 3])
    found = problem()
    assert found.seq == 3 and "内容与其哈希不符" in found.message


def test_case_deleted_middle_row(chain) -> None:
    tamper("DELETE FROM {t} WHERE seq = %s", [4])
    found = problem()
    assert found.seq == 4 and "第 4 号事件缺失" in found.message


def test_case_reordered_rows(chain) -> None:
    tamper("UPDATE {t} SET seq = %s WHERE seq = %s", [999, 2])
    tamper("UPDATE {t} SET seq = %s WHERE seq = %s", [2, 3])
    tamper("UPDATE {t} SET seq = %s WHERE seq = %s", [3, 999])
    found = problem()
    assert found.seq == 2 and "顺序被调换" in found.message


def test_case_reordered_rows_relinked_without_the_key(chain) -> None:
    # Swap the contents of two rows (keeping their places), then relink with plain SHA-256.
    columns = [
        "event_time",
        "event_type",
        "target_type",
        "target_id",
        "target_repr",
        "unit_id",
        "before",
        "after",
        "reason",
    ]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM {q(TABLE)} WHERE seq IN (2, 3) ORDER BY seq"
        )
        row2, row3 = cursor.fetchall()
    assignments = ", ".join(f"{q(c)} = %s" for c in columns)
    tamper(f"UPDATE {{t}} SET {assignments} WHERE seq = %s", [*row3, 2])
    tamper(f"UPDATE {{t}} SET {assignments} WHERE seq = %s", [*row2, 3])
    rehash_from(2)
    found = problem()
    assert found.seq == 2 and "不是用审计密钥计算的" in found.message


def test_case_rehashed_middle_edit(chain) -> None:
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 3])
    rehash_from(3)
    found = problem()
    assert found.seq == 3
    assert found.message == (
        "第 3 号事件的哈希不是用审计密钥计算的：该事件在写入后被改动，并被不持有密钥的人重算了哈希。"
    )


def test_case_rehashed_newest_edit(chain) -> None:
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 6])
    rehash_from(6)
    found = problem()
    assert found.seq == 6 and "不是用审计密钥计算的" in found.message


def test_case_whole_chain_rewritten_without_the_key(chain) -> None:
    tamper("UPDATE {t} SET actor_name = %s WHERE seq = %s", ["别人", 1])
    rehash_from(1)
    found = problem()
    assert found.seq == 1 and "不是用审计密钥计算的" in found.message


def test_rollback_without_a_checkpoint_is_consistent_which_is_why_checkpoints_exist(chain) -> None:
    # Without a checkpoint, the rollback of a careful attacker who also rewinds the head is
    # consistent: this is why checkpoints are kept outside the database.
    roll_back_to(4)
    assert audit_verify().ok


def test_case_rollback_of_the_newest_events_detected_against_the_checkpoint(chain, checkpoints) -> None:
    audit_checkpoint(checkpoints)
    roll_back_to(4)
    found = problem(checkpoints=checkpoints)
    assert found.seq == 5 and found.event_id is None
    assert "检查点" in found.message and "回滚" in found.message
    assert "已有 6 条事件，而现在只有 4 条" in found.message


def test_case_rollback_and_new_events_to_the_same_length_detected(chain, tree, checkpoints) -> None:
    audit_checkpoint(checkpoints)
    roll_back_to(4)
    record(tree.town, 5)
    record(tree.town, 6)  # the application writes new, correctly keyed events after the rollback
    found = problem(checkpoints=checkpoints)
    assert found.seq == 6 and "与检查点" in found.message and "不符" in found.message


def test_case_rehashed_edit_below_a_checkpoint_detected_even_with_the_key(chain, tree, checkpoints) -> None:
    # Even someone holding the key who rewrites history below a checkpoint is caught by it.
    audit_checkpoint(checkpoints)
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 2])
    key = audit.audit_key()
    prev = AuditEvent.objects.get(seq=1).hash
    for event in AuditEvent.objects.filter(seq__gte=2).order_by("seq"):
        event.prev_hash = prev
        new = audit.event_hash(event, key)
        tamper("UPDATE {t} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, event.pk])
        prev = new
    AuditChainHead.objects.filter(id=1).update(hash=prev)
    assert audit_verify(checkpoints=None).ok  # the chain alone is consistent
    found = problem(checkpoints=checkpoints)
    assert found.seq == 6 and "与检查点" in found.message


def test_case_edited_checkpoint_line_detected(chain, checkpoints) -> None:
    audit_checkpoint(checkpoints)
    roll_back_to(4)
    # The attacker lowers the checkpoint to match the rolled-back chain.
    line = checkpoints.read_text(encoding="utf-8")
    head4 = AuditEvent.objects.get(seq=4).hash
    forged = line.replace("seq=6", "seq=4").replace(f"hash={audit_verify().head_hash}", f"hash={head4}")
    checkpoints.write_text(forged, encoding="utf-8")
    found = problem(checkpoints=checkpoints)
    assert "检查点文件第 1 行的签名不符" in found.message


# ---------------------------------------------------------------- an existing, unkeyed chain


@pytest.fixture
def legacy_chain(tree):
    """Four events as written before issue 11: plain SHA-256, the head not yet keyed."""
    events = [record(unit, n) for n, unit in enumerate([tree.root, tree.finance, tree.town, tree.root], 1)]
    rehash_from(1)
    AuditChainHead.objects.filter(id=1).update(keyed_from=None)
    return events


def test_an_unkeyed_chain_is_anchored_with_a_keyed_event_and_still_verifies(legacy_chain, tree) -> None:
    legacy_hash = AuditEvent.objects.get(seq=4).hash
    event = record(tree.finance, 5)
    anchor = AuditEvent.objects.get(seq=5)
    assert anchor.event_type == ANCHOR_EVENT
    assert anchor.after == {"legacy_head_seq": 4, "legacy_head_hash": legacy_hash}
    assert anchor.prev_hash == legacy_hash and anchor.hash != unkeyed_hash(anchor)
    assert event.seq == 6 and event.hash != unkeyed_hash(event)
    assert AuditChainHead.objects.get(id=1).keyed_from == 5
    report = audit_verify()
    assert report.ok and report.checked == 6


def test_migrate_anchors_an_unkeyed_chain_at_once(legacy_chain) -> None:
    from django.core.management.sql import emit_post_migrate_signal

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    anchor = AuditEvent.objects.get(seq=5)
    assert anchor.event_type == ANCHOR_EVENT and anchor.actor_name == "系统"
    assert AuditChainHead.objects.get(id=1).keyed_from == 5
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert AuditEvent.objects.count() == 5  # once only
    assert audit_verify().ok


def test_an_unanchored_unkeyed_chain_says_to_run_migrate(legacy_chain) -> None:
    found = problem()
    assert found.seq == 1 and "请运行 ganbu migrate" in found.message


def test_case_legacy_row_edited_and_rehashed_is_caught_by_the_anchor(legacy_chain, tree) -> None:
    record(tree.finance, 5)
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 2])
    rehash_from(2)
    found = problem()
    assert found.seq == 5 and "不是用审计密钥计算的" in found.message


def test_case_anchor_deleted_and_chain_relinked_is_detected(legacy_chain, tree) -> None:
    record(tree.finance, 5)
    record(tree.finance, 6)
    tamper("DELETE FROM {t} WHERE seq = %s", [5])
    tamper("UPDATE {t} SET seq = %s WHERE seq = %s", [5, 6])
    rehash_from(1)
    found = problem()
    assert found.seq == 1 and "不是用审计密钥计算的" in found.message


# ---------------------------------------------------------------- checkpoints


def test_checkpoint_appends_a_signed_line_and_verify_uses_it(chain, tree, checkpoints) -> None:
    out = StringIO()
    call_command("audit", "checkpoint", "--file", str(checkpoints), stdout=out)
    record(tree.finance, 7)
    call_command("audit", "checkpoint", "--file", str(checkpoints), stdout=out)
    lines = checkpoints.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ganbu-audit-checkpoint v1 seq=6 hash=") and " mac=" in lines[0]
    assert "seq=7" in lines[1]
    assert lines[1] in out.getvalue()  # printed too, for the daily report or a paper log
    report = audit_verify(checkpoints=checkpoints)
    assert report.ok and report.checkpoints == 2
    verified = StringIO()
    call_command("audit", "verify", "--checkpoints", str(checkpoints), stdout=verified)
    assert "并与 2 个检查点核对一致" in verified.getvalue()


def test_verify_command_reports_a_rollback_and_exits_1(chain, checkpoints) -> None:
    call_command("audit", "checkpoint", "--file", str(checkpoints), stdout=StringIO())
    roll_back_to(3)
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", "--checkpoints", str(checkpoints))
    assert exc.value.returncode == 1
    assert "回滚" in str(exc.value)


def test_checkpoint_refuses_a_broken_chain(chain, checkpoints) -> None:
    tamper("UPDATE {t} SET reason = %s WHERE seq = %s", ["改过的事由", 2])
    with pytest.raises(CommandError, match="审计链校验未通过"):
        call_command("audit", "checkpoint", "--file", str(checkpoints))
    assert not checkpoints.exists()


def test_verify_with_a_missing_checkpoint_file_named_explicitly_fails(chain, tmp_path) -> None:
    with pytest.raises(CommandError, match="检查点文件不存在"):
        call_command("audit", "verify", "--checkpoints", str(tmp_path / "nowhere.txt"))


# ---------------------------------------------------------------- the key file


def test_the_key_file_is_created_on_first_use_readable_by_its_owner_only(tmp_path, settings) -> None:
    settings.AUDIT_KEY_FILE = tmp_path / "sub" / "audit.key"
    settings.AUDIT_KEY_CREATE = True
    key = audit.audit_key()
    assert len(key) == 32
    mode = stat.S_IMODE(os.stat(settings.AUDIT_KEY_FILE).st_mode)
    assert mode == 0o600
    assert audit.audit_key() == key  # the same key on the next use


def test_without_a_key_file_production_refuses_to_write_events(tree, tmp_path, settings) -> None:
    settings.AUDIT_KEY_FILE = tmp_path / "missing.key"
    settings.AUDIT_KEY_CREATE = False
    with pytest.raises(ImproperlyConfigured, match="审计密钥文件"):
        record(tree.root, 1)
    assert AuditEvent.objects.count() == 0


def test_a_key_file_with_too_little_key_is_refused(tmp_path, settings) -> None:
    settings.AUDIT_KEY_FILE = tmp_path / "short.key"
    settings.AUDIT_KEY_FILE.write_text("abcd\n")
    with pytest.raises(ImproperlyConfigured, match="至少 64 位十六进制"):
        audit.audit_key()


def test_the_deploy_check_names_a_missing_key_file(tmp_path, settings) -> None:
    from ganbu.core.checks import check_audit_key

    settings.AUDIT_KEY_FILE = tmp_path / "missing.key"
    settings.AUDIT_KEY_CREATE = False
    errors = check_audit_key(None)
    assert [e.id for e in errors] == ["ganbu.E001"]
    settings.AUDIT_KEY_CREATE = True
    assert check_audit_key(None) == []


def test_another_key_than_the_chain_was_written_with_is_named(chain, tmp_path, settings) -> None:
    settings.AUDIT_KEY_FILE = tmp_path / "other.key"
    found = problem()
    assert found.seq == 1 and "审计密钥" in found.message and "不是写入时所用" in found.message


# ---------------------------------------------------------------- the database's own guards


def test_sqlite_refuses_update_of_an_audit_row(chain) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite trigger; PostgreSQL has its own below")
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="审计事件只能追加"), connection.cursor() as cursor:
        cursor.execute('UPDATE "core_auditevent" SET reason = %s WHERE seq = 2', ["改"])
    assert AuditEvent.objects.get(seq=2).reason == "事由2"


pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's (migration core.0002)"
)


@pg_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE \"core_auditevent\" SET reason = '改' WHERE seq = 2",
        'DELETE FROM "core_auditevent" WHERE seq = 2',
        'DELETE FROM "core_auditevent"',
        'TRUNCATE "core_auditevent"',
        'TRUNCATE "core_auditevent" CASCADE',
    ],
)
def test_case_postgresql_trigger_refuses(chain, statement) -> None:
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        # As in production: test databases (test_*) let Django's flush TRUNCATE between tests.
        cursor.execute("SET LOCAL ganbu.audit_guard = 'on'")
        # The chain was written in this test's transaction: run its deferred foreign-key checks
        # now, or PostgreSQL refuses TRUNCATE for them before the trigger is asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="审计事件只能追加"), transaction.atomic():
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 6 and audit_verify().ok


@pg_only
def test_postgresql_trigger_refuses_update_and_delete_even_in_a_test_database(chain) -> None:
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        for statement in ("UPDATE \"core_auditevent\" SET reason = '改'", 'DELETE FROM "core_auditevent"'):
            with pytest.raises(DatabaseError, match="审计事件只能追加"), transaction.atomic():
                cursor.execute(statement)
    assert AuditEvent.objects.count() == 6


# Counted for the closing note of issue 11: each ``test_case_*`` above is one tamper case.
TAMPER_CASES = sorted(name for name in dict(globals()) if name.startswith("test_case_"))
