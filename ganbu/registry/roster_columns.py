"""The columns a roster (花名册) export can have: every field of a cadre an officer asks for, plus the
computed ones (年龄, 任现职时间, 任现职级时间, 后备层次, 近三年年度考核), each defined once.

A column has a key (stored in saved column sets and in the query string ``col=``), its Chinese
header, what it reads from the database and an Excel number format. What it reads are plain values
(``values_list``: no model instance per cadre), most of them already the cell's text: a choice's
label and 是/否 are ``CASE`` expressions, the unit's name a join, the rows in force on the export's
date (任现职时间 …) a subquery each. Only what needs a rule (年龄, 入党时间) is computed in Python,
and 近三年年度考核 is looked up with one query per chunk of cadres, never one query per cadre.
身份证号 is offered only to roles that see ID numbers on the record page (``Cap.SENSITIVE_ID``).

``write_export`` writes the export of any cadre queryset to a file (.xlsx or .csv) and is what
the web page streams and the benchmark times; ``roster_copy_sql`` is the same query as SQL, for
comparing with PostgreSQL's own ``COPY``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import IO, Any

from django.contrib.postgres.aggregates import StringAgg
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from ganbu.core import pg_export
from ganbu.core.access import Cap, has_cap
from ganbu.rules.dates import age_on

from .choices import PoliticalStatus
from .models import Assessment, Cadre, RankRecord, ReserveMembership, Tenure

MONTH = "yyyy.mm"
DAY = "yyyy-mm-dd"
TEXT = "@"
ASSESSMENT_YEARS = 3
CHUNK_SIZE = 2000
"""Rows fetched from the database at a time (a server-side cursor on PostgreSQL)."""

Source = str | Callable[[dt.date], Any]
"""A value a column reads from the database: a field path (``unit__name``) or an expression built
for the export's reference date."""


@dataclass(frozen=True)
class RosterColumn:
    """One column of the roster export.

    ``reads``: the database values it needs. ``compute``: the cell from those values and the
    reference date (none: the single value is the cell). ``lookup``: cells looked up for a chunk
    of cadres at once, by cadre id (for what would otherwise be a query per cadre). ``sql``: the cell
    as one expression, used on PostgreSQL instead of ``compute`` and ``lookup`` so that the rows come
    from the database ready (``roster_rows``) and the CSV and the sheet's XML are written by
    ``COPY`` (``export_stream``); it must give what ``compute``/``lookup`` give (tested). ``joined``
    (PostgreSQL): the cells as a table of (cadre_id, value) computed once for the cadres exported and
    joined (``_pg_sql``), with the SQL of the value of a cadre it has no row for; it replaces a
    subquery run once per cadre.
    """

    key: str
    header: str
    reads: tuple[Source, ...] = ()
    number_format: str | None = None
    compute: Callable[[Sequence[Any], dt.date], Any] | None = None
    lookup: Callable[[Sequence[int], dt.date], dict[int, Any]] | None = None
    capability: Cap | None = None
    group: str = "基本信息"
    sql: Callable[[dt.date], Any] | None = None
    joined: Callable[[QuerySet[Cadre], dt.date], tuple[QuerySet[Any], str]] | None = None
    notes: str = field(default="", compare=False)


def _labels(model: Any, name: str) -> dict[Any, str]:
    """Code → label of a choice field of ``model``."""
    return {code: str(label) for code, label in model._meta.get_field(name).flatchoices}


def _label(name: str) -> Callable[[dt.date], Any]:
    """The label of a choice field, read as such: a ``CASE`` over its choices (a code the choices
    do not know shows as it is stored, an empty one as empty, like ``get_FOO_display``)."""
    choices = [(code, label) for code, label in _labels(Cadre, name).items() if code]

    def expression(on: dt.date) -> Any:
        whens = [When(**{name: code}, then=Value(label)) for code, label in choices]
        return Case(*whens, default=F(name), output_field=CharField())

    return expression


def _yes_no(name: str) -> Callable[[dt.date], Any]:
    """是 / 否 for a flag."""

    def expression(on: dt.date) -> Any:
        return Case(When(**{name: True}, then=Value("是")), default=Value("否"), output_field=CharField())

    return expression


def _age(values: Sequence[Any], on: dt.date) -> int | None:
    """年龄: full years on the reference date (none for a birth after it)."""
    return _age_of(values[0], on)


@functools.lru_cache(maxsize=65536)
def _age_of(birth: dt.date, on: dt.date) -> int | None:
    # Cached: half a million cadres have some twenty thousand birth dates; the rule checks its
    # inputs on every call, which made the age a tenth of the export's time.
    try:
        return age_on(birth, on)
    except ValueError:
        return None


_PARTY_TEXT = Cadre.party_text.fget  # type: ignore[attr-defined]
_POLITICAL_LABELS = {
    code: str(label) for code, label in Cadre._meta.get_field("political_status").flatchoices
}


def _party_join(values: Sequence[Any], on: dt.date) -> str:
    """入党时间 as the record shows it (``Cadre.party_text``, the one definition), from the three
    values it depends on rather than from a model instance."""
    status, joined, party = values
    record = SimpleNamespace(
        political_status=status,
        party_join_date=joined,
        democratic_party=party,
        get_political_status_display=lambda: _POLITICAL_LABELS.get(status, status),
    )
    return str(_PARTY_TEXT(record))


def _age_sql(on: dt.date) -> Any:
    """年龄 in SQL: as ``age_on`` (a 29 February birthday, compared as 0229 with a common year's
    date, is reached on 1 March as the rule has it), none for a birth after ``on``."""
    birth = "%(expressions)s"
    template = (
        f"CASE WHEN {birth} > DATE '{on.isoformat()}' THEN NULL "
        f"ELSE {on.year} - CAST(EXTRACT(YEAR FROM {birth}) AS integer) - CASE WHEN "
        f"CAST(EXTRACT(MONTH FROM {birth}) AS integer) * 100 + CAST(EXTRACT(DAY FROM {birth}) AS integer)"
        f" > {on.month * 100 + on.day} THEN 1 ELSE 0 END END"
    )
    return Func(F("birth_date"), template=template, output_field=IntegerField())


def _month_sql(name: str) -> Any:
    """A date as ``format_month`` writes it (``YYYY.MM``; empty when none)."""
    month = Func(F(name), Value("YYYY.MM"), function="to_char", output_field=CharField())
    return Coalesce(month, Value(""), output_field=CharField())


def _party_join_sql(on: dt.date) -> Any:
    """入党时间 in SQL, as ``Cadre.party_text``."""
    communist = [PoliticalStatus.CPC, PoliticalStatus.CPC_PROBATIONARY]
    month = _month_sql("party_join_date")
    return Case(
        When(political_status__in=communist, democratic_party="", then=month),
        When(
            political_status__in=communist,
            then=Concat(month, Value("；"), F("democratic_party"), output_field=CharField()),
        ),
        When(political_status=PoliticalStatus.DEMOCRATIC_PARTY, then=F("democratic_party")),
        default=_label("political_status")(on),
        output_field=CharField(),
    )


def _in_force(model: Any, value: str, on: dt.date) -> Subquery:
    """``value`` of the cadre's ``model`` row in force on ``on`` (started by then, not yet ended;
    the latest if several), as one subquery of the export's query: no query per cadre."""
    current = (
        model.objects.filter(cadre=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date", "-pk")
        .values(value)[:1]
    )
    return Subquery(current)


def _in_force_rows(model: Any, value: Any, cadres: QuerySet[Cadre], on: dt.date) -> QuerySet[Any]:
    """``_in_force`` for every cadre exported at once: one row per cadre (``DISTINCT ON``, the same
    choice of row), to be joined. Measured at 100,000 cadres: 任现职时间 as a subquery per cadre added
    0.3–0.6 s to the export's query, as a join 0.2 s."""
    rows: QuerySet[Any] = (
        model.objects.filter(cadre__in=cadres.order_by().values("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("cadre_id", "-start_date", "-pk")
        .distinct("cadre_id")
        .values("cadre_id", value=value)
    )
    return rows


def _current_tenure_start(on: dt.date) -> Subquery:
    """任现职时间: the start of the latest current tenure."""
    return _in_force(Tenure, "start_date", on)


def _current_rank_start(on: dt.date) -> Subquery:
    """任现职级时间: the start of the rank record in force on ``on``."""
    return _in_force(RankRecord, "start_date", on)


def _reserve_level(on: dt.date) -> Subquery:
    """后备层次: the level of the membership in the reserve pool in force on ``on``."""
    return _in_force(ReserveMembership, "level", on)


_RESERVE_LABELS = _labels(ReserveMembership, "level")
_GRADE_LABELS = _labels(Assessment, "grade")


def _code_label(name: str, labels: dict[Any, str], default: Any) -> Any:
    """A ``CASE`` giving the label of the code in ``name`` (``default`` for a code not in ``labels``)."""
    whens = [When(**{name: code}, then=Value(label)) for code, label in labels.items()]
    return Case(*whens, default=default, output_field=CharField())


def _reserve_level_sql(on: dt.date) -> Any:
    """后备层次 in SQL: the label of the level in force (empty when none)."""
    current = (
        ReserveMembership.objects.filter(cadre=OuterRef("pk"), start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .order_by("-start_date")
        .annotate(label=_code_label("level", _RESERVE_LABELS, Value("")))
        .values("label")[:1]
    )
    return Coalesce(Subquery(current), Value(""), output_field=CharField())


def _reserve_rows(cadres: QuerySet[Cadre], on: dt.date) -> tuple[QuerySet[Any], str]:
    label = _code_label("level", _RESERVE_LABELS, Value(""))
    return _in_force_rows(ReserveMembership, label, cadres, on), "''"


def _assessment_text() -> Any:
    return Concat(
        Cast("year", CharField()),
        Value("年"),
        _code_label("grade", _GRADE_LABELS, F("grade")),
        output_field=CharField(),
    )


def _assessment_rows(cadres: QuerySet[Cadre], on: dt.date) -> tuple[QuerySet[Any], str]:
    rows = (
        Assessment.objects.filter(
            cadre__in=cadres.order_by().values("pk"),
            year__gte=on.year - ASSESSMENT_YEARS,
            year__lt=on.year,
        )
        .order_by()
        .values("cadre_id")
        .annotate(value=StringAgg(_assessment_text(), delimiter="；", order_by="-year"))
        .values("cadre_id", "value")
    )
    return rows, "''"


def _assessments_sql(on: dt.date) -> Any:
    """近三年年度考核 in SQL, as ``_assessments`` (one aggregate per cadre, latest year first)."""
    text = Concat(
        Cast("year", CharField()),
        Value("年"),
        _code_label("grade", _GRADE_LABELS, F("grade")),
        output_field=CharField(),
    )
    years = (
        Assessment.objects.filter(
            cadre=OuterRef("pk"), year__gte=on.year - ASSESSMENT_YEARS, year__lt=on.year
        )
        .order_by()
        .values("cadre")
        .annotate(text=StringAgg(text, delimiter="；", order_by="-year"))
        .values("text")
    )
    return Coalesce(Subquery(years), Value(""), output_field=CharField())


def _tenure_rows(cadres: QuerySet[Cadre], on: dt.date) -> tuple[QuerySet[Any], str]:
    return _in_force_rows(Tenure, F("start_date"), cadres, on), "NULL"


def _rank_rows(cadres: QuerySet[Cadre], on: dt.date) -> tuple[QuerySet[Any], str]:
    return _in_force_rows(RankRecord, F("start_date"), cadres, on), "NULL"


def _reserve_label(values: Sequence[Any], on: dt.date) -> str:
    return _RESERVE_LABELS.get(values[0] or "", "")


def _assessments(cadre_ids: Sequence[int], on: dt.date) -> dict[int, str]:
    """近三年年度考核 of a chunk of cadres (one query): the last ``ASSESSMENT_YEARS`` years, latest first."""
    years = (
        Assessment.objects.filter(
            cadre_id__in=cadre_ids, year__gte=on.year - ASSESSMENT_YEARS, year__lt=on.year
        )
        .order_by("cadre_id", "-year")
        .values_list("cadre_id", "year", "grade")
    )
    texts: dict[int, list[str]] = {}
    for cadre_id, year, grade in years:
        texts.setdefault(cadre_id, []).append(f"{year}年{_GRADE_LABELS.get(grade, grade)}")
    return {cadre_id: "；".join(parts) for cadre_id, parts in texts.items()}


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("name", "姓名", ("name",)),
    RosterColumn("gender", "性别", (_label("gender"),)),
    RosterColumn("birth_date", "出生年月", ("birth_date",), MONTH),
    RosterColumn(
        "age",
        "年龄",
        ("birth_date",),
        compute=_age,
        sql=_age_sql,
        notes="周岁，按年龄计算日期（默认今天）",
    ),
    RosterColumn("ethnicity", "民族", ("ethnicity",)),
    RosterColumn("native_place", "籍贯", ("native_place",)),
    RosterColumn("birthplace", "出生地", ("birthplace",)),
    RosterColumn("political_status", "政治面貌", (_label("political_status"),)),
    RosterColumn(
        "party_join",
        "入党时间",
        ("political_status", "party_join_date", "democratic_party"),
        compute=_party_join,
        sql=_party_join_sql,
    ),
    RosterColumn("work_start_date", "参加工作时间", ("work_start_date",), MONTH),
    RosterColumn("health", "健康状况", ("health",)),
    RosterColumn("id_number", "身份证号", ("id_number",), TEXT, capability=Cap.SENSITIVE_ID),
    RosterColumn("unit", "所在单位", ("unit__name",), group="职务职级"),
    RosterColumn("current_post", "现任职务", ("current_post_text",), group="职务职级"),
    RosterColumn(
        "post_since", "任现职时间", (_current_tenure_start,), MONTH, group="职务职级", joined=_tenure_rows
    ),
    RosterColumn("rank", "现职级", (_label("rank"),), group="职务职级"),
    RosterColumn(
        "rank_since", "任现职级时间", (_current_rank_start,), MONTH, group="职务职级", joined=_rank_rows
    ),
    RosterColumn("leadership", "领导职务", (_yes_no("is_leadership"),), group="职务职级"),
    RosterColumn("category", "干部类别", (_label("category"),), group="职务职级"),
    RosterColumn("authority", "干部管理权限", (_label("management_authority"),), group="职务职级"),
    RosterColumn("status", "状态", (_label("status"),), group="职务职级"),
    RosterColumn("highest_education", "最高学历", (_label("highest_education"),), group="学历学位"),
    RosterColumn("ft_education", "全日制学历", (_label("ft_education"),), group="学历学位"),
    RosterColumn("ft_degree", "全日制学位", ("ft_degree",), group="学历学位"),
    RosterColumn("ft_school", "全日制毕业院校系及专业", ("ft_school",), group="学历学位"),
    RosterColumn("ip_education", "在职教育学历", (_label("ip_education"),), group="学历学位"),
    RosterColumn("ip_degree", "在职教育学位", ("ip_degree",), group="学历学位"),
    RosterColumn("ip_school", "在职教育毕业院校系及专业", ("ip_school",), group="学历学位"),
    RosterColumn("professional_title", "专业技术职务", ("professional_title",), group="学历学位"),
    RosterColumn("specialty", "熟悉专业有何专长", ("specialty",), group="学历学位"),
    RosterColumn("reserve", "后备干部", (_yes_no("is_reserve"),), group="后备与考核"),
    RosterColumn(
        "reserve_level",
        "后备层次",
        (_reserve_level,),
        compute=_reserve_label,
        sql=_reserve_level_sql,
        joined=_reserve_rows,
        group="后备与考核",
    ),
    RosterColumn(
        "assessments",
        "近三年年度考核",
        lookup=_assessments,
        sql=_assessments_sql,
        joined=_assessment_rows,
        group="后备与考核",
    ),
)
BY_KEY: dict[str, RosterColumn] = {c.key: c for c in COLUMNS}
DEFAULT_KEYS: tuple[str, ...] = (
    "name",
    "gender",
    "birth_date",
    "age",
    "unit",
    "current_post",
    "rank",
    "highest_education",
    "political_status",
    "status",
)
"""The columns the roster page shows, in its order: the export's columns when none are chosen."""


def columns_for(user: Any) -> list[RosterColumn]:
    """The columns this user may choose (身份证号 only for those who see ID numbers)."""
    return [c for c in COLUMNS if c.capability is None or has_cap(user, c.capability)]


def chosen_columns(user: Any, keys: Sequence[str]) -> list[RosterColumn]:
    """The columns named by ``keys``, in their order, once each; unknown or forbidden keys dropped."""
    allowed = {c.key: c for c in columns_for(user)}
    return [allowed[k] for k in dict.fromkeys(keys) if k in allowed]


def _computed(
    compute: Callable[[Sequence[Any], dt.date], Any], indexes: Sequence[int], on: dt.date
) -> Callable[[Sequence[Any]], Any]:
    """The cell maker of a computed column: ``compute`` of the row's values at ``indexes``."""
    return lambda row: compute([row[k] for k in indexes], on)


def _blank(row: Sequence[Any]) -> str:
    return ""


def _in_sql(cadres: QuerySet[Cadre]) -> bool:
    """Whether the cells are computed by the database (PostgreSQL: every column's ``sql``)."""
    return connections[cadres.db].vendor == "postgresql"


def _values_query(
    cadres: QuerySet[Cadre],
    columns: Sequence[RosterColumn],
    *,
    on: dt.date,
    in_sql: bool | None = None,
    with_id: bool = False,
) -> tuple[QuerySet[Any], list[Callable[[Sequence[Any]], Any] | int], int | None]:
    """The query of the values ``columns`` read, and how to make each cell from a row of it.

    Each cell maker is an index into the row (the value is the cell) or a function of the row;
    the last item is the index of the cadre's id when a column looks values up by chunk. On
    PostgreSQL a column with ``sql`` reads its cell as it is: every maker is then an index.
    """
    annotations: dict[str, Any] = {}
    makers: list[Callable[[Sequence[Any]], Any] | int] = []
    in_sql = _in_sql(cadres) if in_sql is None else in_sql
    columns = [
        RosterColumn(c.key, c.header, (c.sql,), c.number_format) if in_sql and c.sql else c for c in columns
    ]
    for i, column in enumerate(columns):
        first = len(annotations)
        for j, source in enumerate(column.reads):
            annotations[f"roster_{i}_{j}"] = F(source) if isinstance(source, str) else source(on)
        indexes = list(range(first, len(annotations)))
        if column.compute is not None:
            makers.append(_computed(column.compute, indexes, on))
        elif len(indexes) == 1:
            makers.append(indexes[0])
        else:
            makers.append(_blank)  # a lookup column: filled per chunk
    names = list(annotations)
    id_index = None
    if with_id or any(c.lookup for c in columns):
        annotations["roster_id"] = F("pk")
        id_index = len(names)
        names.append("roster_id")
    return cadres.annotate(**annotations).values_list(*names), makers, id_index


def _copied_rows(db: str, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` streamed by PostgreSQL's ``COPY (…) TO STDOUT``, typed by psycopg.

    Why not the queryset's server-side cursor: in autocommit a cursor is declared ``WITH HOLD`` and
    PostgreSQL computes and stores the whole result before the first row is fetched, then hands it
    over 2,000 rows a round trip; ``COPY`` sends rows as it produces them, so the database and the
    writer work at the same time (measured: the export 2–3× faster at 100k cadres). The types are
    read from the query's description (``LIMIT 0``), so values arrive as dates, numbers and text,
    exactly as from the cursor. Not for a column that looks values up per chunk: the connection is
    busy for the whole ``COPY``.
    """
    with connections[db].cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) AS roster LIMIT 0", params)
        types = [column.type_code for column in cursor.description]
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
            copy.set_types(types)
            yield from copy.rows()


def _pg_sql(
    cadres: QuerySet[Cadre], columns: Sequence[RosterColumn], *, on: dt.date
) -> tuple[str, list[Any]]:
    """The export's query on PostgreSQL, every cell computed by the database.

    The columns with ``joined`` (the rows in force, 近三年年度考核) are each a table computed once for
    the cadres exported and joined by cadre id, instead of a subquery per cadre; the cadres keep
    their order (numbered before the joins, sorted by that number after).
    """
    joined = {i: c.joined(cadres, on) for i, c in enumerate(columns) if c.joined is not None}
    kept = [c for i, c in enumerate(columns) if i not in joined]
    if not joined or any(c.sql is None and len(c.reads) != 1 for c in kept):
        query, _, _ = _values_query(cadres, columns, on=on, in_sql=True)
        plain_sql, plain_params = query.query.sql_with_params()
        return plain_sql, list(plain_params)
    inner, _, _ = _values_query(cadres, kept, on=on, in_sql=True, with_id=True)
    inner_sql, inner_params = inner.query.sql_with_params()
    params = list(inner_params)
    cells, joins, k = [], [], 0
    for i in range(len(columns)):
        if i in joined:
            rows, missing = joined[i]
            rows_sql, rows_params = rows.query.sql_with_params()
            params.extend(rows_params)
            joins.append(f'LEFT JOIN ({rows_sql}) AS j{i} ON j{i}."cadre_id" = q."roster_id"')
            cells.append(f'coalesce(j{i}."value", {missing}) AS "roster_{i}_0"')
        else:
            cells.append(f'q."roster_{k}_0" AS "roster_{i}_0"')
            k += 1
    sql = (
        f"SELECT {', '.join(cells)} FROM (SELECT row_number() OVER () AS roster_order, v.* "
        f"FROM ({inner_sql}) AS v) AS q {' '.join(joins)} ORDER BY q.roster_order"
    )
    return sql, params


def roster_rows(
    cadres: QuerySet[Cadre],
    columns: Sequence[RosterColumn],
    *,
    on: dt.date,
    chunk_size: int = CHUNK_SIZE,
    in_sql: bool | None = None,
) -> Iterator[tuple[Any, ...]]:
    """The cadres' values of ``columns``, one tuple per cadre, streamed from the database.

    A fixed number of queries: one for the cadres with every column's values (on PostgreSQL a
    ``COPY`` streaming the rows, ``_copied_rows``; else, or with a column that looks its values up,
    a cursor read ``chunk_size`` rows at a time), plus one per chunk for each column that looks its
    values up (近三年年度考核). No model instance is built. On PostgreSQL every column is computed by
    the database (its ``sql``; ``in_sql=False`` computes them in Python, as elsewhere).
    """
    query, makers, id_index = _values_query(cadres, columns, on=on, in_sql=in_sql)
    rows: Iterator[Any]
    if connections[query.db].vendor == "postgresql" and id_index is None:
        sql, params = (
            _pg_sql(cadres, columns, on=on) if in_sql is not False else query.query.sql_with_params()
        )
        rows = _copied_rows(query.db, sql, params)
    else:
        rows = query.iterator(chunk_size=chunk_size)
    if all(isinstance(m, int) for m in makers) and makers == list(range(len(makers))):
        yield from rows  # every column one value, already the cell: the rows as the database gives them
        return
    lookups = [(i, c.lookup) for i, c in enumerate(columns) if c.lookup is not None]
    cell_makers = [operator.itemgetter(m) if isinstance(m, int) else m for m in makers]
    while chunk := list(itertools.islice(rows, chunk_size)):
        found: dict[int, dict[int, Any]] = {}
        if id_index is not None:
            ids = [row[id_index] for row in chunk]
            found = {i: lookup(ids, on) for i, lookup in lookups}
        for row in chunk:
            cells = [make(row) for make in cell_makers]
            for i, values in found.items():
                cells[i] = values.get(row[id_index], "")
            yield tuple(cells)


def roster_copy_sql(
    cadres: QuerySet[Cadre], columns: Sequence[RosterColumn], *, on: dt.date
) -> tuple[str, tuple[Any, ...]]:
    """The SQL (and its parameters) of the export's query: what the benchmark hands to ``COPY``."""
    if _in_sql(cadres):
        sql, params = _pg_sql(cadres, columns, on=on)
        return sql, tuple(params)
    query, _, _ = _values_query(cadres, columns, on=on)
    sql, sql_params = query.query.sql_with_params()
    return sql, tuple(sql_params)


def write_export(
    out: IO[bytes],
    cadres: QuerySet[Cadre],
    columns: Sequence[RosterColumn],
    *,
    on: dt.date,
    fmt: str = "xlsx",
    title: str = "干部名册",
    notes: str = "",
) -> int:
    """Write the roster export of ``cadres`` in ``columns`` to ``out``; the number of rows written.

    ``fmt`` is ``"xlsx"`` or ``"csv"``; ``on`` is the reference date of 年龄 and of the rows in
    force; ``notes`` the .xlsx's first line. The bytes are written as they are produced: memory
    stays flat whatever the number of cadres (``cadres`` is not evaluated beforehand).
    """
    stream = export_stream(cadres, columns, on=on, fmt=fmt, title=title, notes=notes)
    for chunk in stream:
        out.write(chunk)
    return int(stream.rows_written)


def export_stream(
    cadres: QuerySet[Cadre],
    columns: Sequence[RosterColumn],
    *,
    on: dt.date,
    fmt: str = "xlsx",
    title: str = "干部名册",
    notes: str = "",
) -> Any:
    """The export as an iterable of byte chunks (``rows_written`` once iterated), .xlsx or .csv.

    On PostgreSQL the database writes the cells (``ganbu.core.pg_export``): the CSV is ``COPY``'s
    own output, the sheet's rows come as XML; Python sends them on (and zips the sheet). Nothing is
    queried before the first chunk is asked for.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format: {fmt}")
    return _Export(cadres, columns, on=on, fmt=fmt, title=title, notes=notes)


class _Export:
    """The chunks of ``export_stream``: which writer produces them is decided when iterated."""

    def __init__(
        self, cadres: QuerySet[Cadre], columns: Sequence[RosterColumn], *, on: dt.date, **options: str
    ) -> None:
        self.cadres = cadres
        self.columns = columns
        self.on = on
        self.options = options
        self.rows_written = 0
        self.writer: Any = None
        """The writer that produced the chunks (once iterated)."""

    def __iter__(self) -> Iterator[bytes]:
        self.writer = stream = self._stream()
        yield from stream
        self.rows_written = int(stream.rows_written)

    def _stream(self) -> Any:
        from ganbu.core import csv_stream, xlsx

        fmt, title, notes = self.options["fmt"], self.options["title"], self.options["notes"]
        header = [c.header for c in self.columns]
        formats = [c.number_format for c in self.columns]
        found = None
        if _in_sql(self.cadres) and len(self.columns) > 1:  # one column: Python writes an empty cell as ""
            sql, params = _pg_sql(self.cadres, self.columns, on=self.on)
            connection = connections[self.cadres.db]
            with connection.cursor() as cursor:
                found = pg_export.column_kinds(cursor, sql, params)
        if found is None:
            rows = roster_rows(self.cadres, self.columns, on=self.on)
            if fmt == "csv":
                return csv_stream.CsvStream(header=header, rows=rows, formats=formats)
            return xlsx.table_stream(title=title, header=header, rows=rows, formats=formats, notes=notes)
        names, kinds = found
        if fmt == "csv":
            return pg_export.CsvCopy(
                connection=connection,
                sql=pg_export.csv_sql(sql, names, kinds, formats),
                params=params,
                header=csv_stream.header_bytes(header),
            )
        stream = xlsx.table_stream(title=title, header=header, rows=(), formats=formats, notes=notes)
        with connection.cursor() as cursor:  # the rows the columns are sized from
            cursor.execute(f"SELECT * FROM ({sql}) AS export LIMIT {int(stream.width_sample)}", params)
            stream.rows = cursor.fetchall()

        def xml_rows(layout: Any) -> Iterator[bytes]:
            rows_sql = pg_export.xlsx_rows_sql(sql, names, kinds, layout=layout)
            return pg_export.copied(connection, rows_sql, params)

        stream.xml_rows = xml_rows
        return stream
