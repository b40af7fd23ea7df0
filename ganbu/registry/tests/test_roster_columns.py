"""The roster's column catalogue and saved column sets: values computed without a query per cadre,
ID numbers only for roles that see them, sets saved and deleted by their owner only, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ganbu.core import pg_export
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry import roster_columns, selectors, services
from ganbu.registry.choices import AssessmentGrade, ReserveLevel
from ganbu.registry.models import Assessment, Cadre, RankRecord, ReserveMembership, RosterColumnSet
from ganbu.registry.tests.factories import CadreFactory

D = dt.date
ON = D(2026, 6, 1)


def _rows(keys, user):
    columns = roster_columns.chosen_columns(user, keys)
    return list(roster_columns.roster_rows(Cadre.objects.order_by("name"), columns, on=ON))


def test_computed_columns(officer, tree) -> None:
    cadre = CadreFactory(name="张三", unit=tree.finance, birth_date=D(1980, 7, 2), is_reserve=True)
    RankRecord.objects.create(cadre=cadre, rank="section", start_date=D(2019, 3, 1))
    ReserveMembership.objects.create(
        cadre=cadre, level=ReserveLevel.SECTION, source="推荐", start_date=D(2024, 1, 1)
    )
    Assessment.objects.create(cadre=cadre, year=2025, grade=AssessmentGrade.EXCELLENT)
    Assessment.objects.create(cadre=cadre, year=2020, grade=AssessmentGrade.EXCELLENT)
    keys = ["unit", "name", "age", "rank_since", "reserve", "reserve_level", "assessments", "post_since"]
    [row] = _rows(keys, officer)
    assert row == ("县财政局", "张三", 45, D(2019, 3, 1), "是", "正科级后备干部", "2025年优秀", None)


def test_queries_do_not_grow_with_the_number_of_cadres(officer, tree) -> None:
    keys = [c.key for c in roster_columns.COLUMNS]
    counts = []
    for n in (3, 30):
        Cadre.objects.all().delete()
        for _ in range(n):
            cadre = CadreFactory(unit=tree.finance)
            Assessment.objects.create(cadre=cadre, year=2025, grade=AssessmentGrade.COMPETENT)
        with CaptureQueriesContext(connection) as queries:
            assert len(_rows(keys, officer)) == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_id_numbers_only_for_roles_that_see_them(officer, make_user) -> None:
    committee = make_user("committee_member")
    assert "id_number" in [c.key for c in roster_columns.columns_for(officer)]
    assert "id_number" not in [c.key for c in roster_columns.columns_for(committee)]
    assert [c.key for c in roster_columns.chosen_columns(committee, ["id_number", "name", "x"])] == ["name"]


def test_chosen_columns_keep_the_order_given_once_each(officer) -> None:
    keys = ["unit", "name", "unit", "age"]
    assert [c.key for c in roster_columns.chosen_columns(officer, keys)] == ["unit", "name", "age"]


def test_save_replace_and_delete_a_column_set(officer, make_user) -> None:
    saved = services.roster_column_set_save(actor=officer, name=" 任前 公示 ", columns=["unit", "name", "zz"])
    assert (saved.name, saved.columns) == ("任前 公示", ["unit", "name"])
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.event_type, event.after["columns"]) == ("roster.column_set_saved", ["unit", "name"])
    again = services.roster_column_set_save(actor=officer, name="任前 公示", columns=["age"])
    assert again.pk == saved.pk and RosterColumnSet.objects.get().columns == ["age"]

    other = make_user("org_officer")
    assert list(selectors.roster_column_sets(user=other)) == []
    with pytest.raises(Http404):
        selectors.roster_column_set_get(user=other, column_set_id=saved.pk)
    with pytest.raises(ServiceError):
        services.roster_column_set_delete(actor=other, column_set_id=saved.pk)
    assert RosterColumnSet.objects.exists()

    services.roster_column_set_delete(actor=officer, column_set_id=saved.pk)
    assert not RosterColumnSet.objects.exists()
    assert AuditEvent.objects.order_by("-seq").first().event_type == "roster.column_set_deleted"


@pytest.mark.parametrize(("name", "columns"), [("", ["name"]), ("甲" * 51, ["name"]), ("空", ["nope"])])
def test_a_bad_column_set_is_refused_and_nothing_written(officer, name, columns) -> None:
    with pytest.raises(ServiceError):
        services.roster_column_set_save(actor=officer, name=name, columns=columns)
    assert not RosterColumnSet.objects.exists()


def test_rows_are_read_as_values_without_a_model_instance_per_cadre(officer, tree, monkeypatch) -> None:
    # Building a Cadre per row was half the export's time; the values are read as tuples instead.
    for n in range(3):
        CadreFactory(
            name=f"干部{n}", unit=tree.finance, political_status="cpc", party_join_date=D(2001, 7, 1)
        )

    def no_instances(*args, **kwargs):
        raise AssertionError("a model instance was built for an export row")

    monkeypatch.setattr(Cadre, "from_db", classmethod(no_instances))
    keys = [c.key for c in roster_columns.columns_for(officer)]
    rows = _rows(keys, officer)
    assert [r[0] for r in rows] == ["干部0", "干部1", "干部2"]


@pytest.mark.parametrize("status", ["cpc", "cpc_probationary", "democratic_party", "masses"])
def test_party_join_and_choice_labels_are_what_the_record_shows(officer, tree, status) -> None:
    cadre = CadreFactory(
        unit=tree.finance, political_status=status, party_join_date=D(2001, 7, 1), democratic_party="民革"
    )
    [row] = _rows(["party_join", "political_status", "gender", "rank", "leadership"], officer)
    shown = (cadre.party_text, cadre.get_political_status_display(), cadre.get_gender_display())
    assert row[:3] == shown and row[3] == (cadre.get_rank_display() if cadre.rank else "")
    assert row[4] == ("是" if cadre.is_leadership else "否")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_write_export_writes_a_file_and_counts_its_rows(officer, tree, fmt) -> None:
    for n in range(5):
        CadreFactory(name=f"干部{n}", unit=tree.finance)
    columns = roster_columns.chosen_columns(officer, ["name", "unit", "age"])
    out = io.BytesIO()
    count = roster_columns.write_export(out, Cadre.objects.order_by("name"), columns, on=ON, fmt=fmt)
    assert count == 5
    data = out.getvalue()
    assert data.startswith(b"PK" if fmt == "xlsx" else "\ufeff姓名,所在单位,年龄".encode())


AWKWARD_TEXTS = [
    "张三",
    "=1+1",
    '甲 & <乙> "丙"',
    "行一\n行二",
    "行一\r\n行二",
    " 前后空格 ",
    "\t制表开头",
    "控制\x01字符",
    "\x02=藏着的公式",
    "-5",
    "@SUM(A1)",
    "反\\斜杠",
    "\u3000全角空格开头",
    "逗号,分号;",
    "",
]


def _awkward_registry(tree) -> None:
    """Cadres whose every column has something awkward: nulls, 29 February, formula-like and
    escaped text, line breaks, control characters, Chinese, choices and rows in force."""
    births = [D(2000, 2, 29), D(1980, 7, 2), D(1979, 1, 1), D(2030, 1, 1)]
    statuses = ["cpc", "cpc_probationary", "democratic_party", "masses", "league"]
    for i, text in enumerate(AWKWARD_TEXTS):
        cadre = CadreFactory(
            name=text or "空",
            unit=tree.finance,
            birth_date=births[i % len(births)],
            gender="F" if i % 2 else "M",
            ethnicity=text,
            native_place=text,
            political_status=statuses[i % len(statuses)],
            party_join_date=None if i % 3 == 0 else D(2001, 7, 1),
            democratic_party=text if i % 2 else "",
            work_start_date=None if i % 2 else D(2002, 8, 1),
            current_post_text=text,
            ft_school=text,
            specialty=text,
            is_reserve=bool(i % 2),
            is_leadership=bool(i % 3),
        )
        if i % 2:
            RankRecord.objects.create(cadre=cadre, rank="section", start_date=D(2019, 3, 1))
            ReserveMembership.objects.create(
                cadre=cadre, level=ReserveLevel.SECTION, source="推荐", start_date=D(2024, 1, 1)
            )
            Assessment.objects.create(cadre=cadre, year=2025, grade=AssessmentGrade.EXCELLENT)
            Assessment.objects.create(cadre=cadre, year=2024, grade=AssessmentGrade.COMPETENT)


def _python_export(cadres, columns, fmt: str, on: dt.date) -> bytes:
    """The export as the Python writers make it from the rows computed in Python (the reference)."""
    from ganbu.core import csv_stream, xlsx

    rows = roster_columns.roster_rows(cadres, columns, on=on, in_sql=False)
    header = [c.header for c in columns]
    formats = [c.number_format for c in columns]
    if fmt == "csv":
        return b"".join(csv_stream.CsvStream(header=header, rows=rows, formats=formats))
    return b"".join(
        xlsx.table_stream(title="干部名册", header=header, rows=rows, formats=formats, notes="说明")
    )


def _cells(data: bytes) -> list[list[tuple]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return [
        [(c.coordinate, c.value, c.number_format, bool(c.quotePrefix)) for c in row]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
    ]


@pytest.mark.parametrize(("on", "filtered"), [(ON, False), (D(2027, 2, 28), True), (D(2028, 2, 29), False)])
def test_the_database_writes_the_same_export_as_python(officer, tree, on, filtered) -> None:
    """On PostgreSQL the cells are computed and written by the database (``COPY``, the rows in force
    joined): the CSV is the same bytes as Python's writer gives, the .xlsx reads back with the same
    cells, formats and quoted text, for every column (年龄 on and around 29 February included), in
    the list's order, filtered or not."""
    if connection.vendor != "postgresql":
        pytest.skip("the database writes the cells on PostgreSQL only")
    _awkward_registry(tree)
    columns = list(roster_columns.COLUMNS)
    cadres = Cadre.objects.order_by("pk")
    if filtered:
        cadres = Cadre.objects.exclude(gender="M").order_by("-name", "pk")
    stream = roster_columns.export_stream(cadres, columns, on=on, fmt="csv")
    assert b"".join(stream) == _python_export(cadres, columns, "csv", on)
    count = cadres.count()
    assert isinstance(stream.writer, pg_export.CsvCopy) and stream.rows_written == count
    stream = roster_columns.export_stream(cadres, columns, on=on, fmt="xlsx", notes="说明")
    data = b"".join(stream)
    assert stream.writer.xml_rows is not None and stream.rows_written == count
    assert _cells(data) == _cells(_python_export(cadres, columns, "xlsx", on))
