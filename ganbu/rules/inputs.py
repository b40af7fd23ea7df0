"""Checks of the values handed to a rule function: refuse nonsense before it becomes a wrong answer.

Why a module of its own: a rule that silently accepts ``members=True`` (Python's ``True`` is the
integer 1), ``7.5`` members, a negative 离岗退养 age (a retirement date before birth) or a float
threshold (``0.3`` is not three tenths) gives an answer that looks right and is not. Every public
rule function of retirement, exits, probation, tally, tenure, dates, eligibility and avoidance
checks its arguments with these helpers, so the refusals read alike:

- counts and years are ``int`` and never ``bool``; most must be non-negative;
- shares, ratios and thresholds are exact — ``int``, ``Decimal`` or ``Fraction``, never ``float`` —
  and lie in their range;
- dates are ``datetime.date`` and not ``datetime.datetime`` (a timestamp compared with a date
  raises, or silently shifts a boundary by its time of day).

Errors are :class:`RuleInputError` (a ``ValueError``) for a value out of range and
:class:`RuleTypeError` (both ``ValueError`` and ``TypeError``) for a value of the wrong kind, each
with a Chinese message naming the parameter in words, so that a service catching ``ValueError``
can show it to an officer as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

Exact = int | Decimal | Fraction
"""An exact number as the rules accept it (``bool`` and ``float`` excluded)."""


class RuleInputError(ValueError):
    """A value handed to a rule is out of its range (a negative count, a share above 1 …)."""


class RuleTypeError(RuleInputError, TypeError):
    """A value handed to a rule is of the wrong kind (``True`` for a count, ``0.3`` for a share …).

    Also a ``ValueError``, so callers that already turn ``ValueError`` into a form error keep working.
    """


def _shown(value: object) -> str:
    """The value as an officer would read it in the message."""
    if value is True:
        return "“是”（布尔值）"
    if value is False:
        return "“否”（布尔值）"
    return repr(value) if isinstance(value, str) else str(value)


def whole(value: object, label: str, *, minimum: int | None = 0, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in [minimum, maximum]; ``bool``, floats and strings are refused.

    ``minimum=None`` allows any negative number (e.g. an age offset counted backwards).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleTypeError(f"{label}必须是整数，实际为 {_shown(value)}。")
    if minimum is not None and value < minimum:
        raise RuleInputError(f"{label}不能小于 {minimum}，实际为 {value}。")
    if maximum is not None and value > maximum:
        raise RuleInputError(f"{label}不能大于 {maximum}，实际为 {value}。")
    return value


def optional_whole(
    value: object, label: str, *, minimum: int | None = 0, maximum: int | None = None
) -> int | None:
    """Like :func:`whole`, but ``None`` (not given) passes through."""
    return None if value is None else whole(value, label, minimum=minimum, maximum=maximum)


def exact(
    value: object,
    label: str,
    *,
    minimum: Fraction | None = Fraction(0),
    maximum: Fraction | None = None,
) -> Fraction:
    """``value`` (``int``, finite ``Decimal`` or ``Fraction``) as a ``Fraction`` in [minimum, maximum].

    Floats are refused: ``0.3`` is not three tenths, and a threshold must compare exactly.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        kind = f"{value}（浮点数）" if isinstance(value, float) else _shown(value)
        raise RuleTypeError(f"{label}必须是精确数值（整数、分数或十进制数，不能是浮点数），实际为 {kind}。")
    if isinstance(value, Decimal) and not value.is_finite():
        raise RuleInputError(f"{label}必须是有限数值，实际为 {value}。")
    result = Fraction(value)
    if minimum is not None and result < minimum:
        raise RuleInputError(f"{label}不能小于 {minimum}，实际为 {result}。")
    if maximum is not None and result > maximum:
        raise RuleInputError(f"{label}不能大于 {maximum}，实际为 {result}。")
    return result


def share(value: object, label: str) -> Fraction:
    """A share or threshold: an exact number between 0 and 1 inclusive (see :func:`exact`)."""
    return exact(value, label, minimum=Fraction(0), maximum=Fraction(1))


def day(value: object, label: str) -> dt.date:
    """``value`` if it is a ``datetime.date`` (and not a ``datetime.datetime``)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RuleTypeError(f"{label}必须是日期，实际为 {_shown(value)}。")
    return value


def optional_day(value: object, label: str) -> dt.date | None:
    """Like :func:`day`, but ``None`` (not recorded) passes through."""
    return None if value is None else day(value, label)


def flag(value: object, label: str) -> bool:
    """``value`` if it is a ``bool`` (``1`` or ``"否"`` is refused: a truthy string is not a yes)."""
    if not isinstance(value, bool):
        raise RuleTypeError(f"{label}必须是“是”或“否”，实际为 {_shown(value)}。")
    return value


def text(value: object, label: str) -> str:
    """``value`` if it is a ``str``."""
    if not isinstance(value, str):
        raise RuleTypeError(f"{label}必须是文字，实际为 {_shown(value)}。")
    return value
