"""``ganbu backup`` / ``ganbu restore``: round trips on SQLite and PostgreSQL, and refused backups.

The round trips run the real commands in fresh interpreters against a database of their own (a
file for SQLite, a scratch database on PostgreSQL), with the demo county loaded, and check the
result with their own queries, not with the command's word: every table's row count and the
audit chain's head are what they were when the backup was taken.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from ganbu.core.backup import choose_pg_tool, pg_env, pg_tool_version, unknown_migrations
from ganbu.core.errors import ServiceError

ROOT = Path(__file__).resolve().parents[3]
SCALE = "0.1"  # the smallest demo county the loader accepts: about 300 cadres


def ganbu(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``ganbu ARGS`` in a fresh interpreter with ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "ganbu.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def site_env(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "GANBU_DATA_DIR": str(data_dir),
    }


def load_site(env: dict[str, str]) -> None:
    """Migrate and load the demo county (its registry at least)."""
    done = ganbu(env, "migrate", "--skip-checks", "-v", "0")
    assert done.returncode == 0, done.stderr
    # Not asserting the demo's exit status: what a backup must carry is whatever rows are there,
    # and the demo's own tests answer for its workflows.
    ganbu(env, "demo", "--scale", SCALE, "--skip-checks")


@dataclass(frozen=True)
class State:
    """Row counts of every table and the audit head, read directly from the database."""

    counts: dict[str, int]
    head: tuple[int, str]


def sqlite_state(path: Path) -> State:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        seq, head_hash = conn.execute("SELECT seq, hash FROM core_auditchainhead WHERE id = 1").fetchone()
    finally:
        conn.close()
    return State(counts=counts, head=(seq, head_hash))


def audit_row(path: Path, seq: int) -> tuple[str, str]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT event_type, prev_hash FROM core_auditevent WHERE seq = ?", (seq,)
        ).fetchone()
    finally:
        conn.close()


# --------------------------------------------------------------------------------------- SQLite


@dataclass(frozen=True)
class Site:
    """A migrated SQLite site with the demo county, and a backup of it."""

    env: dict[str, str]
    data: Path
    database: Path
    backup: Path
    after_backup: State


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    base = tmp_path_factory.mktemp("backup-site")
    data = base / "data"
    database = base / "ganbu.sqlite3"
    env = site_env(data, f"sqlite:///{database}")
    load_site(env)
    photo = data / "media" / "photos" / "2025" / "zhang.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff photo of a cadre")
    # A signed checkpoint of the chain before the backup (outside the database, like production's).
    assert ganbu(env, "audit", "checkpoint").returncode == 0
    before = sqlite_state(database)
    assert before.counts["registry_cadre"] > 100
    backup = base / "backups" / "site.tar.gz"
    done = ganbu(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    assert "备份完成" in done.stdout
    after = sqlite_state(database)
    # The backup recorded itself in the audit trail before copying: the copy holds that event.
    assert after.head[0] == before.head[0] + 1
    assert audit_row(database, after.head[0])[0] == "backup.created"
    return Site(env=env, data=data, database=database, backup=backup, after_backup=after)


def test_a_backup_is_one_checked_file_with_its_manifest(site):
    with tarfile.open(site.backup) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        recorded = tar.extractfile("manifest.sha256").read().decode().split()[0]
        manifest_bytes = tar.extractfile("manifest.json").read()
    assert names[:3] == ["manifest.json", "manifest.sha256", "database.sqlite3"]
    assert "media/photos/2025/zhang.jpg" in names
    assert hashlib.sha256(manifest_bytes).hexdigest() == recorded
    assert manifest["engine"] == "sqlite"
    assert manifest["row_counts"] == site.after_backup.counts
    assert (manifest["audit_head"]["seq"], manifest["audit_head"]["hash"]) == site.after_backup.head
    assert manifest["migrations"]["latest"]["core"].startswith("00")
    assert manifest["ganbu_version"]
    sidecar = site.backup.with_name(site.backup.name + ".sha256").read_text().split()
    assert sidecar == [hashlib.sha256(site.backup.read_bytes()).hexdigest(), site.backup.name]
    assert site.backup.stat().st_mode & 0o077 == 0  # the owner's alone: it holds every record


def test_sqlite_round_trip_restores_every_count_and_the_audit_head(site, tmp_path):
    expected = site.after_backup
    # Change the data after the backup: rows deleted, an audit event appended, uploads changed.
    conn = sqlite3.connect(site.database)
    conn.execute("DELETE FROM registry_familymember")
    conn.commit()
    conn.close()
    assert ganbu(site.env, "backup", "--output", str(tmp_path / "later.tar.gz")).returncode == 0
    (site.data / "media" / "photos" / "2025" / "zhang.jpg").unlink()
    (site.data / "media" / "stray.jpg").write_bytes(b"uploaded after the backup")
    # A checkpoint of the later chain: the restore takes its events away, which it must not
    # leave to be reported as a rollback by every later verify.
    assert ganbu(site.env, "audit", "checkpoint").returncode == 0
    checkpoints = site.data / "audit-checkpoints.txt"
    lines_before = checkpoints.read_text().splitlines()
    changed = sqlite_state(site.database)
    assert changed.counts != expected.counts and changed.head != expected.head

    refused = ganbu(site.env, "restore", str(site.backup), stdin="no\n")
    assert refused.returncode == 1
    assert "未确认，没有恢复任何数据" in refused.stderr
    assert sqlite_state(site.database) == changed

    done = ganbu(site.env, "restore", str(site.backup), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "各表行数与备份清单一致" in done.stdout
    assert f"审计链头：第 {expected.head[0]} 号事件" in done.stdout
    assert "审计链完整" in done.stdout

    restored = sqlite_state(site.database)
    # Exactly the backup's rows, plus the restore's own audit event chained onto the backup's head.
    assert restored.counts == {**expected.counts, "core_auditevent": expected.counts["core_auditevent"] + 1}
    assert restored.head[0] == expected.head[0] + 1
    assert audit_row(site.database, restored.head[0]) == ("backup.restored", expected.head[1])
    verify = ganbu(site.env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    # The checkpoints up to the backup are kept and checked; the later one is kept aside.
    lines_after = checkpoints.read_text().splitlines()
    assert lines_after[:-1] == [line for line in lines_before if f"seq={expected.head[0] - 1} " in line]
    assert f"seq={restored.head[0]} hash={restored.head[1]} " in lines_after[-1]
    kept_aside = [
        p for p in site.data.iterdir() if p.name.startswith("audit-checkpoints.txt.before-restore-")
    ]
    assert [p.read_text().splitlines() for p in kept_aside] == [lines_before]
    media = site.data / "media"
    assert (media / "photos" / "2025" / "zhang.jpg").read_bytes() == b"\xff\xd8\xff photo of a cadre"
    assert not (media / "stray.jpg").exists()
    aside = [p for p in site.data.iterdir() if p.name.startswith("media.before-restore-")]
    assert any((p / "stray.jpg").exists() for p in aside)  # set aside, not deleted


def repack(source: Path, target: Path, *, manifest_edit=None, member_edit=None) -> None:
    """A copy of a backup with its manifest (checksum recomputed) or one member changed."""
    with tarfile.open(source) as tar:
        members = [(info, tar.extractfile(info).read()) for info in tar.getmembers()]
    out = []
    for info, data in members:
        if info.name == "manifest.json" and manifest_edit is not None:
            manifest = json.loads(data)
            manifest_edit(manifest)
            data = json.dumps(manifest, ensure_ascii=False).encode()
        if info.name == "database.sqlite3" and member_edit is not None:
            data = member_edit(data)
        out.append((info, data))
    manifest_data = {i.name: d for i, d in out}["manifest.json"]
    if manifest_edit is not None:
        out = [
            (i, f"{hashlib.sha256(manifest_data).hexdigest()}  manifest.json\n".encode())
            if i.name == "manifest.sha256"
            else (i, d)
            for i, d in out
        ]
    with tarfile.open(target, "w:gz") as tar:
        for info, data in out:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def refused(site: Site, backup: Path) -> str:
    """Run a restore that must be refused with nothing changed; its message."""
    before = sqlite_state(site.database)
    done = ganbu(site.env, "restore", str(backup), "--yes")
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert sqlite_state(site.database) == before
    return done.stderr


def test_a_corrupted_backup_is_refused_by_its_sidecar_checksum(site, tmp_path):
    damaged = tmp_path / site.backup.name
    data = bytearray(site.backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    shutil.copy(site.backup.with_name(site.backup.name + ".sha256"), tmp_path)
    message = refused(site, damaged)
    assert "备份文件已损坏：整个文件的 SHA-256 与" in message and "没有恢复任何数据" in message


def test_a_corrupted_backup_without_its_sidecar_is_refused(site, tmp_path):
    damaged = tmp_path / "copied-alone.tar.gz"
    data = bytearray(site.backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    message = refused(site, damaged)
    assert "已损坏" in message and "没有恢复任何数据" in message


def test_a_changed_database_member_is_refused_by_the_manifest_checksum(site, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    repack(site.backup, tampered, member_edit=lambda data: data[:-1] + b"\x01")
    assert "database.sqlite3 的 SHA-256 校验和不符" in refused(site, tampered)


def test_a_backup_from_newer_code_is_refused(site, tmp_path):
    def newer(manifest):
        manifest["migrations"]["applied"]["core"].append("9999_from_a_later_version")
        manifest["ganbu_version"] = "9.0.0"

    future = tmp_path / "future.tar.gz"
    repack(site.backup, future, manifest_edit=newer)
    message = refused(site, future)
    assert "备份来自较新版本的 ganbu（9.0.0）" in message
    assert "core.9999_from_a_later_version" in message


def test_a_backup_of_another_audit_key_is_refused(site, tmp_path):
    def other_key(manifest):
        manifest["audit_key_id"] = "0" * 16

    other = tmp_path / "other-key.tar.gz"
    repack(site.backup, other, manifest_edit=other_key)
    assert "不是备份时所用的那一个" in refused(site, other)


def test_a_backup_is_never_written_over_an_existing_file(site):
    done = ganbu(site.env, "backup", "--output", str(site.backup))
    assert done.returncode == 1
    assert "已存在" in done.stderr


# ------------------------------------------------------------------- PostgreSQL client tools


def test_the_postgresql_tools_must_have_the_servers_major_version():
    assert pg_tool_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)") == (15, "15.20")
    found = [("/usr/bin/pg_dump", "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)")]
    assert choose_pg_tool("pg_dump", 15, found) == ("/usr/bin/pg_dump", "15.20")
    with pytest.raises(ServiceError) as refusal:
        choose_pg_tool("pg_dump", 16, found)
    message = refusal.value.messages[0]
    assert "服务器是 PostgreSQL 16，找到的是 15.20（/usr/bin/pg_dump）" in message
    assert "postgresql-client-16" in message and "GANBU_PG_BIN" in message
    with pytest.raises(ServiceError, match="找不到 pg_restore"):
        choose_pg_tool("pg_restore", 16, [])


def test_the_password_goes_to_the_environment_not_the_command_line():
    env = pg_env({"NAME": "ganbu", "USER": "ganbu", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5432})
    assert env["PGPASSWORD"] == "s3cret" and env["PGDATABASE"] == "ganbu" and env["PGPORT"] == "5432"


def test_migrations_the_code_does_not_have_are_named():
    known = {("core", "0001_initial"), ("core", "0002_more")}
    assert unknown_migrations([("core", "0001_initial"), ("core", "0003_later")], known) == [
        "core.0003_later"
    ]
    assert unknown_migrations([("core", "0001_initial")], known) == []


# --------------------------------------------------------------------------------- PostgreSQL


SCRATCH_DB = "ganbu_backup_rt"


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A scratch PostgreSQL database of this test's own (dropped afterwards); its URL."""
    url = _postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL 不是 PostgreSQL：此测试只在 PostgreSQL 上运行。")
    import psycopg

    admin = _with_database(url, "postgres")

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (SCRATCH_DB,)
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    try:
        yield _with_database(url, SCRATCH_DB)
    finally:
        drop()


def postgres_state(url: str) -> State:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        seq, head_hash = conn.execute("SELECT seq, hash FROM core_auditchainhead WHERE id = 1").fetchone()
    return State(counts=counts, head=(seq, head_hash))


def test_postgresql_round_trip_restores_every_count_and_the_audit_head(scratch_postgres, tmp_path):
    import psycopg

    env = site_env(tmp_path / "data", scratch_postgres)
    load_site(env)
    backup = tmp_path / "pg.tar.gz"
    done = ganbu(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    with tarfile.open(backup) as tar:
        assert "database.pgdump" in tar.getnames()
    expected = postgres_state(scratch_postgres)
    assert expected.counts["registry_cadre"] > 100

    with psycopg.connect(scratch_postgres) as conn:
        conn.execute("DELETE FROM registry_familymember")
        conn.execute("CREATE TABLE made_after_the_backup (id int)")
    assert ganbu(env, "backup", "--output", str(tmp_path / "later.tar.gz")).returncode == 0
    assert postgres_state(scratch_postgres).head != expected.head

    done = ganbu(env, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "各表行数与备份清单一致" in done.stdout and "审计链完整" in done.stdout

    restored = postgres_state(scratch_postgres)
    assert "made_after_the_backup" not in restored.counts  # exactly the backup's tables
    assert restored.counts == {**expected.counts, "core_auditevent": expected.counts["core_auditevent"] + 1}
    assert restored.head[0] == expected.head[0] + 1
    with psycopg.connect(scratch_postgres) as conn:
        row = conn.execute(
            "SELECT event_type, prev_hash FROM core_auditevent WHERE seq = %s", (restored.head[0],)
        ).fetchone()
    assert row == ("backup.restored", expected.head[1])
    verify = ganbu(env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr


# ------------------------------------------------------------------------ checkpoints after a restore


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    """A checkpoint file with signed lines at seq 3 and seq 7, configured as the server's."""
    import datetime as dt

    from ganbu.core.audit import audit_key, checkpoint_line

    path = tmp_path / "audit-checkpoints.txt"
    settings.AUDIT_CHECKPOINT_FILE = path
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    path.write_text(
        f"{checkpoint_line(3, 'a' * 64, at, audit_key())}\n{checkpoint_line(7, 'b' * 64, at, audit_key())}\n"
    )
    return path


def test_checkpoints_later_than_the_restored_head_are_set_aside_and_the_earlier_kept(checkpoint_file):
    from ganbu.core.backup import _reconcile_checkpoints

    original = checkpoint_file.read_text().splitlines()
    aside, dropped, problem = _reconcile_checkpoints(5, "20260105-090000")
    assert (dropped, problem) == (1, "")
    assert aside == checkpoint_file.with_name("audit-checkpoints.txt.before-restore-20260105-090000")
    assert aside.read_text().splitlines() == original
    assert checkpoint_file.read_text().splitlines() == original[:1]
    assert _reconcile_checkpoints(7, "later") == (None, 0, "")  # nothing later: nothing moved


def test_an_append_only_checkpoint_file_is_left_alone_with_a_warning(checkpoint_file, monkeypatch):
    from ganbu.core.backup import _reconcile_checkpoints

    original = checkpoint_file.read_text()

    def refuse(self, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(Path, "rename", refuse)
    aside, dropped, problem = _reconcile_checkpoints(5, "20260105-090000")
    assert (aside, dropped) == (None, 0)
    assert "记录了晚于这份备份的 1 个检查点" in problem and "Operation not permitted" in problem
    assert checkpoint_file.read_text() == original


def test_a_backup_from_older_code_is_restored_and_migrated(tmp_path):
    """A backup taken before ``ganbu migrate`` (an upgrade) is restored, then brought up to this code."""
    database = tmp_path / "ganbu.sqlite3"
    env = site_env(tmp_path / "data", f"sqlite:///{database}")
    assert ganbu(env, "migrate", "--skip-checks", "-v", "0").returncode == 0
    # The sessions table stands for a migration a later version of ganbu added.
    assert ganbu(env, "migrate", "sessions", "zero", "--skip-checks", "-v", "0").returncode == 0
    backup = tmp_path / "older.tar.gz"
    done = ganbu(env, "backup", "--output", str(backup))
    assert done.returncode == 0, done.stderr
    assert "没有写入审计事件" in done.stdout  # the code's audit model may not fit an older schema
    assert ganbu(env, "migrate", "--skip-checks", "-v", "0").returncode == 0

    done = ganbu(env, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "各表行数与备份清单一致" in done.stdout
    assert "已执行本程序新增的数据库迁移" in done.stdout
    state = sqlite_state(database)
    assert "django_session" in state.counts
    assert audit_row(database, state.head[0])[0] == "backup.restored"
