"""Backing up and restoring the whole system: the database, the uploaded files and a manifest.

One backup is one ``.tar.gz`` file holding, in this order:

- ``manifest.json``: the format version, when and by which ganbu version it was made, the database
  engine (and the PostgreSQL server and ``pg_dump`` versions), the migrations applied (all of them,
  and the latest per app), the row count of every table, the audit chain's head (seq and hash) and
  the SHA-256 and size of every other member;
- ``manifest.sha256``: the SHA-256 of ``manifest.json``;
- ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (a copy made with
  SQLite's online backup API);
- ``media/…``: the uploaded files (photos), when uploads are stored on disk.

Next to it, ``FILE.sha256`` holds the SHA-256 of the whole file in ``sha256sum`` format, so the
file can be checked with ``sha256sum -c`` after copying it elsewhere.

Why the counts, the head and the migrations are taken from the same state as the dump: on
PostgreSQL they are read in a ``REPEATABLE READ`` transaction whose snapshot is exported and handed
to ``pg_dump --snapshot``; on SQLite they are read from the copy itself. So a backup taken while
the application runs is consistent, and a restore can prove it put back exactly that state.

Why SHA-256 and not a signature: the checksums detect a file damaged in storage or in transit. They
do not stop someone who can write the backup from forging a consistent one; that is what keeping
backups where the application's users cannot write is for (docs/deploy.md, "Backups").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .audit import (
    GENESIS_HASH,
    ChainReport,
    CheckpointError,
    audit_checkpoint,
    audit_key,
    audit_key_fingerprint,
    audit_record,
    audit_verify,
    default_checkpoint_file,
    read_checkpoints,
)
from .errors import ServiceError
from .models import AuditChainHead

FORMAT = "ganbu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
DB_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1024 * 1024

MSG_ENGINE = "不支持的数据库类型：{vendor}。备份与恢复只支持 PostgreSQL 和 SQLite。"
MSG_NOT_MIGRATED = "数据库尚未初始化（没有运行过 ganbu migrate），没有可备份的数据。"
MSG_OUTPUT_EXISTS = "备份文件 {path} 已存在；备份不会覆盖已有文件，请换一个文件名。"
MSG_OUTPUT_DIR = "无法写入备份目录 {path}：{error}"
MSG_NO_FILE = "找不到备份文件 {path}。"
MSG_NOT_BACKUP = "{path} 不是 ganbu 备份文件，或文件已损坏（{error}）。没有恢复任何数据。"
MSG_SIDECAR = (
    "备份文件已损坏：整个文件的 SHA-256 与 {sidecar} 中记录的不符（文件在存放或复制时被改动或截断）。"
    "没有恢复任何数据。"
)
MSG_MANIFEST_SUM = "备份文件已损坏：清单的 SHA-256 校验和不符。没有恢复任何数据。"
MSG_MEMBER_SUM = "备份文件已损坏：其中的 {member} 的 SHA-256 校验和不符。没有恢复任何数据。"
MSG_MEMBER_MISSING = "备份文件不完整：缺少清单中列出的 {member}。没有恢复任何数据。"
MSG_MEMBER_EXTRA = "备份文件中有清单未列出的内容 {member}，不予恢复。"
MSG_FORMAT = (
    "备份文件格式版本 {version} 不受本程序支持（本程序支持第 {supported} 版）。请用相应版本的 ganbu 恢复。"
)
MSG_ENGINE_MISMATCH = (
    "这是 {backup} 数据库的备份，而当前配置的是 {current} 数据库；不能跨数据库类型恢复。"
    "请把 DATABASE_URL 指向 {backup} 数据库后再恢复。"
)
MSG_NEWER = (
    "备份来自较新版本的 ganbu（{version}）：其数据库结构包含本程序没有的迁移 {migrations}。"
    "请先把程序升级到不低于备份时的版本，再恢复。没有恢复任何数据。"
)
MSG_KEY_DIFFERS = (
    "本机的审计密钥（{path}，指纹 {current}）不是备份时所用的那一个（指纹 {recorded}）："
    "恢复后审计链将无法校验。审计密钥不在备份中，"
    "须另行保管；请把原系统的审计密钥文件放到该位置（或用环境变量 GANBU_AUDIT_KEY_FILE 指向它）后再恢复。"
    "没有恢复任何数据。"
)
MSG_SQLITE_CORRUPT = "备份中的 SQLite 数据库未通过完整性检查（{detail}）。没有恢复任何数据。"
MSG_NOT_CONFIRMED = "未确认，没有恢复任何数据。"
MSG_TOOL_MISSING = (
    "找不到 {tool}：请安装 PostgreSQL {major} 的客户端工具（Debian/Ubuntu：apt-get install "
    "postgresql-client-{major}），或用环境变量 GANBU_PG_BIN 指定其所在目录。"
)
MSG_TOOL_VERSION = (
    "{tool} 的大版本须与数据库服务器相同：服务器是 PostgreSQL {major}，找到的是 {found}。"
    "请安装 postgresql-client-{major}（Debian/Ubuntu：apt-get install postgresql-client-{major}），"
    "或用环境变量 GANBU_PG_BIN 指定其所在目录（例如 /usr/lib/postgresql/{major}/bin）。"
)
MSG_RESTORE_TOOL_OLD = (
    "备份由 pg_dump {dumped} 生成，而这里的 pg_restore 是 {restorer}，读不了较新版本的备份。"
    "请在 PostgreSQL {dumped_major} 或更新的服务器和客户端工具上恢复。"
)
MSG_CHECKPOINTS_STUCK = (
    "检查点文件 {path} 记录了晚于这份备份的 {count} 个检查点，"
    "但无法把它移开（{error}；例如设置了 chattr +a）。"
    "恢复的审计链只按自身校验；在把该文件移开保存并运行 ganbu audit checkpoint 之前，"
    "ganbu audit verify 会（如实地）报告这些事件被回滚。"
)
MSG_PG_DUMP_FAILED = "pg_dump 运行失败，没有生成备份：{detail}"
MSG_PG_RESTORE_FAILED = "恢复失败，数据库未作任何更改（整个恢复在一个事务中进行，出错即全部撤销）：{detail}"


# ---------------------------------------------------------------------------------------------
# The manifest and the database state it records


@dataclass(frozen=True)
class DatabaseState:
    """What a backup proves about the database: applied migrations, rows per table, the audit head."""

    migrations: list[tuple[str, str]]
    row_counts: dict[str, int]
    head_seq: int
    head_hash: str

    def applied_by_app(self) -> dict[str, list[str]]:
        """The applied migrations of each app, in the order they were applied."""
        applied: dict[str, list[str]] = {}
        for app, name in self.migrations:
            applied.setdefault(app, []).append(name)
        return applied

    def latest_migrations(self) -> dict[str, str]:
        """The newest applied migration of each app (the last one applied, as ``django_migrations`` says)."""
        return {app: names[-1] for app, names in self.applied_by_app().items()}


@dataclass(frozen=True)
class Manifest:
    """The parsed ``manifest.json`` of a backup."""

    data: dict[str, Any]

    @property
    def engine(self) -> str:
        return str(self.data["engine"])

    @property
    def created_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.data["created_at"])

    @property
    def migrations(self) -> list[tuple[str, str]]:
        applied = self.data["migrations"]["applied"]
        return [(str(app), str(name)) for app, names in applied.items() for name in names]

    @property
    def row_counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.data["row_counts"].items()}

    @property
    def head_seq(self) -> int:
        return int(self.data["audit_head"]["seq"])

    @property
    def head_hash(self) -> str:
        return str(self.data["audit_head"]["hash"])

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """Every member besides the manifest, by name: its SHA-256 and size."""
        return {str(f["name"]): f for f in self.data["files"]}

    @property
    def media_stored(self) -> bool:
        return bool(self.data["media"]["stored"])

    def describe(self) -> str:
        """One line for the operator: when, by which version, which engine, the audit head."""
        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M:%S")
        engine = ENGINE_NAMES.get(self.engine, self.engine)
        server = self.data["database"].get("server_version")
        if server:
            engine = f"{engine} {server}"
        return (
            f"备份于 {when}，ganbu {self.data['ganbu_version']}，{engine}，"
            f"{len(self.row_counts)} 张数据表共 {sum(self.row_counts.values())} 行，"
            f"审计链头第 {self.head_seq} 号事件"
        )


def ganbu_version() -> str:
    """The installed ganbu version, or 「未知」 when run from a checkout that was never installed."""
    try:
        return metadata.version("ganbu")
    except metadata.PackageNotFoundError:
        return "未知"


def audit_key_id() -> str:
    """The audit key's fingerprint, the one ``ganbu audit key`` prints: tells keys apart, reveals nothing.

    Why in the manifest: the key is deliberately not in the backup (whoever holds a backup could
    otherwise forge the chain), so a restore on another machine must bring the same key file.
    """
    try:
        return audit_key_fingerprint()
    except ImproperlyConfigured as exc:
        raise ServiceError(str(exc)) from None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_state(cursor: Any, tables: list[str]) -> DatabaseState:
    """Migrations, row counts and the audit head, read with plain SQL through a DB-API cursor.

    Plain SQL, not the models: after restoring an older backup the schema may lag behind the code.
    """
    migrations: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [(str(app), str(name)) for app, name in cursor.fetchall()]
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # a table name, quoted
        counts[table] = int(cursor.fetchone()[0])
    head_seq, head_hash = 0, GENESIS_HASH
    if AuditChainHead._meta.db_table in tables:
        cursor.execute(f"SELECT seq, hash FROM {_quote(AuditChainHead._meta.db_table)} WHERE id = 1")
        row = cursor.fetchone()
        if row is not None:
            head_seq, head_hash = int(row[0]), str(row[1])
    return DatabaseState(migrations=migrations, row_counts=counts, head_seq=head_seq, head_hash=head_hash)


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [str(r[0]) for r in rows]


def current_state() -> DatabaseState:
    """The configured database's state now (after a restore)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return read_state(cursor, tables)


def known_migrations() -> set[tuple[str, str]]:
    """Every migration this code knows, including those a squashed migration replaces."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: set[tuple[str, str]] = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((str(app), str(name)) for app, name in (migration.replaces or []))
    return known


def unknown_migrations(applied: list[tuple[str, str]], known: set[tuple[str, str]]) -> list[str]:
    """The backup's applied migrations this code does not have: the backup is from newer code."""
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def _pending_migrations() -> bool:
    """Whether the configured database lacks migrations this code has."""
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# ---------------------------------------------------------------------------------------------
# PostgreSQL client tools


PG_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


def pg_tool_version(output: str) -> tuple[int, str] | None:
    """The major version and version text in ``pg_dump --version`` output, e.g. ``(15, "15.20")``."""
    match = PG_VERSION.search(output)
    if match is None:
        return None
    major = int(match.group(1))
    text = match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
    return major, text


def choose_pg_tool(tool: str, server_major: int, found: list[tuple[str, str]]) -> tuple[str, str]:
    """The first candidate ``(path, --version output)`` whose major version is the server's.

    Why the same major version: ``pg_dump`` refuses a newer server, and a dump made by a newer
    ``pg_dump`` may hold SQL an older server does not accept and an archive an older ``pg_restore``
    cannot read. Raises a ``ServiceError`` saying what was found and what to install.
    """
    seen: list[str] = []
    for path, output in found:
        version = pg_tool_version(output)
        if version is None:
            continue
        if version[0] == server_major:
            return path, version[1]
        seen.append(f"{version[1]}（{path}）")
    if not seen:
        raise ServiceError(MSG_TOOL_MISSING.format(tool=tool, major=server_major))
    raise ServiceError(MSG_TOOL_VERSION.format(tool=tool, major=server_major, found="、".join(seen)))


def _pg_candidates(tool: str, server_major: int) -> list[str]:
    bin_dir = os.environ.get("GANBU_PG_BIN", "").strip()
    if bin_dir:
        return [str(Path(bin_dir) / tool)]
    paths = [
        shutil.which(tool),
        f"/usr/lib/postgresql/{server_major}/bin/{tool}",  # Debian, Ubuntu
        f"/usr/pgsql-{server_major}/bin/{tool}",  # RHEL and the PGDG packages
    ]
    return list(dict.fromkeys(p for p in paths if p))


def pg_server_major() -> int:
    """The major version of the configured PostgreSQL server (``150020`` → 15)."""
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def find_pg_tool(tool: str, server_major: int) -> tuple[str, str]:
    """The path and version of ``tool`` matching the server's major version (see :func:`choose_pg_tool`)."""
    found = []
    for path in _pg_candidates(tool, server_major):
        if not os.access(path, os.X_OK):
            continue
        done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        found.append((path, done.stdout))
    return choose_pg_tool(tool, server_major, found)


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for the client tools: the connection settings as ``PG*`` variables.

    The password goes in ``PGPASSWORD``, never on the command line, where ``ps`` shows it to
    every user of the machine.
    """
    env = dict(os.environ)
    mapping = {
        "NAME": "PGDATABASE",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "HOST": "PGHOST",
        "PORT": "PGPORT",
    }
    for key, var in mapping.items():
        value = settings_dict.get(key)
        if value not in (None, ""):
            env[var] = str(value)
    options = settings_dict.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    env["PGAPPNAME"] = "ganbu-backup"
    return env


def _tail(text: str, lines: int = 8) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:]) or "（没有输出）"


# ---------------------------------------------------------------------------------------------
# Backup


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, its size and SHA-256, and its manifest."""

    path: Path
    size: int
    sha256: str
    manifest: Manifest
    audited: bool


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DB_MEMBER:
        raise ServiceError(MSG_ENGINE.format(vendor=vendor))
    return vendor


def default_backup_path(now: dt.datetime) -> Path:
    """``GANBU_DATA_DIR/backups/ganbu-backup-YYYYMMDD-HHMMSS.tar.gz`` (local time)."""
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"ganbu-backup-{stamp}.tar.gz"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path | None:
    """The directory of uploaded files, or ``None`` when uploads are not stored on local disk."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    wrapped = getattr(default_storage, "_wrapped", None)
    if isinstance(wrapped, FileSystemStorage):
        return Path(wrapped.location)
    return None


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files under ``root`` as (POSIX relative path, path); links are not followed."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _dump_sqlite(target: Path) -> tuple[DatabaseState, dict[str, Any]]:
    """Copy the database with SQLite's online backup API, then read its state from the copy.

    The backup API copies a consistent state while the application keeps running (it restarts
    the copy when another connection writes in between; one step copies everything at once).
    """
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy is one self-contained file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        state = read_state(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()
    return state, {"sqlite_version": sqlite3.sqlite_version}


def _dump_postgresql(target: Path) -> tuple[DatabaseState, dict[str, Any]]:
    """``pg_dump --format=custom`` of the snapshot in which the counts and the head are read."""
    server_major = pg_server_major()
    pg_dump, dump_version = find_pg_tool("pg_dump", server_major)
    server_version = f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"  # type: ignore[attr-defined]
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        # The first statement of the transaction: it fixes the snapshot that pg_dump then shares.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        state = read_state(cursor, connection.introspection.table_names(cursor))
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
            env=pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise ServiceError(MSG_PG_DUMP_FAILED.format(detail=_tail(done.stderr)))
    return state, {"server_version": server_version, "pg_dump_version": dump_version}


def _record_backup(*, actor: Any, filename: str) -> bool:
    """Record the backup in the audit trail before copying, so the backup holds its own event.

    Skipped (returns False) when the database lacks migrations of this code, e.g. a backup taken
    before ``ganbu migrate`` during an upgrade: the code's audit model may not fit that schema.
    """
    if _pending_migrations():
        return False
    with transaction.atomic(durable=True):
        head, _ = AuditChainHead.objects.get_or_create(id=1)
        audit_record(
            actor=actor,
            event_type="backup.created",
            target=head,
            after={"filename": filename},
            reason="开始备份数据库和上传的文件",
        )
    return True


def _tar_add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _tar_add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size = stat.st_size
    info.mtime = int(stat.st_mtime)
    info.mode = 0o600
    with path.open("rb") as fh:
        tar.addfile(info, fh)


def backup_create(*, actor: Any, output: Path | None = None) -> BackupResult:
    """Write one backup file of the database and the uploaded files (see the module docstring).

    ``actor`` is ``None`` when run from the server's command line (recorded as 「系统」). The file is
    written under a temporary name and renamed when complete, so a backup that failed half-way
    never has a backup's name; it is readable by its owner only (it holds every personal record).
    """
    vendor = _vendor()
    now = timezone.now()
    path = Path(output) if output is not None else default_backup_path(now)
    if path.is_dir():
        path = path / default_backup_path(now).name
    if path.exists():
        raise ServiceError(MSG_OUTPUT_EXISTS.format(path=path))
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            raise ServiceError(MSG_NOT_MIGRATED)
    if vendor == "postgresql":
        find_pg_tool("pg_dump", pg_server_major())  # refuse before writing anything
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        work = Path(tempfile.mkdtemp(prefix=".ganbu-backup-", dir=path.parent))
    except OSError as exc:
        raise ServiceError(MSG_OUTPUT_DIR.format(path=path.parent, error=exc.strerror or exc)) from None
    partial = path.with_name(path.name + ".partial")
    try:
        audited = _record_backup(actor=actor, filename=path.name)
        db_member = DB_MEMBER[vendor]
        db_file = work / db_member
        state, db_info = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgresql(db_file)
        members: list[tuple[str, Path]] = [(db_member, db_file)]
        media_root = _media_root()
        if media_root is not None:
            members += [(MEDIA_PREFIX + rel, p) for rel, p in _media_files(media_root)]
            media: dict[str, Any] = {"stored": True, "count": len(members) - 1}
        else:
            storage = getattr(default_storage, "_wrapped", default_storage)
            media = {"stored": False, "count": 0, "storage": type(storage).__name__}
        manifest_data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "ganbu_version": ganbu_version(),
            "engine": vendor,
            "database": {"member": db_member, **db_info},
            "migrations": {
                "applied": state.applied_by_app(),
                "latest": state.latest_migrations(),
            },
            "row_counts": state.row_counts,
            "audit_head": {"seq": state.head_seq, "hash": state.head_hash},
            "audit_key_id": audit_key_id(),
            "media": media,
            "files": [
                {"name": name, "sha256": _sha256_file(p), "size": p.stat().st_size} for name, p in members
            ],
        }
        manifest_bytes = json.dumps(manifest_data, ensure_ascii=False, indent=2).encode("utf-8")
        manifest_sum = hashlib.sha256(manifest_bytes).hexdigest()
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as tar:
            _tar_add_bytes(tar, MANIFEST, manifest_bytes, now.timestamp())
            _tar_add_bytes(tar, MANIFEST_SUM, f"{manifest_sum}  {MANIFEST}\n".encode(), now.timestamp())
            for name, member_path in members:
                _tar_add_file(tar, name, member_path)
        os.replace(partial, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    digest = _sha256_file(path)
    sidecar = path.with_name(path.name + ".sha256")
    sidecar.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return BackupResult(
        path=path, size=path.stat().st_size, sha256=digest, manifest=Manifest(manifest_data), audited=audited
    )


# ---------------------------------------------------------------------------------------------
# Restore


@dataclass
class RestoreReport:
    """What a restore did and what it proved."""

    manifest: Manifest
    state: DatabaseState
    count_mismatches: list[tuple[str, int | None, int | None]]
    head_matches: bool
    chain: ChainReport
    migrated: bool
    media_restored: int | None
    media_set_aside: Path | None
    restore_event_seq: int | None
    warnings: list[str] = field(default_factory=list)
    later_warnings: list[str] = field(default_factory=list)
    checkpoints_set_aside: Path | None = None
    checkpoints_dropped: int = 0
    checkpoint_line: str = ""

    @property
    def ok(self) -> bool:
        return not self.count_mismatches and self.head_matches and self.chain.ok


def _copy_checked(source: IO[bytes], target: Path, expected: dict[str, Any], member: str) -> None:
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"] or size != int(expected["size"]):
        raise ServiceError(MSG_MEMBER_SUM.format(member=member))


def _safe_member(name: str) -> bool:
    """A media member's path stays inside the media directory (no absolute path, no ``..``)."""
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and name == pure.as_posix()


def _check_manifest(manifest: Manifest) -> None:
    """Refuse a backup of another format, another engine, or made by newer code (newer migrations)."""
    if manifest.data.get("format") != FORMAT:
        raise ServiceError(MSG_NOT_BACKUP.format(path="该文件", error="清单格式不符"))
    if manifest.data.get("format_version") != FORMAT_VERSION:
        raise ServiceError(
            MSG_FORMAT.format(version=manifest.data.get("format_version"), supported=FORMAT_VERSION)
        )
    vendor = _vendor()
    if manifest.engine != vendor:
        raise ServiceError(
            MSG_ENGINE_MISMATCH.format(
                backup=ENGINE_NAMES.get(manifest.engine, manifest.engine), current=ENGINE_NAMES[vendor]
            )
        )
    recorded_key = manifest.data.get("audit_key_id")
    current_key = audit_key_id()
    if recorded_key and recorded_key != current_key:
        raise ServiceError(
            MSG_KEY_DIFFERS.format(path=settings.AUDIT_KEY_FILE, current=current_key, recorded=recorded_key)
        )
    newer = unknown_migrations(manifest.migrations, known_migrations())
    if newer:
        shown = "、".join(newer[:5]) + ("等" if len(newer) > 5 else "")
        raise ServiceError(MSG_NEWER.format(version=manifest.data.get("ganbu_version"), migrations=shown))


def read_backup(path: Path, work: Path) -> Manifest:
    """Check a backup file and unpack it into ``work``; every refusal says why, in Chinese.

    The checks, in order: the sidecar ``.sha256`` (when present) over the whole file; the
    manifest's own SHA-256; its format, engine and migrations (before unpacking anything large);
    then every member's SHA-256 and size as it is unpacked, no member missing, none unlisted.
    Members are written by this code, not by ``tarfile.extract``, so no path in the archive can
    reach outside ``work``.
    """
    if not path.is_file():
        raise ServiceError(MSG_NO_FILE.format(path=path))
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.is_file():
        recorded = sidecar.read_text(encoding="utf-8", errors="replace").split()
        if not recorded or recorded[0].lower() != _sha256_file(path):
            raise ServiceError(MSG_SIDECAR.format(sidecar=sidecar.name))
    try:
        with tarfile.open(path, mode="r|*") as tar:
            # A stream (the file is read once, front to back): each member is read before the next.
            first = tar.next()
            if first is None or first.name != MANIFEST:
                raise ServiceError(MSG_NOT_BACKUP.format(path=path, error="开头没有备份清单"))
            manifest_bytes = _read_member(tar, first)
            second = tar.next()
            if second is None or second.name != MANIFEST_SUM:
                raise ServiceError(MSG_NOT_BACKUP.format(path=path, error="没有清单的校验和"))
            recorded_sum = _read_member(tar, second).decode("ascii", errors="replace").split()
            if not recorded_sum or hashlib.sha256(manifest_bytes).hexdigest() != recorded_sum[0]:
                raise ServiceError(MSG_MANIFEST_SUM)
            manifest = Manifest(json.loads(manifest_bytes.decode("utf-8")))
            _check_manifest(manifest)
            expected = manifest.files
            seen: set[str] = set()
            while (info := tar.next()) is not None:
                name = info.name
                if name not in expected or name in seen or not info.isfile():
                    raise ServiceError(MSG_MEMBER_EXTRA.format(member=name))
                if name.startswith(MEDIA_PREFIX) and not _safe_member(name[len(MEDIA_PREFIX) :]):
                    raise ServiceError(MSG_MEMBER_EXTRA.format(member=name))
                source = tar.extractfile(info)
                if source is None:
                    raise ServiceError(MSG_MEMBER_EXTRA.format(member=name))
                _copy_checked(source, work / name, expected[name], name)
                seen.add(name)
    except ServiceError:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ServiceError(MSG_NOT_BACKUP.format(path=path, error=type(exc).__name__)) from None
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise ServiceError(MSG_MEMBER_MISSING.format(member=missing[0]))
    return manifest


def _read_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    fh = tar.extractfile(info)
    if fh is None or info.size > 64 * 1024 * 1024:
        raise ServiceError(MSG_NOT_BACKUP.format(path="该文件", error="清单无效"))
    return fh.read()


def _restore_sqlite(database: Path) -> None:
    """Write the backup into the live database with SQLite's backup API, in one step.

    Other connections see the old database or the restored one, never a mix, and the file is
    never replaced underneath them (replacing it would leave a running server writing to the
    unlinked old file and its write-ahead log).
    """
    source = sqlite3.connect(database)
    try:
        connections.close_all()
        connection.ensure_connection()
        target = connection.connection
        source.backup(target)
        if connection.settings_dict["NAME"] not in ("", ":memory:"):
            target.execute("PRAGMA journal_mode=WAL")
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        source.close()
        connections.close_all()


def _check_sqlite(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise ServiceError(MSG_SQLITE_CORRUPT.format(detail=exc)) from None
    finally:
        conn.close()
    if result != ["ok"]:
        raise ServiceError(MSG_SQLITE_CORRUPT.format(detail="；".join(result[:3])))


def _pg_restore_tools(manifest: Manifest) -> tuple[str, str]:
    server_major = pg_server_major()
    pg_restore, restore_version = find_pg_tool("pg_restore", server_major)
    psql, _ = find_pg_tool("psql", server_major)
    dumped = str(manifest.data["database"].get("pg_dump_version", "0"))
    dumped_major = pg_tool_version(f"(PostgreSQL) {dumped}")
    if dumped_major is not None and dumped_major[0] > int(restore_version.split(".")[0]):
        raise ServiceError(
            MSG_RESTORE_TOOL_OLD.format(dumped=dumped, restorer=restore_version, dumped_major=dumped_major[0])
        )
    return pg_restore, psql


def other_connections() -> int:
    """Other sessions connected to the configured PostgreSQL database (a running server, psql …)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _restore_postgresql(archive: Path, manifest: Manifest, tools: tuple[str, str]) -> None:
    """``pg_restore --clean --if-exists --no-owner`` run by ``psql`` in one transaction.

    Tables the database has and the backup has not (made by a later migration) are dropped in
    the same transaction, so the result is exactly the backup: ``ganbu migrate`` can then add
    them again. Any error rolls the whole restore back (``ON_ERROR_STOP`` with
    ``--single-transaction``): the database is either restored or unchanged.
    """
    pg_restore, psql = tools
    with connection.cursor() as cursor:
        extra = sorted(set(connection.introspection.table_names(cursor)) - set(manifest.row_counts))
    connections.close_all()
    env = pg_env(connection.settings_dict)
    drops = "".join(f"DROP TABLE IF EXISTS {_quote(t)} CASCADE;\n" for t in extra) or "SELECT 1;"
    producer = subprocess.Popen(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--file=-", str(archive)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert producer.stdout is not None
    consumer = subprocess.run(
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--command={drops}",
            "--file=-",
            "--output=/dev/null",
        ],
        env=env,
        stdin=producer.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    producer.stdout.close()
    producer_err = producer.stderr.read().decode("utf-8", errors="replace") if producer.stderr else ""
    producer.wait()
    if producer.returncode != 0 or consumer.returncode != 0:
        raise ServiceError(MSG_PG_RESTORE_FAILED.format(detail=_tail(producer_err + "\n" + consumer.stderr)))


def _restore_media(unpacked: Path, manifest: Manifest, stamp: str) -> tuple[int | None, Path | None]:
    """Make the media directory exactly the backup's; the files it held are set aside, not deleted."""
    root = _media_root()
    if root is None or not manifest.media_stored:
        return None, None
    names = [n for n in manifest.files if n.startswith(MEDIA_PREFIX)]
    fresh = root.with_name(f".{root.name}-restore-{stamp}")
    source = unpacked / MEDIA_PREFIX.rstrip("/")
    if source.is_dir():
        shutil.move(str(source), fresh)
    else:
        fresh.mkdir(parents=True)
    aside: Path | None = None
    if root.exists():
        if any(root.iterdir()):
            aside = root.with_name(f"{root.name}.before-restore-{stamp}")
            root.rename(aside)
        else:
            root.rmdir()
    fresh.rename(root)
    return len(names), aside


def _reconcile_checkpoints(head_seq: int, stamp: str) -> tuple[Path | None, int, str]:
    """Set aside the checkpoint file when it records events the restore took away.

    Checkpoints later than the restored head would make every later ``audit verify`` report a
    rollback, which is what the restore is. The file is renamed (kept as evidence of what was
    lost) and the checkpoints up to the restored head are copied into a new file under the
    configured name, so the restored chain is still checked against them. Returns the renamed
    file and the number of checkpoints left behind in it, or ``(None, 0)``; and a warning when the
    file could not be moved (an append-only file): then nothing is changed.
    """
    path = default_checkpoint_file()
    if path is None:
        return None, 0, ""
    try:
        marks = read_checkpoints(path, audit_key())
    except CheckpointError:
        return None, 0, ""  # audit_verify reports the file's problem in its own words
    later = {mark.line for mark in marks if mark.seq > head_seq}
    if not later:
        return None, 0, ""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for number, line in enumerate(lines, start=1) if number not in later]
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    try:
        path.rename(aside)
    except OSError as exc:
        return None, 0, MSG_CHECKPOINTS_STUCK.format(path=path, count=len(later), error=exc.strerror or exc)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in kept))
    return aside, len(later), ""


def _record_restore(*, actor: Any, path: Path, manifest: Manifest) -> int:
    """The restore's own audit event, appended after the restored chain was checked."""
    when = timezone.localtime(manifest.created_at).strftime("%Y-%m-%d %H:%M:%S")
    with transaction.atomic(durable=True):
        head, _ = AuditChainHead.objects.get_or_create(id=1)
        event = audit_record(
            actor=actor,
            event_type="backup.restored",
            target=head,
            after={"filename": path.name},
            reason=f"从 {when} 的备份恢复数据库和上传的文件（备份时审计链头为第 {manifest.head_seq} 号事件）",
        )
    return int(event.seq)


def backup_restore(
    *, actor: Any, path: Path, confirm: Callable[[Manifest, list[str]], bool]
) -> RestoreReport:
    """Check a backup, ask ``confirm``, restore it, then prove it: counts, audit head, chain.

    Nothing is changed until the whole file has been checked and ``confirm(manifest, warnings)``
    returned True. After restoring, the row count of every table and the audit head are compared
    with the manifest (read with plain SQL, before anything else writes); a backup made by older
    code is then migrated; the chain is verified; and the restore is recorded as an audit event.
    """
    vendor = _vendor()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".ganbu-restore-", dir=data_dir))
    try:
        manifest = read_backup(Path(path), work)
        unpacked_db = work / DB_MEMBER[vendor]
        warnings: list[str] = []
        tools: tuple[str, str] | None = None
        if vendor == "sqlite":
            _check_sqlite(unpacked_db)
            warnings.append("请确认 ganbu serve 已停止：恢复后到核对完成前，不应有请求写入数据库。")
        else:
            tools = _pg_restore_tools(manifest)
            others = other_connections()
            if others:
                warnings.append(
                    f"数据库上还有 {others} 个其他连接（ganbu serve 仍在运行？）。"
                    "请先停止 ganbu serve，否则恢复会等待它们的事务，恢复后它们也可能立即写入。"
                )
        if not confirm(manifest, warnings):
            raise ServiceError(MSG_NOT_CONFIRMED)
        if vendor == "sqlite":
            _restore_sqlite(unpacked_db)
        else:
            assert tools is not None
            _restore_postgresql(unpacked_db, manifest, tools)
        stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M%S")
        media_restored, aside = _restore_media(work, manifest, stamp)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    state = current_state()
    expected = manifest.row_counts
    mismatches: list[tuple[str, int | None, int | None]] = [
        (table, expected.get(table), state.row_counts.get(table))
        for table in sorted(set(expected) | set(state.row_counts))
        if expected.get(table) != state.row_counts.get(table)
    ]
    head_matches = (state.head_seq, state.head_hash) == (manifest.head_seq, manifest.head_hash)
    migrated = False
    if _pending_migrations():
        call_command("migrate", database=DEFAULT_DB_ALIAS, interactive=False, verbosity=0)
        migrated = True
    checkpoints_aside, checkpoints_dropped, stuck = _reconcile_checkpoints(state.head_seq, stamp)
    chain = audit_verify(checkpoints=None) if stuck else audit_verify()
    report = RestoreReport(
        manifest=manifest,
        state=state,
        count_mismatches=mismatches,
        head_matches=head_matches,
        chain=chain,
        migrated=migrated,
        media_restored=media_restored,
        media_set_aside=aside,
        restore_event_seq=None,
        warnings=warnings,
        later_warnings=[stuck] if stuck else [],
        checkpoints_set_aside=checkpoints_aside,
        checkpoints_dropped=checkpoints_dropped,
    )
    if report.ok:
        report.restore_event_seq = _record_restore(actor=actor, path=Path(path), manifest=manifest)
        checkpoints = default_checkpoint_file()
        if checkpoints is not None and not stuck:
            # Anchor the restored chain and the restore's own event outside the database at once.
            report.checkpoint_line = audit_checkpoint(checkpoints)
    return report
