"""The team-structure summary (干部队伍结构): the dashboard's figures without scanning the registry.

``StructureCount`` holds, per unit and management authority, the head counts and breakdowns the
dashboard shows. The database keeps it: triggers on ``registry_cadre`` add each written row's
figures and take away the old row's, in the statement that writes the cadre, so a service's
``save()``, a bulk import, the demo generator's ``bulk_create`` or COPY and a hand-typed SQL
``UPDATE`` all keep it exact in their own transaction (PostgreSQL: statement-level triggers over
the transition tables, one grouped upsert per statement however many rows it writes; SQLite:
row-level triggers). Decision and alternatives: docs/decisions/0015-structure-summary.md.

Ages change with the day, not with writes, so the summary counts births per month and
``structure_for`` works the age bands out when it reads: every month lies wholly inside a band
except the five months holding a band's boundary birthday, which it counts from the cadres
themselves (an index range on the birth date, about 1% of them). Two queries whatever the size.

``install`` (re)creates the triggers; the registry's ``post_migrate`` hook runs it, and rebuilds
the summary if a trigger was missing, since Django rebuilds a SQLite table (dropping its triggers)
for some schema changes. ``rebuild`` recomputes everything from the cadres; ``drift`` compares the
two (the tests, and ``ganbu`` operators in doubt).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum

from ganbu.core.access import Cap, cadres_for, has_cap, unit_scope_q
from ganbu.rules.dates import birth_range_for_age

from .choices import CadreStatus, Education, Gender
from .models import Cadre, StructureCount
from .selectors import AGE_BANDS, StructureSummary

TABLE = "registry_structurecount"
SERVING = CadreStatus.SERVING.value

#: (dimension, key expression, counted-when condition) over a row alias ``d``, for the SQL below.
#: ``total`` counts every record; the other figures serving cadres only, as the dashboard does.
_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("total", "''", "TRUE"),
    ("serving", "''", "d.status = '{s}'"),
    ("leaders", "''", "d.status = '{s}' AND d.is_leadership"),
    ("reserve", "''", "d.status = '{s}' AND d.is_reserve"),
    ("birth", "{month}", "d.status = '{s}'"),
    ("education", "d.highest_education", "d.status = '{s}'"),
    ("gender", "d.gender", "d.status = '{s}'"),
)
_COLUMNS = (
    "unit_id, management_authority, status, birth_date, highest_education, gender, is_leadership, is_reserve"
)


def _month_sql(row: str, vendor: str) -> str:
    """The birth month ``YYYY-MM`` of the row alias ``row``, in the vendor's SQL."""
    if vendor == "postgresql":
        return f"to_char({row}.birth_date, 'YYYY-MM')"
    return f"strftime('%Y-%m', {row}.birth_date)"


def _figures_sql(row: str, vendor: str, month: str = "") -> list[tuple[str, str, str]]:
    """``_FIGURES`` over the row alias ``row`` (``d``, or a trigger's ``NEW`` / ``OLD``); ``month``
    replaces the birth-month expression (a column already holding it)."""
    month = month or _month_sql(row, vendor)
    return [
        (
            dim,
            key.format(month=month).replace("d.", f"{row}."),
            cond.format(s=SERVING).replace("d.", f"{row}."),
        )
        for dim, key, cond in _FIGURES
    ]


# ---------------------------------------------------------------- PostgreSQL


def _pg_upsert(source: str) -> str:
    """One grouped upsert of the figures of ``source`` rows (their columns plus a ``sign``).

    The rows are first grouped by everything the figures read (a bulk write of 100,000 cadres
    becomes a few thousand groups), and only the groups are spread over the seven figures.
    """
    values = ",\n        ".join(
        f"('{dim}', {key}, {cond})" for dim, key, cond in _figures_sql("d", "postgresql", "d.birth_month")
    )
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT d.unit_id, d.management_authority, k.dimension, k.key, SUM(d.sign)
    FROM (
        SELECT unit_id, management_authority, status, to_char(birth_date, 'YYYY-MM') AS birth_month,
               highest_education, gender, is_leadership, is_reserve, SUM(sign) AS sign
        FROM ({source}) AS s
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ) AS d
    CROSS JOIN LATERAL (VALUES
        {values}
    ) AS k(dimension, key, counted)
    WHERE k.counted
    GROUP BY 1, 2, 3, 4
    HAVING SUM(d.sign) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (unit_id, management_authority, dimension, "key")
    DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;"""


_PG_SOURCES = {
    "insert": f"SELECT {_COLUMNS}, 1 AS sign FROM structure_new",
    "delete": f"SELECT {_COLUMNS}, -1 AS sign FROM structure_old",
    "update": f"SELECT {_COLUMNS}, 1 AS sign FROM structure_new "
    f"UNION ALL SELECT {_COLUMNS}, -1 AS sign FROM structure_old",
}
_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS structure_new",
    "delete": "REFERENCING OLD TABLE AS structure_old",
    "update": "REFERENCING OLD TABLE AS structure_old NEW TABLE AS structure_new",
}


def _pg_install() -> list[str]:
    statements = []
    for op, source in _PG_SOURCES.items():
        function = f"registry_structure_on_{op}"
        trigger = f"registry_cadre_structure_{op}"
        statements += [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_pg_upsert(source)}
    RETURN NULL;
END;
$$;""",
            f"DROP TRIGGER IF EXISTS {trigger} ON registry_cadre;",
            f"CREATE TRIGGER {trigger} AFTER {op.upper()} ON registry_cadre "
            f"{_PG_REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
        ]
    statements += [
        f"""CREATE OR REPLACE FUNCTION registry_structure_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END;
$$;""",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_truncate ON registry_cadre;",
        "CREATE TRIGGER registry_cadre_structure_truncate AFTER TRUNCATE ON registry_cadre "
        "FOR EACH STATEMENT EXECUTE FUNCTION registry_structure_on_truncate();",
    ]
    return statements


PG_TRIGGERS = tuple(f"registry_cadre_structure_{op}" for op in ("insert", "update", "delete", "truncate"))


# ---------------------------------------------------------------- SQLite


def _sqlite_add(row: str) -> str:
    """Add one to each figure of the trigger's row ``row`` (``NEW``)."""
    keys = "\n        UNION ALL ".join(
        f"SELECT '{dim}' AS dimension, {key} AS k, {cond} AS counted"
        for dim, key, cond in _figures_sql(row, "sqlite")
    )
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT {row}.unit_id, {row}.management_authority, f.dimension, f.k, 1
    FROM (
        {keys}
    ) AS f
    WHERE f.counted
    ON CONFLICT (unit_id, management_authority, dimension, "key") DO UPDATE SET n = n + 1;"""


def _sqlite_take(row: str) -> str:
    """Take one from each figure of the trigger's row ``row`` (``OLD``). An UPDATE, so a missing
    row stays missing: a flush emptying the summary before the cadres leaves nothing negative."""
    match = "\n        OR ".join(
        f"(dimension = '{dim}' AND \"key\" = {key} AND ({cond}))"
        for dim, key, cond in _figures_sql(row, "sqlite")
    )
    return f"""
    UPDATE {TABLE} SET n = n - 1
    WHERE unit_id = {row}.unit_id AND management_authority = {row}.management_authority
      AND ({match});"""


_SQLITE_WATCHED = ", ".join(c.strip() for c in _COLUMNS.split(","))


def _sqlite_install() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS registry_cadre_structure_insert;",
        "CREATE TRIGGER registry_cadre_structure_insert AFTER INSERT ON registry_cadre\n"
        f"BEGIN{_sqlite_add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_update;",
        f"CREATE TRIGGER registry_cadre_structure_update AFTER UPDATE OF {_SQLITE_WATCHED} "
        f"ON registry_cadre\nBEGIN{_sqlite_take('OLD')}{_sqlite_add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_delete;",
        "CREATE TRIGGER registry_cadre_structure_delete AFTER DELETE ON registry_cadre\n"
        f"BEGIN{_sqlite_take('OLD')}\nEND;",
    ]


SQLITE_TRIGGERS = tuple(f"registry_cadre_structure_{op}" for op in ("insert", "update", "delete"))


# ---------------------------------------------------------------- install, rebuild, check


def triggers_present(using: Any = None) -> bool:
    """Whether every trigger keeping the summary exists on ``registry_cadre``."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger "
                "WHERE tgrelid = 'registry_cadre'::regclass AND tgname = ANY(%s)",
                [list(PG_TRIGGERS)],
            )
            return bool(cursor.fetchone()[0] == len(PG_TRIGGERS))
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'registry_cadre' "
                f"AND name IN ({', '.join('%s' for _ in SQLITE_TRIGGERS)})",
                list(SQLITE_TRIGGERS),
            )
            return bool(cursor.fetchone()[0] == len(SQLITE_TRIGGERS))
    return False


def install(using: Any = None) -> None:
    """(Re)create the triggers that keep the summary (idempotent; the migration and ``post_migrate``)."""
    conn = using or connection
    statements = {"postgresql": _pg_install, "sqlite": _sqlite_install}.get(conn.vendor)
    if statements is None:
        return
    with conn.cursor() as cursor:
        for sql in statements():
            cursor.execute(sql)


def uninstall(using: Any = None) -> None:
    """Drop the triggers (the migration's way back)."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for op in ("insert", "update", "delete", "truncate"):
                cursor.execute(f"DROP TRIGGER IF EXISTS registry_cadre_structure_{op} ON registry_cadre")
                cursor.execute(f"DROP FUNCTION IF EXISTS registry_structure_on_{op}()")
        elif conn.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _rebuild_sql(vendor: str) -> str:
    unions = "\n    UNION ALL ".join(
        f"SELECT d.unit_id, d.management_authority, '{dim}' AS dimension, {key} AS k "
        f"FROM registry_cadre AS d WHERE {cond}"
        for dim, key, cond in _figures_sql("d", vendor)
    )
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT unit_id, management_authority, dimension, k, COUNT(*) FROM (
    {unions}
    ) AS f GROUP BY 1, 2, 3, 4"""


def rebuild(using: Any = None) -> None:
    """Recompute the whole summary from the cadres, in one transaction (locks out cadre writes).

    Needed only where the triggers could not see writes: after installing them on a filled
    database, or after a SQLite table rebuild that dropped them (``post_migrate`` does both).
    """
    conn = using or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("LOCK TABLE registry_cadre IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_rebuild_sql(conn.vendor))


def ensure(using: Any = None, **_: Any) -> None:
    """(Re)install the triggers after ``migrate``, and rebuild the summary if one was missing.

    Installing every time keeps the database on this module's SQL; the rebuild only follows a
    missing trigger (a SQLite table rebuild drops them), when writes may have gone uncounted.
    """
    conn = using or connection
    if conn.vendor not in ("postgresql", "sqlite"):
        return
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
    if TABLE not in tables or "registry_cadre" not in tables:
        return
    missing = not triggers_present(conn)
    install(conn)
    if missing:
        rebuild(conn)


def counts_of(rows: QuerySet[StructureCount]) -> dict[tuple[str, str], int]:
    """The summed figures of some summary rows, by (dimension, key), in one query."""
    out: dict[tuple[str, str], int] = {}
    for row in rows.values("dimension", "key").annotate(total=Sum("n")).order_by():
        out[(row["dimension"], row["key"])] = int(row["total"] or 0)
    return out


def _direct_counts(cadres: QuerySet[Cadre]) -> dict[tuple[str, str], int]:
    """The same figures counted from the cadres themselves (``drift``)."""
    out: dict[tuple[str, str], int] = {}
    serving = cadres.filter(status=SERVING)
    out[("total", "")] = cadres.count()
    out[("serving", "")] = serving.count()
    out[("leaders", "")] = serving.filter(is_leadership=True).count()
    out[("reserve", "")] = serving.filter(is_reserve=True).count()
    for birth in serving.values_list("birth_date", flat=True):
        key = ("birth", birth.strftime("%Y-%m"))
        out[key] = out.get(key, 0) + 1
    for field, dim in (("highest_education", "education"), ("gender", "gender")):
        for row in serving.values(field).annotate(c=Count("id")).order_by():
            out[(dim, row[field])] = row["c"]
    return {k: v for k, v in out.items() if v}


def drift() -> dict[tuple[str, str], tuple[int, int]]:
    """Figures where the summary and a direct count of every cadre differ: key → (summary, direct)."""
    kept = {k: v for k, v in counts_of(StructureCount.objects.all()).items() if v}
    direct = _direct_counts(Cadre.objects.all())
    return {
        k: (kept.get(k, 0), direct.get(k, 0))
        for k in sorted(set(kept) | set(direct))
        if kept.get(k, 0) != direct.get(k, 0)
    }


# ---------------------------------------------------------------- reading


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _band_of_month(month: str, bands: list[tuple[dt.date | None, dt.date | None]]) -> int | None:
    """The band every birthday of ``month`` falls in, or ``None`` if the month straddles two."""
    year, mon = int(month[:4]), int(month[5:7])
    first, last = _month_bounds(dt.date(year, mon, 1))
    for index, (earliest, latest) in enumerate(bands):
        if (earliest is None or first >= earliest) and (latest is None or last <= latest):
            return index
    return None


def structure_for(*, user: Any, on: dt.date | None = None) -> StructureSummary:
    """The dashboard's figures for the user's cadres, from the summary: two queries at any size.

    The same figures as ``registry.selectors.cadre_structure`` (the tests compare them). Registry
    roles read the summary rows of the units in their scope (and their management authorities);
    anyone else sees at most their own record, counted directly.
    """
    from django.utils import timezone

    from .selectors import structure_of

    on = on or timezone.localdate()
    if not has_cap(user, Cap.REGISTRY_VIEW):
        return structure_of(cadres_for(user), on=on)
    rows = StructureCount.objects.filter(unit_scope_q(user, "unit__"))
    if user.scope_authorities:
        rows = rows.filter(management_authority__in=user.scope_authorities)
    counts = counts_of(rows)
    bands = [birth_range_for_age(low, high, on) for _label, low, high in AGE_BANDS]
    by_age = [0] * len(AGE_BANDS)
    straddling: set[str] = set()
    for (dimension, key), n in counts.items():
        if dimension != "birth" or not n:
            continue
        band = _band_of_month(key, bands)
        if band is None:
            straddling.add(key)
        else:
            by_age[band] += n
    if straddling:
        # The months holding a band boundary: their cadres counted one by one, by birth date.
        within = Q()
        for month in straddling:
            first, last = _month_bounds(dt.date(int(month[:4]), int(month[5:7]), 1))
            within |= Q(birth_date__range=(first, last))
        exact: dict[str, Any] = {}
        for index, (earliest, latest) in enumerate(bands):
            band_q = Q()
            if earliest:
                band_q &= Q(birth_date__gte=earliest)
            if latest:
                band_q &= Q(birth_date__lte=latest)
            exact[f"age_{index}"] = Count("id", filter=band_q)
        row = cadres_for(user).filter(within, status=SERVING).aggregate(**exact)
        for index in range(len(AGE_BANDS)):
            by_age[index] += row[f"age_{index}"]
    educations: list[tuple[str, str]] = [(str(v), str(lbl)) for v, lbl in Education.choices]
    educations.append(("", "未填写"))
    return StructureSummary(
        on=on,
        total=counts.get(("total", ""), 0),
        serving=counts.get(("serving", ""), 0),
        leaders=counts.get(("leaders", ""), 0),
        reserve=counts.get(("reserve", ""), 0),
        by_age=[(label, by_age[i]) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)],
        by_education=[(label, counts.get(("education", code), 0)) for code, label in educations],
        by_gender=[(str(label), counts.get(("gender", code), 0)) for code, label in Gender.choices],
    )
