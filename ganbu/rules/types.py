"""Shared result types for rules: a verdict that explains itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    """Why a check failed: which rule, which article, which fact.

    ``rule`` is a stable identifier (used by tests and the UI), ``citation`` the regulation and
    article, ``message`` the Chinese sentence shown to the user naming the failing fact.
    """

    rule: str
    citation: str
    message: str


@dataclass(frozen=True)
class Verdict:
    """The outcome of a rule check: ``ok`` and, when not ok, the reasons."""

    ok: bool
    reasons: tuple[Reason, ...] = field(default=())

    @classmethod
    def passed(cls) -> Verdict:
        """A verdict with no objection."""
        return cls(ok=True)

    @classmethod
    def failed(cls, *reasons: Reason) -> Verdict:
        """A verdict blocked by one or more reasons."""
        return cls(ok=False, reasons=tuple(reasons))
