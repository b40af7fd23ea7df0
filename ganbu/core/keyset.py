"""Keyset (cursor) pagination for the web lists and the REST API (decision 0014).

A page is the ``size`` rows after (or before) the sort-key values of a boundary row, so a deep
page costs what the first page costs: an index range scan of ``size + 1`` rows, never an OFFSET
that reads and throws away every row in front of it. The cursor handed to the client is the
boundary row's sort-key values, signed (``django.core.signing``) and bound to the query it came
from; a cursor that was altered, comes from another list or another filter, or outlived the
secret key is refused with ``InvalidCursor`` (the web serves the first page, the API answers 422).

The total is counted once, on the page reached without a cursor, and capped: ``COUNT(*)`` over at
most ``cap + 1`` rows, so its cost is bounded whatever the table size; above the cap the page says
"more than cap". Later pages carry the total in their cursor, so walking a list is one query per
page.

Querysets whose order cannot be expressed as keys (an expression, a to-many path, ``?``) are
still paginated, by OFFSET carried in the same kind of cursor: correct, only not faster.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import F, Field, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

SALT = "ganbu.core.keyset"
DEFAULT_COUNT_CAP = 10_000
# A cursor longer than this is not one of ours (the longest real one is a few hundred characters).
MAX_CURSOR_LENGTH = 2000

# Cursor modes: rows after the key, rows before the key, the last page, rows at an offset.
AFTER, BEFORE, LAST, OFFSET = "a", "b", "l", "o"


class InvalidCursor(ValueError):
    """The cursor is not one this list handed out (altered, from another query, or expired)."""


@dataclass(frozen=True)
class SortKey:
    """One column of the order: the lookup path as given to ``order_by`` and how it sorts."""

    name: str
    descending: bool
    field: Field[Any, Any]
    nullable: bool

    def flipped(self) -> SortKey:
        """The same column sorted the other way (for the previous and the last page)."""
        return SortKey(self.name, not self.descending, self.field, self.nullable)

    @property
    def order(self) -> str:
        """The ``order_by`` argument for this column."""
        return f"-{self.name}" if self.descending else self.name


@dataclass
class Page(Sequence[Any]):
    """One page of rows with the cursors of its neighbours and the list's (possibly capped) total.

    ``number`` is the page's position when known: counted from the start after first/next links,
    from the end (negative) after last/previous links from the end. ``paginator`` mirrors the few
    attributes of Django's ``Page.paginator`` that templates and callers read.
    """

    object_list: list[Any]
    size: int
    total: int
    total_capped: bool
    position: int
    next_cursor: str | None
    previous_cursor: str | None
    last_cursor: str | None

    keyset = True  # lets a template tell this page from a Django ``Page``

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: Any) -> Any:
        return self.object_list[index]

    def has_next(self) -> bool:
        """Whether a next page exists (the query fetched one row more than the page)."""
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        """Whether rows come before this page."""
        return self.previous_cursor is not None

    def has_other_pages(self) -> bool:
        """Whether the pager has anything to link to."""
        return self.has_next() or self.has_previous()

    @property
    def num_pages(self) -> int | None:
        """Pages in the list, when the total is exact (None above the cap)."""
        if self.total_capped:
            return None
        return max(1, -(-self.total // self.size))

    @property
    def number(self) -> int | None:
        """This page's number from the start, when it can be known."""
        if self.position > 0:
            return self.position
        pages = self.num_pages
        return None if pages is None else max(1, pages + self.position + 1)

    @property
    def label(self) -> str:
        """「第 3 / 12 页」, 「第 3 页」 above the cap, 「倒数第 2 页」 counted from the end."""
        number, pages = self.number, self.num_pages
        if number is not None and pages is not None:
            return f"第 {number} / {pages} 页"
        if number is not None:
            return f"第 {number} 页"
        return "末页" if self.position == -1 else f"倒数第 {-self.position} 页"

    @property
    def total_text(self) -> str:
        """The total as shown: 「共 55」 or 「超过 10,000」 (the template adds 条 or 人)."""
        return f"超过 {self.total:,}" if self.total_capped else f"共 {self.total}"

    @property
    def paginator(self) -> _PaginatorView:
        """``count``, ``num_pages`` and ``per_page`` as Django's paginator spells them."""
        return _PaginatorView(self.total, self.num_pages, self.size)


@dataclass(frozen=True)
class _PaginatorView:
    count: int
    num_pages: int | None
    per_page: int


# ---------------------------------------------------------------- the order as keys


def _resolve(qs: QuerySet[Any], name: str) -> tuple[Field[Any, Any], bool, bool] | None:
    """The field a sort path ends on, whether it can be NULL and whether it is unique on the row.

    None for what keys cannot follow: a to-many path, a relation itself (Django then sorts by the
    related model's own order), a transform, an unknown name.
    """
    annotation = qs.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field, True, False
    model: type[Model] = qs.model
    nullable = False
    parts = name.split("__")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not isinstance(field, Field) or field.many_to_many:
            return None
        if field.is_relation:
            if last:
                # ``unit_id`` sorts by the column; ``unit`` by the unit model's order: not a key.
                if part == field.attname:
                    return field, nullable or field.null, False
                return None
            nullable = nullable or field.null
            model = field.related_model  # type: ignore[assignment]
            continue
        if not last:
            return None
        unique = len(parts) == 1 and (field.primary_key or (field.unique and not field.null))
        return field, nullable or field.null, unique
    return None  # pragma: no cover - the loop always returns


def sort_keys(qs: QuerySet[Any]) -> list[SortKey] | None:
    """The queryset's order as keys ending in a unique one (the primary key is appended if need be).

    None when the order is not made of plain columns: the caller falls back to OFFSET.
    """
    query = qs.query
    if query.order_by:
        items: list[Any] = list(query.order_by)
    elif query.default_ordering and qs.model._meta.ordering:
        items = list(qs.model._meta.ordering)
    else:
        items = []
    keys: list[SortKey] = []
    unique = False
    for item in items:
        if isinstance(item, str):
            if item == "?" or "." in item:
                return None
            descending, name = item.startswith("-"), item.lstrip("-+")
        elif (
            isinstance(item, OrderBy)
            and isinstance(item.expression, F)
            and not item.nulls_first
            and not item.nulls_last
        ):
            descending, name = item.descending, item.expression.name
        else:
            return None
        resolved = _resolve(qs, name)
        if resolved is None:
            return None
        field, nullable, unique = resolved
        keys.append(SortKey(name, descending, field, nullable))
        if unique:
            break  # columns after a unique one never decide anything
    if not unique:
        pk = qs.model._meta.pk
        assert pk is not None
        keys.append(SortKey("pk", keys[-1].descending if keys else False, pk, False))
    return keys


def _value(row: Any, name: str) -> Any:
    """A row's value for a sort path (``unit__path`` follows the joined unit)."""
    if isinstance(row, dict):
        return row[name]
    value = row
    for part in name.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _dump(value: Any) -> Any:
    """A sort value as JSON: dates and times in ISO 8601, decimals and uuids as text."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _load(key: SortKey, value: Any) -> Any:
    """A sort value back from JSON, through the field's own conversion."""
    if value is None:
        return None
    field = getattr(key.field, "output_field", None) or key.field
    try:
        return field.to_python(value)
    except Exception as exc:  # any conversion failure is a bad cursor, never a 500
        raise InvalidCursor(str(exc)) from exc


_NOTHING = object()


def _beyond(key: SortKey, value: Any, nulls_largest: bool) -> Q | object:
    """Rows strictly after ``value`` in this column's order; NULLs placed as the backend sorts them."""
    name = key.name
    # Ascending: greater values come after, and NULLs too where the backend sorts them largest.
    greater = not key.descending
    nulls_after = nulls_largest if greater else not nulls_largest
    if value is None:
        return Q(**{f"{name}__isnull": False}) if not nulls_after else _NOTHING
    condition = Q(**{f"{name}__{'gt' if greater else 'lt'}": value})
    if key.nullable and nulls_after:
        condition |= Q(**{f"{name}__isnull": True})
    return condition


def _equal(key: SortKey, value: Any) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def after(keys: list[SortKey], values: list[Any], *, using: str = "default") -> Q:
    """The condition for rows strictly after ``values`` in the order of ``keys``.

    ``(a > x) OR (a = x AND b > y) OR …`` with a redundant leading ``a >= x`` so the database can
    start an index range scan at the boundary instead of filtering from the first row.
    """
    nulls_largest = connections[using].features.nulls_order_largest
    condition: Q | None = None
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = _beyond(key, value, nulls_largest)
        if isinstance(beyond, Q):
            clause = prefix & beyond
            condition = clause if condition is None else condition | clause
        prefix &= _equal(key, value)
    if condition is None:
        return Q(pk__in=[])
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        condition = Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": value}) & condition
    return condition


# ---------------------------------------------------------------- cursors


def _fingerprint(qs: QuerySet[Any], identity: str | None = None) -> str:
    """A short digest of the list (filters, scope and order): a cursor only fits its own list.

    With ``identity`` — the caller's statement of everything the queryset was built from (the API:
    path, query parameters and user) — the digest is of that, the model and the order, and costs
    microseconds. Without it the query is compiled to SQL and the SQL and its parameters digested
    (3–10 ms for a scoped list, on every page), which needs no promise from the caller.
    """
    if identity is not None:
        query = qs.query
        order = (query.order_by, query.default_ordering, query.standard_ordering)
        text = f"id|{qs.model._meta.label}|{order!r}|{identity}"
    else:
        try:
            sql, params = qs.query.sql_with_params()
            text = f"{sql}|{params!r}"
        except EmptyResultSet:
            text = f"empty|{qs.model._meta.label}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=".")


def _encode(payload: dict[str, Any]) -> str:
    return _signer().sign_object(payload, compress=True)


def _decode(cursor: str, fingerprint: str) -> dict[str, Any]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("too long")
    try:
        payload = _signer().unsign_object(cursor)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InvalidCursor(str(exc)) from exc
    if not isinstance(payload, dict) or payload.get("f") != fingerprint:
        raise InvalidCursor("another list")
    if payload.get("m") not in (AFTER, BEFORE, LAST, OFFSET):
        raise InvalidCursor("mode")
    if not isinstance(payload.get("t"), int) or not isinstance(payload.get("n"), int):
        raise InvalidCursor("total")
    return payload


def count_capped(qs: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """``(count, False)`` up to ``cap`` rows, else ``(cap, True)``: ``COUNT(*)`` of a LIMIT subquery.

    The subquery selects only the primary key: a sliced count keeps the select list, so the
    annotations of a list (``vacant_posts``' correlated subqueries) would otherwise be computed for
    every one of the ``cap + 1`` rows only to be counted. Filters on annotations still apply (the
    WHERE/HAVING hold the expressions, not the select list's aliases). Lists whose rows are not model
    rows (``values()``, ``distinct()``, a union) are counted as they are: there the select list is
    what makes rows distinct.
    """
    counted = qs.order_by()
    query = counted.query
    if counted._fields is None and not query.distinct and not query.combinator:  # type: ignore[attr-defined]
        counted = counted.values("pk")
    found = counted[: cap + 1].count()
    return (cap, True) if found > cap else (found, False)


# ---------------------------------------------------------------- the page


@dataclass
class _Walk:
    """What building a page needs besides the rows: the list's identity, order, total and size."""

    qs: QuerySet[Any]
    keys: list[SortKey] | None
    fingerprint: str
    size: int
    total: int
    capped: bool

    def cursor(self, mode: str, position: int, values: Any = None) -> str:
        payload = {"f": self.fingerprint, "m": mode, "n": position, "t": self.total, "c": int(self.capped)}
        if values is not None:
            payload["v"] = values
        return _encode(payload)

    def key_of(self, row: Any) -> list[Any]:
        assert self.keys is not None
        return [_dump(_value(row, k.name)) for k in self.keys]

    def ordered(self, *, reverse: bool = False) -> QuerySet[Any]:
        if self.keys is None:
            return self.qs.reverse() if reverse else self.qs
        keys = [k.flipped() for k in self.keys] if reverse else self.keys
        return self.qs.order_by(*(k.order for k in keys))

    def page(self, rows: list[Any], position: int, *, more_before: bool, more_after: bool) -> Page:
        """The page of ``rows`` (in list order) with the cursors of its neighbours."""
        if self.keys is None:
            raise AssertionError("keyset page without keys")  # pragma: no cover
        next_cursor = previous_cursor = None
        if more_after and rows:
            # Counting from the end, the page after the second-to-last is the last (-1), never 0.
            next_position = position + 1 if position != -1 else -1
            next_cursor = self.cursor(AFTER, next_position, self.key_of(rows[-1]))
        if more_before and rows:
            previous_cursor = self.cursor(BEFORE, position - 1, self.key_of(rows[0]))
        last_cursor = self.cursor(LAST, -1) if more_after else None
        return Page(
            rows, self.size, self.total, self.capped, position, next_cursor, previous_cursor, last_cursor
        )


def paginate(
    qs: QuerySet[Any],
    *,
    size: int,
    cursor: str | None = None,
    page_number: int | None = None,
    offset: int | None = None,
    cap: int | None = None,
    identity: str | None = None,
) -> Page:
    """One page of ``qs`` in its own order.

    ``cursor`` (from a previous page) wins; else ``page_number`` (1-based, the ``?page=N`` of old
    links) or ``offset`` (the API's deprecated ``offset``) read by OFFSET; else the first page.
    Raises ``InvalidCursor`` for a cursor this list did not hand out. Two queries without a
    cursor (the page, the capped count), one with it. ``identity``, when given, must name
    everything ``qs`` was built from (filters, scope, order): the cursor is bound to it instead of
    to the compiled SQL (``_fingerprint``).
    """
    if size < 1:
        raise ValueError("size must be positive")
    cap = cap if cap is not None else getattr(settings, "GANBU_COUNT_CAP", DEFAULT_COUNT_CAP)
    keys = sort_keys(qs)
    fingerprint = _fingerprint(qs, identity)
    payload = _decode(cursor, fingerprint) if cursor else None
    if payload is None:
        total, capped = count_capped(qs, cap)
    else:
        total, capped = payload["t"], bool(payload.get("c"))
    walk = _Walk(qs, keys, fingerprint, size, total, capped)
    if payload is None and page_number is not None and page_number > 1:
        offset = (page_number - 1) * size
    if payload is None and offset:
        return _at_offset(walk, offset)
    if payload is None:
        return _first(walk)
    mode, position = payload["m"], payload["n"]
    if mode == LAST:
        return _last(walk)
    if mode == OFFSET or keys is None:
        if mode != OFFSET or not isinstance(payload.get("o"), int) or payload["o"] < 0:
            raise InvalidCursor("offset")
        return _at_offset(walk, payload["o"]) if payload["o"] else _first(walk)
    raw = payload.get("v")
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise InvalidCursor("key")
    values = [_load(k, v) for k, v in zip(keys, raw, strict=True)]
    if mode == AFTER:
        rows = list(walk.ordered().filter(after(keys, values, using=qs.db))[: size + 1])
        if not rows:  # the rows after it were deleted meanwhile: the end of the list is what is left
            return _last(walk)
        return walk.page(rows[:size], position, more_before=True, more_after=len(rows) > size)
    flipped = [k.flipped() for k in keys]
    rows = list(walk.ordered(reverse=True).filter(after(flipped, values, using=qs.db))[: size + 1])
    if not rows:
        return _first(walk)
    more_before = len(rows) > size
    if position == 0 or (not more_before and position > 0):
        position = 1  # the start of the list, however many rows were inserted before it meanwhile
    return walk.page(list(reversed(rows[:size])), position, more_before=more_before, more_after=True)


def _first(walk: _Walk) -> Page:
    rows = list(walk.ordered()[: walk.size + 1])
    if walk.keys is None:
        return _offset_page(walk, rows, 0)
    return walk.page(rows[: walk.size], 1, more_before=False, more_after=len(rows) > walk.size)


def _last(walk: _Walk) -> Page:
    rows = list(walk.ordered(reverse=True)[: walk.size + 1])
    more_before = len(rows) > walk.size
    rows = list(reversed(rows[: walk.size]))
    if walk.keys is None:
        # Without keys the last page is read from the end; its offset from the start is the total's.
        start = max(0, walk.total - len(rows)) if not walk.capped else None
        return _offset_page(walk, rows, start, from_end=True, more_before=more_before)
    return walk.page(rows, -1 if more_before else 1, more_before=more_before, more_after=False)


def _at_offset(walk: _Walk, offset: int) -> Page:
    rows = list(walk.ordered()[offset : offset + walk.size + 1])
    if not rows:
        return _last(walk)  # past the end, as Django's ``get_page`` does
    position = offset // walk.size + 1
    if walk.keys is None:
        return _offset_page(walk, rows, offset)
    return walk.page(rows[: walk.size], position, more_before=offset > 0, more_after=len(rows) > walk.size)


def _offset_page(
    walk: _Walk, rows: list[Any], offset: int | None, *, from_end: bool = False, more_before: bool = False
) -> Page:
    """A page of a list without keys: the cursors carry offsets."""
    size = walk.size
    if from_end:
        start = offset
        has_next = False
        has_previous = more_before
    else:
        start = offset
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = bool(offset)
    position = (start // size + 1) if start is not None else -1
    next_cursor = previous_cursor = None
    if has_next and start is not None:
        next_cursor = _offset_cursor(walk, start + size, position + 1)
    if has_previous and start is not None:
        previous_cursor = _offset_cursor(walk, max(0, start - size), max(1, position - 1))
    elif has_previous:
        # Above the cap the last page's offset is unknown; "previous" restarts from the first page.
        previous_cursor = _offset_cursor(walk, 0, 1)
    last_cursor = walk.cursor(LAST, -1) if has_next else None
    return Page(rows, size, walk.total, walk.capped, position, next_cursor, previous_cursor, last_cursor)


def _offset_cursor(walk: _Walk, offset: int, position: int) -> str:
    payload = {
        "f": walk.fingerprint,
        "m": OFFSET,
        "n": position,
        "t": walk.total,
        "c": int(walk.capped),
        "o": offset,
    }
    return _encode(payload)
