"""The team-structure summary (干部队伍结构): the dashboard's figures without scanning the registry.

``StructureCount`` holds, per unit and management authority, the head counts and breakdowns of
the unit's **whole subtree** (its own cadres and those of every unit below it), so the dashboard
reads the rows of one unit: the user's scope unit, or the top-level units for the whole county.
The database keeps it: triggers on ``registry_cadre`` add each written row's figures to its unit
and every ancestor (the ids in the unit's materialised ``path``) and take away the old row's, in
the statement that writes the cadre, so a service's ``save()``, a bulk import, the demo
generator's ``bulk_create`` or COPY and a hand-typed SQL ``UPDATE`` all keep it exact in their own
transaction (PostgreSQL: statement-level triggers over the transition tables, one grouped upsert
per statement however many rows it writes; SQLite: row-level triggers). A trigger on
``registry_unit`` moves a unit's own cadres from its old ancestors to its new ones when its
``path`` changes (a unit moved in the tree). Decision and alternatives:
docs/decisions/0015-structure-summary.md.

Ages change with the day, not with writes, so the summary counts births per month and
``structure_for`` works the age bands out when it reads: every month lies wholly inside a band
except the five months holding a band's boundary birthday, which it counts from the cadres
themselves (an index range on the birth date, about 1% of them). Two queries whatever the size.

``install`` (re)creates the triggers; the registry's ``post_migrate`` hook runs it, and rebuilds
the summary if a trigger was missing, since Django rebuilds a SQLite table (dropping its triggers)
for some schema changes. ``rebuild`` recomputes everything from the cadres; ``drift`` compares the
two (the tests, and ``ganbu`` operators in doubt).

Two variants of the SQL exist: ``TREE`` (subtree totals, migration 0009 on) and ``UNIT`` (one
unit's own cadres only, migrations 0006–0008), kept so that migrating back to 0008 leaves the
summary and triggers that code expects; ``ensure`` installs the one the applied migrations call for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum

from ganbu.core.access import Cap, cadres_for, has_cap
from ganbu.rules.dates import birth_range_for_age

from .choices import CadreStatus, Education, Gender
from .models import Cadre, StructureCount, Unit
from .selectors import AGE_BANDS, StructureSummary

TABLE = "registry_structurecount"
SERVING = CadreStatus.SERVING.value

#: Subtree totals (migration 0009 on) / per-unit counts (0006–0008): which SQL ``install`` writes.
TREE = "tree"
UNIT = "unit"
#: The migration from which the summary holds subtree totals.
TREE_MIGRATION = ("registry", "0009_structure_subtree")

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
#: The cadre's columns the figures read, besides its unit.
_FIGURE_COLUMNS = (
    "management_authority",
    "status",
    "birth_date",
    "highest_education",
    "gender",
    "is_leadership",
    "is_reserve",
)
_COLUMNS = "unit_id, " + ", ".join(_FIGURE_COLUMNS)


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


def _ancestors(vendor: str, path: str) -> tuple[str, str, str]:
    """A join producing, for each row, the ids in the materialised ``path`` (the unit and every
    ancestor: ``Unit.compute_path`` writes each one's id), as (join clause, id, condition)."""
    if vendor == "postgresql":
        return (
            f"CROSS JOIN LATERAL unnest(string_to_array(rtrim({path}, '.'), '.')::bigint[]) AS a(id)",
            "a.id",
            "TRUE",
        )
    # SQLite has no split; a JSON array of the segments is, and json_each is allowed in triggers.
    return (
        f"""CROSS JOIN json_each('["' || replace(rtrim({path}, '.'), '.', '","') || '"]') AS a""",
        "CAST(a.value AS INTEGER)",
        "a.value <> ''",
    )


def _sqlite_path_ids(path: str) -> str:
    """The ids in ``path`` as a SQLite subquery (for ``unit_id IN (…)``)."""
    join, ident, cond = _ancestors("sqlite", path)
    return f"SELECT {ident} FROM (SELECT 1) AS one {join} WHERE {cond}"


# ---------------------------------------------------------------- PostgreSQL


def _pg_upsert(source: str) -> str:
    """One grouped upsert of the figures of ``source`` rows, over every unit of their ``path``.

    ``source`` gives a ``path`` (the unit's, or for a moved unit its old or new one), the figure
    columns and a ``sign``. The rows are first grouped by everything the figures read (a bulk
    write of 100,000 cadres becomes tens of thousands of groups), then spread over the seven
    figures and grouped by path, and only those are spread over the path's units.
    """
    values = ",\n            ".join(
        f"('{dim}', {key}, {cond})" for dim, key, cond in _figures_sql("d", "postgresql", "d.birth_month")
    )
    join, ident, _cond = _ancestors("postgresql", "f.path")
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT {ident}, f.management_authority, f.dimension, f.key, SUM(f.n)
    FROM (
        SELECT d.path, d.management_authority, k.dimension, k.key, SUM(d.sign) AS n
        FROM (
            SELECT path, management_authority, status, to_char(birth_date, 'YYYY-MM') AS birth_month,
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
    ) AS f
    {join}
    GROUP BY 1, 2, 3, 4
    HAVING SUM(f.n) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (unit_id, management_authority, dimension, "key")
    DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;"""


def _pg_cadres(table: str, sign: int) -> str:
    columns = ", ".join(f"c.{c}" for c in _FIGURE_COLUMNS)
    return (
        f"SELECT u.path, {columns}, {sign} AS sign "
        f"FROM {table} AS c JOIN registry_unit AS u ON u.id = c.unit_id"
    )


#: The units whose path a statement changed, once with the new path (+1) and once with the old (-1).
_PG_MOVED = """SELECT n.id, n.path, 1 AS sign FROM unit_new AS n JOIN unit_old AS o ON o.id = n.id
            WHERE o.path IS DISTINCT FROM n.path
            UNION ALL
            SELECT o.id, o.path, -1 AS sign FROM unit_old AS o JOIN unit_new AS n ON n.id = o.id
            WHERE o.path IS DISTINCT FROM n.path"""

_PG_SOURCES = {
    "insert": _pg_cadres("structure_new", 1),
    "delete": _pg_cadres("structure_old", -1),
    "update": f"{_pg_cadres('structure_new', 1)} UNION ALL {_pg_cadres('structure_old', -1)}",
    "unit": f"SELECT m.path, {', '.join(f'c.{c}' for c in _FIGURE_COLUMNS)}, m.sign "
    f"FROM ({_PG_MOVED}) AS m JOIN registry_cadre AS c ON c.unit_id = m.id",
}
_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS structure_new",
    "delete": "REFERENCING OLD TABLE AS structure_old",
    "update": "REFERENCING OLD TABLE AS structure_old NEW TABLE AS structure_new",
    # Transition tables are not allowed with a column list (UPDATE OF path): the join filters.
    "unit": "REFERENCING OLD TABLE AS unit_old NEW TABLE AS unit_new",
}


def _pg_statement_trigger(
    function: str, trigger: str, table: str, event: str, body: str, referencing: str
) -> list[str]:
    """A PL/pgSQL function running ``body`` once per statement, and its trigger (replacing any)."""
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
    RETURN NULL;
END;
$$;""",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
        f"CREATE TRIGGER {trigger} AFTER {event} ON {table} "
        f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
    ]


def _pg_truncate_trigger(function: str, trigger: str) -> list[str]:
    """Emptying the cadres empties the summary (``TRUNCATE`` fires no row or statement trigger)."""
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE};
    RETURN NULL;
END;
$$;""",
        f"DROP TRIGGER IF EXISTS {trigger} ON registry_cadre;",
        f"CREATE TRIGGER {trigger} AFTER TRUNCATE ON registry_cadre "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
    ]


def _pg_install() -> list[str]:
    statements = []
    for op, source in _PG_SOURCES.items():
        trigger, table = _PG_TREE_TRIGGERS[op]
        event = "UPDATE" if op == "unit" else op.upper()
        statements += _pg_statement_trigger(
            f"registry_structure_tree_on_{op}", trigger, table, event, _pg_upsert(source), _PG_REFERENCING[op]
        )
    return statements + _pg_truncate_trigger(
        "registry_structure_tree_on_truncate", "registry_cadre_structure_tree_truncate"
    )


#: op → (trigger, table) of the subtree variant on PostgreSQL.
_PG_TREE_TRIGGERS = {
    "insert": ("registry_cadre_structure_tree_insert", "registry_cadre"),
    "update": ("registry_cadre_structure_tree_update", "registry_cadre"),
    "delete": ("registry_cadre_structure_tree_delete", "registry_cadre"),
    "unit": ("registry_unit_structure_tree_path", "registry_unit"),
    "truncate": ("registry_cadre_structure_tree_truncate", "registry_cadre"),
}


# ---------------------------------------------------------------- SQLite


def _sqlite_unit_path(row: str) -> str:
    return f"(SELECT path FROM registry_unit WHERE id = {row}.unit_id)"


def _sqlite_add(row: str) -> str:
    """Add one to each figure of the trigger's row ``row`` (``NEW``), in its unit and ancestors."""
    keys = "\n        UNION ALL ".join(
        f"SELECT '{dim}' AS dimension, {key} AS k, {cond} AS counted"
        for dim, key, cond in _figures_sql(row, "sqlite")
    )
    join, ident, cond = _ancestors("sqlite", _sqlite_unit_path(row))
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT {ident}, {row}.management_authority, f.dimension, f.k, 1
    FROM (
        {keys}
    ) AS f
    {join}
    WHERE f.counted AND {cond}
    ON CONFLICT (unit_id, management_authority, dimension, "key") DO UPDATE SET n = n + 1;"""


def _sqlite_take(row: str) -> str:
    """Take one from each figure of the trigger's row ``row`` (``OLD``), in its unit and ancestors.
    An UPDATE, so a missing row stays missing: a flush emptying the summary before the cadres
    leaves nothing negative."""
    match = "\n        OR ".join(
        f"(dimension = '{dim}' AND \"key\" = {key} AND ({cond}))"
        for dim, key, cond in _figures_sql(row, "sqlite")
    )
    return f"""
    UPDATE {TABLE} SET n = n - 1
    WHERE unit_id IN ({_sqlite_path_ids(_sqlite_unit_path(row))})
      AND management_authority = {row}.management_authority
      AND ({match});"""


def _sqlite_move() -> str:
    """A unit's path changed: its own cadres' figures leave the old path's units, join the new's."""
    unions = "\n        UNION ALL ".join(
        f"SELECT d.management_authority, '{dim}' AS dimension, {key} AS k, COUNT(*) AS n "
        f"FROM registry_cadre AS d WHERE d.unit_id = NEW.id AND {cond} GROUP BY 1, 2, 3"
        for dim, key, cond in _figures_sql("d", "sqlite")
    )
    join, ident, cond = _ancestors("sqlite", "m.path")
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT {ident}, f.management_authority, f.dimension, f.k, SUM(f.n * m.sign)
    FROM (
        {unions}
    ) AS f
    CROSS JOIN (SELECT NEW.path AS path, 1 AS sign UNION ALL SELECT OLD.path, -1) AS m
    {join}
    WHERE {cond}
    GROUP BY 1, 2, 3, 4
    HAVING SUM(f.n * m.sign) <> 0
    ON CONFLICT (unit_id, management_authority, dimension, "key") DO UPDATE SET n = n + excluded.n;"""


_SQLITE_WATCHED = _COLUMNS


def _sqlite_install() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS registry_cadre_structure_tree_insert;",
        "CREATE TRIGGER registry_cadre_structure_tree_insert AFTER INSERT ON registry_cadre\n"
        f"BEGIN{_sqlite_add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_tree_update;",
        f"CREATE TRIGGER registry_cadre_structure_tree_update AFTER UPDATE OF {_SQLITE_WATCHED} "
        f"ON registry_cadre\nBEGIN{_sqlite_take('OLD')}{_sqlite_add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_tree_delete;",
        "CREATE TRIGGER registry_cadre_structure_tree_delete AFTER DELETE ON registry_cadre\n"
        f"BEGIN{_sqlite_take('OLD')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_unit_structure_tree_path;",
        "CREATE TRIGGER registry_unit_structure_tree_path AFTER UPDATE OF path ON registry_unit\n"
        f"WHEN OLD.path IS NOT NEW.path\nBEGIN{_sqlite_move()}\nEND;",
    ]


#: (trigger, table) of each variant, per vendor.
_TRIGGERS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    (TREE, "postgresql"): tuple(_PG_TREE_TRIGGERS.values()),
    (TREE, "sqlite"): (
        *((f"registry_cadre_structure_tree_{op}", "registry_cadre") for op in ("insert", "update", "delete")),
        ("registry_unit_structure_tree_path", "registry_unit"),
    ),
    (UNIT, "postgresql"): tuple(
        (f"registry_cadre_structure_{op}", "registry_cadre")
        for op in ("insert", "update", "delete", "truncate")
    ),
    (UNIT, "sqlite"): tuple(
        (f"registry_cadre_structure_{op}", "registry_cadre") for op in ("insert", "update", "delete")
    ),
}
_PG_FUNCTIONS = {
    TREE: tuple(f"registry_structure_tree_on_{op}" for op in _PG_TREE_TRIGGERS),
    UNIT: tuple(f"registry_structure_on_{op}" for op in ("insert", "update", "delete", "truncate")),
}


# ---------------------------------------------------------------- per-unit variant (0006–0008)


def _unit_pg_upsert(source: str) -> str:
    """Migration 0006's grouped upsert: the figures of ``source`` rows in their own unit only."""
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


def _unit_pg_install() -> list[str]:
    sources = {
        "insert": f"SELECT {_COLUMNS}, 1 AS sign FROM structure_new",
        "delete": f"SELECT {_COLUMNS}, -1 AS sign FROM structure_old",
        "update": f"SELECT {_COLUMNS}, 1 AS sign FROM structure_new "
        f"UNION ALL SELECT {_COLUMNS}, -1 AS sign FROM structure_old",
    }
    statements = []
    for op, source in sources.items():
        statements += _pg_statement_trigger(
            f"registry_structure_on_{op}",
            f"registry_cadre_structure_{op}",
            "registry_cadre",
            op.upper(),
            _unit_pg_upsert(source),
            _PG_REFERENCING[op],
        )
    return statements + _pg_truncate_trigger(
        "registry_structure_on_truncate", "registry_cadre_structure_truncate"
    )


def _unit_sqlite_install() -> list[str]:
    def add(row: str) -> str:
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

    def take(row: str) -> str:
        match = "\n        OR ".join(
            f"(dimension = '{dim}' AND \"key\" = {key} AND ({cond}))"
            for dim, key, cond in _figures_sql(row, "sqlite")
        )
        return f"""
    UPDATE {TABLE} SET n = n - 1
    WHERE unit_id = {row}.unit_id AND management_authority = {row}.management_authority
      AND ({match});"""

    return [
        "DROP TRIGGER IF EXISTS registry_cadre_structure_insert;",
        "CREATE TRIGGER registry_cadre_structure_insert AFTER INSERT ON registry_cadre\n"
        f"BEGIN{add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_update;",
        f"CREATE TRIGGER registry_cadre_structure_update AFTER UPDATE OF {_SQLITE_WATCHED} "
        f"ON registry_cadre\nBEGIN{take('OLD')}{add('NEW')}\nEND;",
        "DROP TRIGGER IF EXISTS registry_cadre_structure_delete;",
        "CREATE TRIGGER registry_cadre_structure_delete AFTER DELETE ON registry_cadre\n"
        f"BEGIN{take('OLD')}\nEND;",
    ]


# ---------------------------------------------------------------- install, rebuild, check


def _vendor(conn: Any) -> str:
    return str(conn.vendor)


def triggers_present(using: Any = None, variant: str = TREE) -> bool:
    """Whether every trigger of ``variant`` keeping the summary exists."""
    conn = using or connection
    expected = _TRIGGERS.get((variant, _vendor(conn)))
    if expected is None:
        return False
    names = [name for name, _table in expected]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s) "
                "AND tgrelid IN ('registry_cadre'::regclass, 'registry_unit'::regclass)",
                [names],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                f"AND name IN ({', '.join('%s' for _ in names)})",
                names,
            )
        return bool(cursor.fetchone()[0] == len(names))


def install(using: Any = None, variant: str = TREE) -> None:
    """(Re)create the triggers of ``variant`` and drop the other's (idempotent; migrations and
    ``post_migrate``). Does not recompute the rows: ``rebuild`` does."""
    conn = using or connection
    builders = {
        (TREE, "postgresql"): _pg_install,
        (TREE, "sqlite"): _sqlite_install,
        (UNIT, "postgresql"): _unit_pg_install,
        (UNIT, "sqlite"): _unit_sqlite_install,
    }
    build = builders.get((variant, _vendor(conn)))
    if build is None:
        return
    uninstall(conn, UNIT if variant == TREE else TREE)
    with conn.cursor() as cursor:
        for sql in build():
            cursor.execute(sql)


def uninstall(using: Any = None, variant: str | None = None) -> None:
    """Drop the triggers of ``variant`` (both when ``None``: migration 0006's way back)."""
    conn = using or connection
    variants = (variant,) if variant else (TREE, UNIT)
    with conn.cursor() as cursor:
        for v in variants:
            for name, table in _TRIGGERS.get((v, _vendor(conn)), ()):
                if conn.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            if conn.vendor == "postgresql":
                for function in _PG_FUNCTIONS[v]:
                    cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def _rebuild_sql(vendor: str, variant: str = TREE) -> str:
    unions = "\n    UNION ALL ".join(
        f"SELECT d.unit_id, d.management_authority, '{dim}' AS dimension, {key} AS k "
        f"FROM registry_cadre AS d WHERE {cond}"
        for dim, key, cond in _figures_sql("d", vendor)
    )
    per_unit = (
        "SELECT unit_id, management_authority, dimension, k, COUNT(*) AS n "
        f"FROM (\n    {unions}\n    ) AS f0 GROUP BY 1, 2, 3, 4"
    )
    if variant == UNIT:
        return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    {per_unit}"""
    join, ident, cond = _ancestors(vendor, "u.path")
    return f"""
    INSERT INTO {TABLE} (unit_id, management_authority, dimension, "key", n)
    SELECT {ident}, f.management_authority, f.dimension, f.k, SUM(f.n)
    FROM ({per_unit}) AS f
    JOIN registry_unit AS u ON u.id = f.unit_id
    {join}
    WHERE {cond}
    GROUP BY 1, 2, 3, 4"""


def rebuild(using: Any = None, variant: str = TREE) -> None:
    """Recompute the whole summary from the cadres, in one transaction (locks out cadre writes and
    unit moves).

    Needed only where the triggers could not see writes: after installing them on a filled
    database, or after a SQLite table rebuild that dropped them (``post_migrate`` does both).
    """
    conn = using or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("LOCK TABLE registry_cadre, registry_unit IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_rebuild_sql(conn.vendor, variant))


def expected_variant(using: Any = None) -> str:
    """The variant the applied migrations call for: per-unit between 0006 and 0009, else subtree."""
    from django.db.migrations.recorder import MigrationRecorder

    conn = using or connection
    applied = MigrationRecorder(conn).applied_migrations()
    if ("registry", "0006_structure_count") in applied and TREE_MIGRATION not in applied:
        return UNIT
    return TREE


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
    variant = expected_variant(conn)
    missing = not triggers_present(conn, variant)
    install(conn, variant)
    if missing:
        rebuild(conn, variant)


def counts_of(rows: QuerySet[StructureCount]) -> dict[tuple[str, str], int]:
    """The summed figures of some summary rows, by (dimension, key), in one query."""
    out: dict[tuple[str, str], int] = {}
    for row in rows.values("dimension", "key").annotate(total=Sum("n")).order_by():
        out[(row["dimension"], row["key"])] = int(row["total"] or 0)
    return out


Figure = tuple[int, str, str, str]
"""A summary row's key: (unit id, management authority, dimension, key)."""


def _direct_counts() -> dict[Figure, int]:
    """Every unit's subtree figures counted from the cadres themselves (``drift``).

    A unit's subtree is found as ``unit_scope_q`` finds it, by path prefix (every prefix of the
    cadre's unit path that is some unit's path), not by reading ids out of the path as the
    triggers do, so the two ways check each other.
    """
    paths = dict(Unit.objects.values_list("id", "path"))
    by_path = {path: pk for pk, path in paths.items() if path}
    above: dict[int, list[int]] = {}
    for pk, path in paths.items():
        above[pk] = [
            by_path[path[: i + 1]] for i, ch in enumerate(path) if ch == "." and path[: i + 1] in by_path
        ]
    out: Counter[Figure] = Counter()
    rows = Cadre.objects.values_list("unit_id", *_FIGURE_COLUMNS).order_by()
    for unit_id, authority, status, birth, education, gender, leader, reserve in rows.iterator():
        keys = [("total", "")]
        if status == SERVING:
            keys += [
                ("serving", ""),
                ("birth", birth.strftime("%Y-%m")),
                ("education", education),
                ("gender", gender),
            ]
            keys += [("leaders", "")] if leader else []
            keys += [("reserve", "")] if reserve else []
        for unit in above[unit_id]:
            for dimension, key in keys:
                out[(unit, authority, dimension, key)] += 1
    return dict(out)


def drift() -> dict[Figure, tuple[int, int]]:
    """Summary rows that differ from a direct count of the cadres in the unit's subtree:
    (unit, authority, dimension, key) → (summary, direct). Reads every cadre: for tests and
    operators in doubt, not for pages."""
    kept = {
        (row.unit_id, row.management_authority, row.dimension, row.key): row.n
        for row in StructureCount.objects.exclude(n=0).only(
            "unit_id", "management_authority", "dimension", "key", "n"
        )
    }
    direct = _direct_counts()
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
    roles read the subtree rows of their scope unit (or of the top-level units), of their
    management authorities: as many rows however many units lie below; anyone else sees at most
    their own record, counted directly.
    """
    from django.utils import timezone

    from .selectors import structure_of

    on = on or timezone.localdate()
    if not has_cap(user, Cap.REGISTRY_VIEW):
        return structure_of(cadres_for(user), on=on)
    # Each unit's rows hold its whole subtree: a scoped user reads their scope unit's, the county
    # the top-level units' (one in a county whose units all hang under it), whatever the units.
    if user.scope_unit_id is None:
        rows = StructureCount.objects.filter(unit__parent__isnull=True)
    else:
        rows = StructureCount.objects.filter(unit_id=user.scope_unit_id)
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
