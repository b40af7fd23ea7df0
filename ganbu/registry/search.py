"""Name and pinyin search that an index can serve on PostgreSQL and SQLite alike (issue 13).

Two kinds of term (``registry.selectors.cadre_list``):

* Latin letters (``wang``, ``zw``): a prefix of the full pinyin or of the initials. Written as a
  range, ``>= term AND < next``, not ``LIKE 'term%'``: a plain b-tree serves a range on both
  databases and under any collation, because the pinyin columns hold only ``a``–``z`` (where every
  collation sorts alphabetically). ``LIKE`` prefixes are served only under the C collation on
  PostgreSQL, and never on SQLite (Django adds ``ESCAPE``, which turns SQLite's optimisation off).
* Anything else (``王``, ``王小``, ``王小明``): the name contains the term. On PostgreSQL a
  trigram (pg_trgm) GIN index serves ``LIKE '%…%'``, but a trigram needs three characters and
  Chinese names and terms are short: a one-character surname search would read the whole index.
  So the index is on ``Cadre.name_search``, the name with every character written three times
  (王小明 → 王王王小小小明明明), and the term is tripled the same way: 王 becomes 王王王, one
  whole trigram, and a two- or three-character term gives more. Tripling keeps the meaning
  exactly: runs of one character in a tripled name are multiples of three long, so a tripled
  term can only match aligned on the name's characters. SQLite has no trigram index; it scans
  ``name`` with ``LIKE``, which is fast at a county's size, with the same results.

Both searches are case-insensitive for ASCII letters on both databases (SQLite's ``LIKE`` is;
PostgreSQL uses ``ILIKE``, which the trigram index serves too). A name term without cased letters
(the usual Chinese one) is matched with ``LIKE`` on PostgreSQL: no case to ignore, so the same
rows, and the recheck of each candidate skips lower-casing the name.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, F, Func, Q, QuerySet
from django.db.models.lookups import Lookup
from django.db.models.sql.compiler import SQLCompiler

LATIN_LAST = "z"


class Tripled(Func):
    """A text with every character written three times, on PostgreSQL; the text itself elsewhere.

    The expression of ``Cadre.name_search`` (a stored generated column). SQLite has no
    ``regexp_replace`` and no trigram index to feed, so there the column is a plain copy.
    """

    output_field = CharField()
    template = "%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        """``regexp_replace(text, '(.)', '\\1\\1\\1', 'g')``: IMMUTABLE, so a generated column may use it."""
        template = "regexp_replace(%(expressions)s, '(.)', '\\1\\1\\1', 'g')"
        return self.as_sql(compiler, connection, template=template, **extra)


class _Pattern(Lookup):  # type: ignore[type-arg]
    """``lhs <operator> rhs`` with the pattern given whole, tripled and escaped by the caller."""

    operator = "LIKE"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        """The SQL of the comparison."""
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", [*lhs_params, *rhs_params]


class ILike(_Pattern):
    """``lhs ILIKE rhs`` (Django's ``icontains`` writes ``UPPER(x) LIKE``, which no trigram index
    serves)."""

    lookup_name = "ganbu_ilike"
    operator = "ILIKE"


class Like(_Pattern):
    """``lhs LIKE rhs``, case kept (Django's ``contains`` escapes the term itself and, on
    PostgreSQL, casts; this takes the tripled, escaped pattern as it is)."""

    lookup_name = "ganbu_like"
    operator = "LIKE"


def tripled(text: str) -> str:
    """Every character three times, as ``Tripled`` stores it on PostgreSQL."""
    return "".join(ch * 3 for ch in text)


def like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards and escape character escaped (PostgreSQL's default ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_after(term: str) -> str | None:
    """The smallest lower-case Latin string after every string starting with ``term``, or ``None``.

    ``wang`` → ``wanh``; a trailing ``z`` carries (``wz`` → ``x``); ``zz`` has none (every string
    at or after it starts with it, within ``a``–``z``).
    """
    stem = term.rstrip(LATIN_LAST)
    if not stem:
        return None
    return stem[:-1] + chr(ord(stem[-1]) + 1)


def prefix_q(field: str, term: str) -> Q:
    """``field`` starts with the lower-case Latin ``term``, as a range a b-tree index serves."""
    upper = prefix_after(term)
    q = Q(**{f"{field}__gte": term})
    return q & Q(**{f"{field}__lt": upper}) if upper else q


def has_case(term: str) -> bool:
    """Whether ``term`` has a letter with an upper and a lower case (Chinese characters have none)."""
    return term.lower() != term.upper()


def name_contains(qs: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Cadres whose name contains ``term`` (whitespace already removed), index-served on PostgreSQL.

    A term without cased letters (王, 王小明, 50%) is matched with ``LIKE``: the same rows as
    ``ILIKE`` (there is no case to ignore), but the recheck of every candidate row no longer
    lower-cases the name first, which is a quarter of a common surname's search (decision 0016).
    """
    if connections[qs.db].vendor == "postgresql":
        pattern = f"%{like_escaped(tripled(term))}%"
        if has_case(term):
            return qs.filter(ILike(F("name_search"), pattern))
        return qs.filter(Like(F("name_search"), pattern))
    return qs.filter(name__contains=term)
