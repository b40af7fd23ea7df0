"""Writing and verifying the audit trail.

Services call :func:`audit_record` inside their transaction; nothing else writes ``AuditEvent``.

Each event's hash is an HMAC-SHA-256 under the audit key, a file outside the database
(``settings.AUDIT_KEY_FILE``): someone who can write the database but not read that file cannot
recompute the chain after an edit. Signed checkpoints (:func:`audit_checkpoint`), appended to a
file outside the database, record the head from time to time, so that deleting the newest events
and rewinding the head (a rollback) is detected too. A chain written before the key existed is
kept and verified as it was (plain SHA-256) up to an anchor event that the first keyed append
writes. Why, and what this does not defend: ``docs/decisions/0003-audit-chain.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from .middleware import current_request_id
from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64

# The event the first keyed append writes on a chain that has unkeyed (pre-key) events: it records
# the unkeyed head it continues from, and rows before it are verified with plain SHA-256.
ANCHOR_EVENT = "audit.chain_keyed"
ANCHOR_REASON = "审计链自此起用审计密钥签名；此前的事件仍按原来的哈希校验，并由本事件锚定。"

KEY_BYTES = 32
CHECKPOINT_TAG = "ganbu-audit-checkpoint"
CHECKPOINT_VERSION = "v1"

MSG_KEY_MISSING = (
    "审计密钥文件 {path} 不存在。生产环境须事先创建（ganbu audit key --create {path}，"
    "或用环境变量 GANBU_AUDIT_KEY_FILE 指向已有的密钥文件），见 docs/deploy.md。"
)
MSG_KEY_UNREADABLE = "审计密钥文件 {path} 无法读取：{error}。"
MSG_KEY_SHORT = "审计密钥文件 {path} 的内容不是密钥：应为一行至少 64 位十六进制字符（32 字节）。"
MSG_EDITED = "第 {seq} 号事件的内容与其哈希不符：该事件已被改动。"
MSG_REHASHED = (
    "第 {seq} 号事件的哈希不是用审计密钥计算的：该事件在写入后被改动，并被不持有密钥的人重算了哈希。"
)
MSG_FIRST_KEYED = (
    "（这是第一条用审计密钥签名的事件：若此后的事件也都不符，"
    "也可能是本机的审计密钥文件不是写入时所用的那一个。）"
)
MSG_NOT_ANCHORED = (
    "（审计链中没有「审计链启用密钥签名」事件：若本系统刚从未启用密钥的版本升级，"
    "请运行 ganbu migrate 写入它；否则是该事件被删除、此前的事件被重算。）"
)
MSG_CHECKPOINT_MISSING = "检查点文件不存在：{path}。"
MSG_CHECKPOINT_BAD_LINE = "检查点文件第 {line} 行格式不对，无法核对：{text}"
MSG_CHECKPOINT_BAD_MAC = (
    "检查点文件第 {line} 行的签名不符：该行被改动，或不是用本机的审计密钥写的（检查点文件 {path}）。"
)
MSG_CHECKPOINT_ROLLBACK = (
    "检查点（{time}）记录审计链已有 {seq} 条事件，而现在只有 {checked} 条：第 {first} 号及以后的事件被删除"
    "（回滚）。"
)
MSG_CHECKPOINT_MISMATCH = (
    "第 {seq} 号事件的哈希与检查点（{time}）记录的不符：该事件或它之前的事件在检查点之后被改写，"
    "或整条链被替换。"
)


def to_json(value: Any) -> Any:
    """Plain JSON data (dates as ISO strings, Decimals and files as text), as the database returns it.

    Why: the hash is computed over this value before it is stored and over what the database
    returns when verifying, so both must be the same. PostgreSQL ``jsonb`` keeps numbers as
    ``numeric`` and prints them without an exponent and without a sign on zero, so ``1e+20``
    comes back as the integer ``100000000000000000000`` and ``-0.0`` as ``0.0``. Whole-valued
    floats are therefore stored as integers; other floats print back exactly as Python wrote them.
    """
    if value is None:
        return None
    return _whole_floats_as_int(json.loads(json.dumps(value, default=str, ensure_ascii=False)))


def _whole_floats_as_int(value: Any) -> Any:
    """``value`` with every whole-valued float replaced by the integer (see :func:`to_json`)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: _whole_floats_as_int(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_floats_as_int(v) for v in value]
    return value


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids) for before/after snapshots."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        # The database computes a generated column from fields already in the snapshot; reading
        # it after a save would cost a query and add nothing.
        if getattr(field, "generated", False):
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    result: dict[str, Any] = to_json(data)
    return result


# ---------------------------------------------------------------- the audit key


_KEYS: dict[str, bytes] = {}


def create_key_file(path: Path) -> bool:
    """Write a new random key to ``path`` (mode 0600) unless a file is there; whether it wrote one.

    Why a temporary file and a hard link: two processes starting at once must not both write a
    key, nor may one read a half-written file; ``os.link`` fails if the name exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".audit-key-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(KEY_BYTES) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _parse_key(text: str, path: Path) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise ImproperlyConfigured(MSG_KEY_SHORT.format(path=path))
    return key


def audit_key_fingerprint() -> str:
    """A short fingerprint of the audit key: tells keys apart (backups, `ganbu audit key`), shows nothing."""
    return hashlib.sha256(b"ganbu-audit-key-fingerprint|" + audit_key()).hexdigest()[:16]


def audit_key() -> bytes:
    """The HMAC key of the audit chain, read from ``settings.AUDIT_KEY_FILE`` (cached per path).

    In development (``AUDIT_KEY_CREATE``) a missing file is created on first use; in production
    it must exist, else nothing can be audited and therefore nothing written.
    """
    path = Path(settings.AUDIT_KEY_FILE)
    cached = _KEYS.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        if not getattr(settings, "AUDIT_KEY_CREATE", False):
            raise ImproperlyConfigured(MSG_KEY_MISSING.format(path=path))
        create_key_file(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(MSG_KEY_UNREADABLE.format(path=path, error=exc)) from exc
    key = _parse_key(text, path)
    _KEYS[str(path)] = key
    return key


# ---------------------------------------------------------------- hashing and appending


def _digest(fields: dict[str, Any], key: bytes | None) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    if key is None:  # events written before the chain had a key (see ANCHOR_EVENT)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    event_time = event.event_time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {
        "seq": event.seq,
        "event_time": event_time,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "event_type": event.event_type,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "cadre_id": event.cadre_id,
        "unit_id": event.unit_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent, key: bytes | None) -> str:
    """HMAC-SHA-256 under ``key`` over the event's content and its predecessor's hash.

    ``key=None`` gives the plain SHA-256 of events written before the chain had a key.
    """
    return _digest(_hashed_fields(event), key)


def _append(
    head: AuditChainHead, key: bytes, *, actor: Any, target: models.Model, **fields: Any
) -> AuditEvent:
    """Write the next event after ``head`` and move the head (not saved: the caller saves it)."""
    actor_name = "系统"
    if actor is not None:
        actor_name = (getattr(actor, "display_name", "") or actor.get_username())[:150]
    event = AuditEvent(
        seq=head.seq + 1,
        event_time=timezone.now(),
        actor=actor,
        actor_name=actor_name,
        target_type=target._meta.label,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        request_id=current_request_id(),
        prev_hash=head.hash,
        **fields,
    )
    event.hash = event_hash(event, key)
    event.save(force_insert=True)
    head.seq = event.seq
    head.hash = event.hash
    return event


def _key_the_chain(head: AuditChainHead, key: bytes) -> None:
    """Start keying a chain: a new one from its first event, an existing one after an anchor event."""
    if head.seq > 0:
        legacy = {"legacy_head_seq": head.seq, "legacy_head_hash": head.hash}
        _append(
            head, key, actor=None, target=head, event_type=ANCHOR_EVENT, after=legacy, reason=ANCHOR_REASON
        )
        head.keyed_from = head.seq  # the anchor: it and every later event are keyed
    else:
        head.keyed_from = 1  # a new chain: keyed from its first event


def audit_anchor() -> bool:
    """Write the anchor event now if the chain has unkeyed events and none yet; whether it wrote one.

    Run after every ``ganbu migrate`` (``CoreConfig``), so that an upgraded installation is anchored
    at once rather than at its next event: until then its chain could not be told apart from one
    whose anchor was deleted and whose events were re-hashed without the key.
    """
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(id=1).first()
        if head is None or head.keyed_from is not None or head.seq == 0:
            return False
        _key_the_chain(head, audit_key())
        head.save(update_fields=["seq", "hash", "keyed_from"])
        return True


def audit_record(
    *,
    actor: Any,
    event_type: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    cadre_id: int | None = None,
    unit_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the calling service's transaction.

    ``actor`` is the acting user, or ``None`` only for system jobs (the demo loader), which are
    recorded as 「系统」. The first append on a chain of unkeyed events writes the anchor event
    (:data:`ANCHOR_EVENT`) before it.
    """
    key = audit_key()  # before any write: without the key nothing is written
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    if head.keyed_from is None:
        _key_the_chain(head, key)
    event = _append(
        head,
        key,
        actor=actor,
        target=target,
        event_type=event_type,
        cadre_id=cadre_id,
        unit_id=unit_id,
        before=to_json(before),
        after=to_json(after),
        reason=reason,
    )
    head.save(update_fields=["seq", "hash", "keyed_from"])
    return event


# ---------------------------------------------------------------- checkpoints


@dataclass(frozen=True)
class Checkpoint:
    """One signed line of a checkpoint file: the chain had ``seq`` events ending in ``hash`` at ``time``."""

    line: int
    seq: int
    hash: str
    time: str

    @property
    def shown_time(self) -> str:
        """The checkpoint's time in the server's time zone, as an officer reads it."""
        try:
            when = dt.datetime.fromisoformat(self.time)
        except ValueError:
            return self.time
        return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


def _checkpoint_mac(key: bytes, seq: int, head_hash: str, time: str) -> str:
    # A prefix of its own, so that a checkpoint's MAC can never be mistaken for an event's hash.
    message = f"{CHECKPOINT_TAG}|{CHECKPOINT_VERSION}|{seq}|{head_hash}|{time}"
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_line(seq: int, head_hash: str, at: dt.datetime, key: bytes) -> str:
    """The text line of a checkpoint (without the newline)."""
    time = at.astimezone(dt.UTC).isoformat(timespec="seconds")
    mac = _checkpoint_mac(key, seq, head_hash, time)
    return f"{CHECKPOINT_TAG} {CHECKPOINT_VERSION} seq={seq} hash={head_hash} time={time} mac={mac}"


class CheckpointError(Exception):
    """A checkpoint file that cannot be used: missing, malformed or with a forged line."""


def read_checkpoints(path: Path, key: bytes) -> list[Checkpoint]:
    """The checkpoints in ``path``, each signature checked; blank lines and ``#`` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CheckpointError(MSG_CHECKPOINT_MISSING.format(path=path)) from exc
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(" ")
        fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
        try:
            if parts[:2] != [CHECKPOINT_TAG, CHECKPOINT_VERSION] or len(parts) != 6:
                raise ValueError(line)
            seq, head_hash, time, mac = int(fields["seq"]), fields["hash"], fields["time"], fields["mac"]
        except (KeyError, ValueError) as exc:
            raise CheckpointError(MSG_CHECKPOINT_BAD_LINE.format(line=number, text=line[:80])) from exc
        if not hmac.compare_digest(mac, _checkpoint_mac(key, seq, head_hash, time)):
            raise CheckpointError(MSG_CHECKPOINT_BAD_MAC.format(line=number, path=path))
        found.append(Checkpoint(line=number, seq=seq, hash=head_hash, time=time))
    return found


def default_checkpoint_file() -> Path | None:
    """The configured checkpoint file (``settings.AUDIT_CHECKPOINT_FILE``), if there is one yet."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_FILE", None)
    if configured is None:
        return None
    path = Path(configured)
    return path if path.exists() else None


class ChainBrokenError(Exception):
    """Refusal to sign a checkpoint of a chain that does not verify."""

    def __init__(self, report: ChainReport) -> None:
        super().__init__(report.problem.message if report.problem else "")
        self.report = report


def audit_checkpoint(path: Path) -> str:
    """Verify the chain, then append a signed line (seq, head hash, time, HMAC) to ``path``.

    The line is also returned, to be printed (a daily report, a paper log, another machine's
    syslog): the further from this server it is kept, the less an attacker here can undo. The
    chain is verified against the file's earlier checkpoints first; a broken chain is not signed.
    """
    report = audit_verify(checkpoints=path if path.exists() else None)
    if not report.ok:
        raise ChainBrokenError(report)
    line = checkpoint_line(report.head_seq, report.head_hash, timezone.now(), audit_key())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    return line


# ---------------------------------------------------------------- verifying


@dataclass(frozen=True)
class ChainProblem:
    """The first broken link found by :func:`audit_verify`, in words an auditor can act on."""

    seq: int | None
    event_id: int | None
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying the chain: rows and checkpoints checked, and the first problem."""

    checked: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None
    checkpoints: int = 0
    checkpoint_file: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows() -> Iterator[AuditEvent]:
    # Ordered by primary key, the insertion order: a row moved to another seq shows as a break.
    return AuditEvent.objects.order_by("id").iterator(chunk_size=2000)


def _keyed_from() -> int:
    """The first seq verified with the key: after the anchor event if there is one, else 1.

    The anchor is itself keyed: forging one (to declare keyed rows "unkeyed") needs the key, and
    deleting it makes every earlier (unkeyed) row fail as keyed.
    """
    anchor = AuditEvent.objects.filter(event_type=ANCHOR_EVENT).order_by("seq").values("seq").first()
    return int(anchor["seq"]) if anchor else 1


def _row_problem(event: AuditEvent, key: bytes, keyed_from: int) -> ChainProblem | None:
    """Whether the row's hash is the one its content gives (keyed from ``keyed_from`` on)."""
    if event.seq < keyed_from:
        if event_hash(event, None) == event.hash:
            return None
        return ChainProblem(seq=event.seq, event_id=event.pk, message=MSG_EDITED.format(seq=event.seq))
    if hmac.compare_digest(event_hash(event, key), event.hash):
        return None
    if event_hash(event, None) == event.hash:
        msg = MSG_REHASHED.format(seq=event.seq)
        if keyed_from == 1 and event.seq == 1:
            msg += MSG_NOT_ANCHORED
    else:
        msg = MSG_EDITED.format(seq=event.seq)
        if event.seq == keyed_from:
            msg += MSG_FIRST_KEYED
    return ChainProblem(seq=event.seq, event_id=event.pk, message=msg)


class _Configured:
    """The default of :func:`audit_verify`: the configured checkpoint file, if it exists."""


CONFIGURED = _Configured()


def audit_verify(*, checkpoints: Path | _Configured | None = CONFIGURED) -> ChainReport:
    """Walk the chain in insertion order and name the first edited, deleted or reordered row.

    Each row's hash is checked with the audit key (plain SHA-256 before the anchor event), then
    the chain against every checkpoint of ``checkpoints`` (default: the configured checkpoint
    file, if it exists; ``None``: none), then against the head row.
    """
    key = audit_key()
    path = default_checkpoint_file() if isinstance(checkpoints, _Configured) else checkpoints
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    # Only the columns every version has: a chain can be verified before ``ganbu migrate``.
    head = AuditChainHead.objects.filter(id=1).values("seq", "hash").first()
    head_seq = int(head["seq"]) if head else 0
    head_hash = str(head["hash"]) if head else GENESIS_HASH
    marks: list[Checkpoint] = []

    def report(problem: ChainProblem | None) -> ChainReport:
        return ChainReport(
            checked=checked,
            head_seq=head_seq,
            head_hash=head_hash,
            problem=problem,
            checkpoints=len(marks),
            checkpoint_file=str(path or ""),
        )

    if path is not None:
        try:
            marks = read_checkpoints(path, key)
        except CheckpointError as exc:
            return report(ChainProblem(seq=None, event_id=None, message=str(exc)))
    wanted = {mark.seq for mark in marks}
    hashes: dict[int, str] = {0: GENESIS_HASH}
    keyed_from = _keyed_from()
    for event in _rows():
        if event.seq != expected_seq:
            # Name the first seq that cannot be verified in place: the missing or displaced one.
            if event.seq > expected_seq and not AuditEvent.objects.filter(seq=expected_seq).exists():
                gap_end = event.seq - 1
                missing = f"{expected_seq}" if gap_end == expected_seq else f"{expected_seq} 至 {gap_end}"
                msg = f"第 {missing} 号事件缺失（已被删除），断点在第 {event.seq} 号事件之前。"
            else:
                msg = (
                    f"第 {expected_seq} 号事件不在应有的位置：紧随第 {expected_seq - 1} 号事件之后的是"
                    f"第 {event.seq} 号事件，顺序被调换。"
                )
            return report(ChainProblem(seq=expected_seq, event_id=event.pk, message=msg))
        if event.prev_hash != prev_hash:
            msg = (
                f"第 {event.seq} 号事件记录的前一条哈希与第 {event.seq - 1} 号事件不符："
                "链条在此断开（前一条被改动、删除或调换）。"
            )
            return report(ChainProblem(seq=event.seq, event_id=event.pk, message=msg))
        problem = _row_problem(event, key, keyed_from)
        if problem is not None:
            return report(problem)
        if event.seq in wanted:
            hashes[event.seq] = event.hash
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    for mark in marks:
        if mark.seq > checked:
            msg = MSG_CHECKPOINT_ROLLBACK.format(
                time=mark.shown_time, seq=mark.seq, checked=checked, first=checked + 1
            )
            return report(ChainProblem(seq=checked + 1, event_id=None, message=msg))
        if not hmac.compare_digest(hashes[mark.seq], mark.hash):
            msg = MSG_CHECKPOINT_MISMATCH.format(seq=mark.seq, time=mark.shown_time)
            return report(ChainProblem(seq=mark.seq, event_id=None, message=msg))
    if checked < head_seq:
        msg = f"链头记录共 {head_seq} 条事件，实际连续有效 {checked} 条：最后的事件被删除，或链头被改动。"
        return report(ChainProblem(seq=checked + 1, event_id=None, message=msg))
    if checked > head_seq:
        msg = f"链头只记录到第 {head_seq} 号事件，实际连续有效 {checked} 条：链头被改动或删除。"
        return report(ChainProblem(seq=head_seq + 1, event_id=None, message=msg))
    if prev_hash != head_hash:
        # The chain is internally consistent, so the last row was rewritten with a fresh hash.
        msg = f"第 {checked} 号（最后一条）事件的哈希与链头记录不符：最后的事件被改写，或链头被改动。"
        return report(ChainProblem(seq=checked, event_id=None, message=msg))
    return report(None)
