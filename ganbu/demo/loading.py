"""Writing the generated county into the database by bulk paths, with ids assigned in advance.

Why not ``bulk_create`` of model instances: at a province's 500,000 cadres the county is about
nine million rows, and building a model instance per row costs more than the database takes to
store it. Each table is written here from plain tuples instead: on PostgreSQL by ``COPY … FROM
STDIN`` (psycopg's ``cursor.copy()``), elsewhere (SQLite, or a small table) by one ``INSERT``
statement run over batches of rows (``executemany``).

Why ids in advance: rows refer to each other (an item to its document, a tenure to its items), and
neither COPY nor ``executemany`` returns the ids it assigned. A block of ``n`` ids is reserved
first — on PostgreSQL by moving the table's identity sequence past it, elsewhere from the largest
id in the table — so row ``i`` of the block gets ``start + i`` and the generator's list indexes
become foreign keys by one addition. The reservation assumes nobody else inserts into these tables
during the load, which ``demo_load`` ensures by refusing a database that holds cadres.

The columns a row does not give take the model field's default (``Field.get_default``, what a new
model instance would hold), the creation and update times "now"; the database-generated columns
(``Cadre.rank_order``) are left to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

from ganbu.registry.models import (
    AppointmentDocument,
    Assessment,
    Cadre,
    DocumentItem,
    FamilyMember,
    Post,
    Quota,
    RankRecord,
    ReserveMembership,
    ResumeEntry,
    RewardSanction,
    Tenure,
    Unit,
)

from .generator import CADRE_FIELDS, DemoData

# Tables with fewer rows than this go through INSERT even on PostgreSQL: COPY's set-up is not worth it.
COPY_MIN_ROWS = 1000
# Rows per executemany batch; SQLite binds each value separately, so smaller batches keep memory flat.
INSERT_BATCH = 2000


def _columns(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The table's columns in writing order (id, the given fields, the rest) and the rest's values.

    ``given`` names fields by attname (``unit_id``); every other concrete, stored column gets the
    value a new instance would have, prepared for the database once for the whole table.
    """
    now = timezone.now()
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    pk = model._meta.pk
    assert pk is not None
    unknown = [name for name in given if name not in by_attname]
    if unknown:
        raise ValueError(f"{model.__name__} has no column {unknown}")
    rest: list[str] = []
    values: list[Any] = []
    for field in model._meta.concrete_fields:
        if field is pk or field.attname in given or getattr(field, "generated", False):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        else:
            value = field.get_default()
        rest.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    columns = [pk.column, *(by_attname[name].column for name in given), *rest]
    return columns, tuple(values)


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of ``count`` consecutive free ids; the caller inserts rows with them.

    On PostgreSQL the identity sequence is moved past the block, so nothing else is given these
    ids; elsewhere the block starts after the table's largest id, so it must be inserted before
    another block of the same table is asked for (the loader does, table by table).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk.column)}), 0) FROM {table}")
        highest = int(cursor.fetchone()[0])
        if connection.vendor != "postgresql":
            return highest + 1
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        start = max(int(cursor.fetchone()[0]), highest + 1)
        # The sequence's next value is the first id after the block.
        cursor.execute("SELECT setval(%s, %s)", [sequence, start + max(count, 1) - 1])
    return start


def write_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    count: int,
    start: int | None = None,
) -> int:
    """Insert ``count`` rows of ``fields`` (attnames) with ids from a fresh block; return the first id.

    Row ``i`` of ``rows`` gets id ``first + i``. COPY on PostgreSQL when the table gets
    ``COPY_MIN_ROWS`` rows or more, batched INSERTs otherwise; either way inside the caller's
    transaction. ``start`` is a block reserved beforehand (``reserve_ids``), for rows that need
    their own ids while being built.
    """
    if start is None:
        start = reserve_ids(model, count)
    if count == 0:
        return start
    columns, rest = _columns(model, fields)
    full = ((start + i, *row, *rest) for i, row in enumerate(rows))
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and count >= COPY_MIN_ROWS:
            # The raw psycopg cursor: Django's wrapper does not expose COPY.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in full:
                    copy.write_row(row)
                    written += 1
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[tuple[Any, ...]] = []
            for row in full:
                batch.append(row)
                if len(batch) == INSERT_BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    if written != count:
        raise ValueError(f"{model.__name__}: {written} rows written, {count} announced")
    return start


@dataclass(frozen=True)
class RegistryIds:
    """The first id of each table's block: row ``i`` of the generated list has id ``first + i``."""

    units: int
    posts: int
    cadres: int
    documents: int
    items: int

    def unit(self, index: int) -> int:
        """The id of the generated unit at ``index``."""
        return self.units + index

    def cadre(self, index: int) -> int:
        """The id of the generated cadre at ``index``."""
        return self.cadres + index


def write_registry(data: DemoData, *, actor_id: int | None, done: Callable[[str], None]) -> RegistryIds:
    """Write every table of the generated county, in reference order, calling ``done`` after each stage.

    Runs inside the caller's transaction. The units' materialised paths are computed here from the
    ids reserved for them (``Unit.compute_path``'s rule: each ancestor's id on six digits).
    """
    units = reserve_ids(Unit, len(data.units))
    paths: list[str] = []
    for i, row in enumerate(data.units):
        prefix = paths[row.parent] if row.parent is not None else ""
        paths.append(f"{prefix}{units + i:06d}.")
    first = write_rows(
        Unit,
        ("name", "short_name", "code", "kind", "level", "sort_order", "parent_id", "path", "depth"),
        (
            (
                r.name,
                r.short_name,
                r.code,
                r.kind,
                r.level,
                r.sort_order,
                units + r.parent if r.parent is not None else None,
                path,
                path.count(".") - 1,
            )
            for r, path in zip(data.units, paths, strict=True)
        ),
        count=len(data.units),
        start=units,
    )
    assert first == units
    done(f"单位 {len(data.units)} 个")
    posts = write_rows(
        Post,
        ("unit_id", "title", "kind", "rank", "is_leadership", "counts_toward_quota", "sort_order"),
        (
            (units + r.unit, r.title, r.kind, r.rank, r.is_leadership, r.counts_toward_quota, r.sort_order)
            for r in data.posts
        ),
        count=len(data.posts),
    )
    write_rows(
        Quota,
        ("unit_id", "kind", "number"),
        ((units + r.unit, r.kind, r.number) for r in data.quotas),
        count=len(data.quotas),
    )
    done(f"职位 {len(data.posts)} 个、职数 {len(data.quotas)} 条")
    values = attrgetter(*CADRE_FIELDS)
    cadres = write_rows(
        Cadre,
        ("unit_id", *CADRE_FIELDS),
        ((units + r.unit, *values(r)) for r in data.cadres),
        count=len(data.cadres),
    )
    done(f"干部 {len(data.cadres)} 名")
    documents = write_rows(
        AppointmentDocument,
        ("number", "title", "issued_on", "issuing_body", "created_by_id"),
        ((r.number, r.title, r.issued_on, r.issuing_body, actor_id) for r in data.documents),
        count=len(data.documents),
    )
    done(f"任免文件 {len(data.documents)} 份")
    items = write_rows(
        DocumentItem,
        ("document_id", "kind", "cadre_id", "post_id", "rank", "effective_on", "sort_order"),
        (
            (
                documents + r.document,
                r.kind,
                cadres + r.cadre,
                posts + r.post if r.post is not None else None,
                r.rank,
                r.effective_on,
                r.sort_order,
            )
            for r in data.items
        ),
        count=len(data.items),
    )
    done(f"任免事项 {len(data.items)} 项")
    write_rows(
        Tenure,
        ("cadre_id", "post_id", "start_date", "end_date", "start_item_id", "end_item_id"),
        (
            (
                cadres + r.cadre,
                posts + r.post,
                r.start_date,
                r.end_date,
                items + r.start_item,
                items + r.end_item if r.end_item is not None else None,
            )
            for r in data.tenures
        ),
        count=len(data.tenures),
    )
    done(f"任职记录 {len(data.tenures)} 条")
    write_rows(
        RankRecord,
        ("cadre_id", "rank", "start_date", "end_date", "item_id"),
        ((cadres + r.cadre, r.rank, r.start_date, r.end_date, items + r.item) for r in data.rank_records),
        count=len(data.rank_records),
    )
    done(f"职级记录 {len(data.rank_records)} 条")
    write_rows(
        ResumeEntry,
        ("cadre_id", "start_date", "end_date", "text", "sort_order"),
        ((cadres + r.cadre, r.start_date, r.end_date, r.text, r.sort_order) for r in data.resume),
        count=len(data.resume),
    )
    done(f"简历 {len(data.resume)} 条")
    write_rows(
        FamilyMember,
        (
            "cadre_id",
            "relation",
            "name",
            "birth_date",
            "political_status",
            "work_unit_post",
            "sort_order",
            "related_cadre_id",
        ),
        (
            (
                cadres + r.cadre,
                r.relation,
                r.name,
                r.birth_date,
                r.political_status,
                r.work_unit_post,
                r.sort_order,
                cadres + r.related_cadre if r.related_cadre is not None else None,
            )
            for r in data.family
        ),
        count=len(data.family),
    )
    done(f"家庭成员 {len(data.family)} 人")
    write_rows(
        Assessment,
        ("cadre_id", "year", "grade", "note"),
        ((cadres + r.cadre, r.year, r.grade, r.note) for r in data.assessments),
        count=len(data.assessments),
    )
    done(f"年度考核 {len(data.assessments)} 条")
    write_rows(
        RewardSanction,
        (
            "cadre_id",
            "kind",
            "name",
            "decided_on",
            "approving_body",
            "effective_until",
            "sanction_type",
            "reason",
        ),
        (
            (
                cadres + r.cadre,
                r.kind,
                r.name,
                r.decided_on,
                r.approving_body,
                r.effective_until,
                r.sanction_type,
                r.reason,
            )
            for r in data.rewards_sanctions
        ),
        count=len(data.rewards_sanctions),
    )
    write_rows(
        ReserveMembership,
        ("cadre_id", "level", "source", "start_date", "end_date", "end_reason"),
        ((cadres + r.cadre, r.level, r.source, r.start_date, r.end_date, r.end_reason) for r in data.reserve),
        count=len(data.reserve),
    )
    done(f"奖惩 {len(data.rewards_sanctions)} 条、后备干部 {len(data.reserve)} 条")
    return RegistryIds(units=units, posts=posts, cadres=cadres, documents=documents, items=items)
