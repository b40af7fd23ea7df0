"""The registry of job kinds: what the worker runs for a job, by its ``kind``.

A kind is registered from a module named ``job_kinds`` in any installed app, or from any module that
such a module imports; those modules are imported the first time a kind is looked up (``autodiscover``),
not at start-up, so that commands which never touch a job do not load openpyxl and the readers::

    from ganbu.jobs.kinds import Kind, register

    register(Kind(name="cadres", label="干部信息导入", apply=apply_cadres, preview=preview_cadres,
                  capability=Cap.REGISTRY_EDIT))

``preview(job, tracker)`` (optional) reads ``job.data`` and ``job.params``, writes nothing, and returns
JSON (stored in ``job.preview``; the job then waits at ``previewed`` for its uploader's confirmation).
``apply(job, tracker)`` writes — reading ``job.choices``, the confirmation's choices — and returns the
number of items imported; it may hand a JSON report to ``tracker.report(...)`` (stored in
``job.result``). Either raises ``ServiceError`` to refuse the file with Chinese messages (the job is
``failed``, nothing written). docs/decisions/0013-import-jobs.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from ganbu.accounts.models import User

    from .models import ImportJob
    from .progress import Tracker

MSG_INTERRUPTED = "处理中断（服务器在处理中停止或重启），没有写入任何内容，请重试。"
MSG_NOT_STARTED = (
    "后台处理程序没有开始处理这次导入（可能没有运行），没有写入任何内容。"
    "请重试；仍不开始的，请联系系统管理员。"
)
MSG_INTERNAL = "导入时发生内部错误，没有写入任何内容，请联系系统管理员。"
MSG_UNKNOWN_KIND = "这类导入已不再提供，没有写入任何内容。"


@dataclass(frozen=True)
class Kind:
    """One kind of import: its steps, who may run it, and its messages.

    ``capability`` is the ``Cap`` a user needs to see the kind's jobs at all (the generic pages
    check it; the kind's own pages check their own scope). ``page`` gives a job's own page (its
    progress, preview or report), for the list of a user's recent imports. ``clean_choices`` checks
    what the user chose on the preview page against the stored preview and returns what ``apply``
    reads (a ``ServiceError`` refuses the confirmation). ``before_retry`` may refuse a retry or audit it.
    """

    name: str
    label: str
    apply: Callable[[ImportJob, Tracker], int]
    preview: Callable[[ImportJob, Tracker], Any] | None = None
    clean_choices: Callable[[ImportJob, dict[str, Any]], dict[str, Any]] | None = None
    before_retry: Callable[[ImportJob, User], None] | None = None
    capability: str | None = None
    page: Callable[[ImportJob], str] | None = None
    interrupted_message: str = MSG_INTERRUPTED
    not_started_message: str = MSG_NOT_STARTED
    internal_message: str = MSG_INTERNAL


_KINDS: dict[str, Kind] = {}
_discovered = False


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry (registering the same name again replaces it: module reloads)."""
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    """The kind registered as ``name``, or ``None``."""
    autodiscover()
    return _KINDS.get(name)


def all_kinds() -> list[Kind]:
    """Every registered kind."""
    autodiscover()
    return list(_KINDS.values())


def interrupted_message(name: str) -> str:
    """What an interrupted job of kind ``name`` says."""
    kind = get(name)
    return kind.interrupted_message if kind is not None else MSG_INTERRUPTED


def autodiscover() -> None:
    """Import ``job_kinds`` of every installed app (each registers its kinds), once."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("job_kinds")
