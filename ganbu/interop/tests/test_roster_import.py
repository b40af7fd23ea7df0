"""The Excel cadre import: template round trip, per-row messages in Chinese, preview, all-or-nothing write."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ganbu.core.audit_display import describe_events
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.interop.roster.reader import read_roster
from ganbu.interop.roster.services import EVENT, roster_import
from ganbu.interop.roster.template import roster_template
from ganbu.interop.roster.validate import CONFIRM, NEW, UNCHANGED, UPDATE, confirmed, plan_rows
from ganbu.registry.choices import Education, PoliticalStatus
from ganbu.registry.models import Cadre
from ganbu.registry.services import cadre_create

from .roster_helpers import HEADER, edit, id_number, plan_of, row, sheet

D = dt.date


def _errors(user, data: bytes) -> list[str]:
    """The messages refusing a file (read, then planned)."""
    try:
        plan = plan_of(user, data)
    except ServiceError as exc:
        return list(exc.messages)
    return plan.errors


def _import(user, data: bytes, filename: str = "干部.xlsx", choices=None):
    plan = plan_of(user, data)
    assert plan.errors == []
    rows = confirmed(plan, choices or {})
    return roster_import(actor=user, rows=rows, filename=filename, unchanged=plan.counts()[UNCHANGED])


@pytest.fixture
def stored(tree, officer):
    """Two cadres with ID numbers and full records, one without an ID number."""
    first = cadre_create(
        actor=officer,
        data={
            "name": "王建国",
            "gender": "M",
            "birth_date": D(1975, 4, 12),
            "id_number": id_number(D(1975, 4, 12), 3),
            "native_place": "山东乐陵",
            "birthplace": "山东乐陵",
            "political_status": PoliticalStatus.CPC,
            "party_join_date": D(1998, 7, 15),
            "work_start_date": D(1997, 8, 1),
            "ft_education": Education.UNIVERSITY,
            "ft_degree": "经济学学士",
            "ft_school": '=HYPERLINK("http://x","点此")',
            "unit": tree.finance,
        },
    )
    second = cadre_create(
        actor=officer,
        data={
            "name": "李红",
            "gender": "F",
            "birth_date": D(1982, 11, 3),
            "id_number": id_number(D(1982, 11, 3), 4, male=False),
            "native_place": "河北献县",
            "political_status": PoliticalStatus.MASSES,
            "unit": tree.station,
        },
    )
    third = cadre_create(
        actor=officer,
        data={
            "name": "赵无号",
            "gender": "M",
            "birth_date": D(1990, 1, 2),
            "native_place": "示例县",
            "unit": tree.town,
        },
    )
    return first, second, third


def test_the_prefilled_template_reimports_with_no_change(officer, stored):
    data = roster_template(user=officer, cadres=Cadre.objects.order_by("pk"))
    plan = plan_of(officer, data)
    assert plan.errors == []
    assert [r.kind for r in plan.rows] == [UNCHANGED, UNCHANGED, UNCHANGED]
    assert plan.as_json()["rows"] == []


def test_the_blank_template_has_the_columns_lists_and_notes(officer, tree):
    data = roster_template(user=officer)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["干部信息", "代码表", "说明"]
    sheet_ = book["干部信息"]
    header = [c.value for c in sheet_[1]]
    assert header[:4] == ["姓名", "性别", "身份证号", "出生日期"] and "所在单位" in header
    assert book["代码表"].sheet_state == "hidden"
    lists = {str(dv.sqref): dv.formula1 for dv in sheet_.data_validations.dataValidation}
    assert len(lists) == 8  # 性别 政治面貌 两个学历 所在单位 状态 干部类别 干部管理权限
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in book["代码表"].iter_cols()}
    assert columns["性别"] == ["男", "女"]
    assert "县财政局" in columns["所在单位"] and "第一林业站" in columns["所在单位"]
    notes = " ".join(str(c.value) for r in book["说明"].iter_rows() for c in r if c.value)
    assert "身份证号" in notes and "全部成功或全部不导入" in notes
    # The blank template is refused as empty, not as broken.
    assert _errors(officer, data) == ["表中只有表头，没有干部信息。"]


def test_formula_like_text_stays_text_both_ways(officer, stored):
    first = stored[0]
    data = roster_template(user=officer, cadres=[first])
    book = load_workbook(io.BytesIO(data))
    header = [c.value for c in book["干部信息"][1]]
    cell = book["干部信息"].cell(row=2, column=header.index("全日制院校及专业") + 1)
    assert cell.data_type == "s" and cell.value == first.ft_school
    changed = edit(data, {(2, "专业技术职务"): "=1+1"})
    _import(officer, changed)
    first.refresh_from_db()
    assert first.professional_title == "=1+1"


def test_an_update_shows_differences_then_writes_only_them(officer, stored):
    first = stored[0]
    data = roster_template(user=officer, cadres=[first])
    changed = edit(data, {(2, "籍贯"): "山东德州", (2, "入党时间"): "1998.07", (2, "所在单位"): "县林业局"})
    plan = plan_of(officer, changed)
    assert [r.kind for r in plan.rows] == [UPDATE]
    # 1998.07 is the stored month (the 15th is kept); the two real changes are listed.
    assert plan.rows[0].diffs == [("籍贯", "山东乐陵", "山东德州"), ("所在单位", "县财政局", "县林业局")]
    assert Cadre.objects.get(pk=first.pk).native_place == "山东乐陵"  # the preview wrote nothing
    outcome = _import(officer, changed, filename="六月.xlsx")
    first.refresh_from_db()
    assert first.native_place == "山东德州" and first.unit.name == "县林业局"
    assert first.party_join_date == D(1998, 7, 15)
    assert [u["id"] for u in outcome.updated] == [first.pk] and outcome.created == []
    summary = AuditEvent.objects.get(event_type=EVENT)
    assert summary.after == {"filename": "六月.xlsx", "created": 0, "updated": 1, "unchanged": 0}
    edits = AuditEvent.objects.filter(event_type="cadre.updated", cadre_id=first.pk).get()
    assert "六月.xlsx" in edits.reason and set(edits.after) >= {"native_place", "unit"}
    # The audit page shows the summary in the officer's words.
    (shown,) = describe_events([summary], {EVENT: "Excel 导入干部信息"}, user=officer)
    assert sorted(d.label for d in shown.diff) == sorted(["文件名", "新建", "更新", "无变化"])


def test_a_new_cadre_is_created_with_defaults(officer, tree):
    data = sheet([row("孙新人", D(1995, 3, 4), "城关镇", seq=7)])
    plan = plan_of(officer, data)
    assert [r.kind for r in plan.rows] == [NEW]
    assert ("姓名", "", "孙新人") in plan.rows[0].diffs
    _import(officer, data)
    cadre = Cadre.objects.get(name="孙新人")
    assert cadre.unit == tree.town and cadre.ethnicity == "汉族" and cadre.health == "健康"
    assert cadre.party_join_date == D(2020, 6, 1) and cadre.id_number == id_number(D(1995, 3, 4), 7)


BAD_ROWS = [
    ({"出生日期": "1980-13-01"}, "第 2 行「出生日期」：“1980-13-01”不是日期，请按 1980-01-01 的格式填写。"),
    ({"出生日期": D(1880, 1, 1), "身份证号": ""}, "第 2 行「出生日期」："),
    ({"身份证号": "110101199001011230"}, "第 2 行「身份证号」：身份证号校验码错误"),
    ({"身份证号": 110101199001011234}, "第 2 行「身份证号」：身份证号被 Excel 存成了数字"),
    ({"性别": "未知"}, "第 2 行「性别」：“未知”不在可选范围内，可填：男、女。"),
    ({"性别": "女"}, "第 2 行「性别」：性别与身份证号不一致"),
    ({"政治面貌": "党外"}, "第 2 行「政治面貌」：“党外”不在可选范围内"),
    ({"入党时间": "去年"}, "第 2 行「入党时间」：“去年”不是年月"),
    ({"入党时间": 2015.1}, "第 2 行「入党时间」：2015.1 被 Excel 存成了数字，看不出是 1 月还是 10 月"),
    ({"所在单位": "火星局"}, "第 2 行「所在单位」：“火星局”不是您管理范围内的单位"),
    ({"籍贯": ""}, "第 2 行「籍贯」：新增干部须填写籍贯。"),
    ({"姓名": "张" * 51}, "第 2 行「姓名」：“张张张张张张张张张张张张张张张张张张张张…”超过 50 个字。"),
    (
        {"出生日期": D(1991, 1, 1)},
        "第 2 行「出生日期」：出生日期 1991-01-01 与身份证号中的出生日期 1990-01-01 不一致。",
    ),
    ({"参加工作时间": "1992.01"}, "第 2 行「参加工作时间」："),
    ({"入党时间": "2005.06"}, "第 2 行「入党时间」："),
]


@pytest.mark.parametrize(
    ("change", "message"), BAD_ROWS, ids=[m.split("：")[0][-6:] + str(i) for i, (_, m) in enumerate(BAD_ROWS)]
)
def test_each_bad_row_gives_its_chinese_message_and_writes_nothing(officer, tree, change, message):
    values = dict(zip(HEADER, row("钱错误", D(1990, 1, 1), "县财政局"), strict=True))
    values.update(change)
    data = sheet([[values[h] for h in HEADER]])
    errors = _errors(officer, data)
    assert len(errors) >= 1 and any(e.startswith(message) for e in errors), errors
    assert all(e.startswith("第 2 行") for e in errors), errors
    assert not Cadre.objects.exists()


def test_a_unit_outside_the_users_scope_is_refused(make_user, tree):
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    data = sheet([row("钱外单位", D(1990, 1, 1), "县财政局")])
    assert _errors(forestry_officer, data)[0].startswith(
        "第 2 行「所在单位」：“县财政局”不是您管理范围内的单位"
    )


def test_a_cadre_outside_the_users_scope_is_not_updated(make_user, officer, stored):
    forestry_officer = make_user("unit_officer", scope_unit=tree_of(stored).forestry)
    first = stored[0]
    data = sheet([row("王建国", first.birth_date, "第一林业站", seq=3)])
    assert _errors(forestry_officer, data) == [
        f"第 2 行「身份证号」：{first.id_number} 已登记给不在您管理范围内的一名干部，不能在这里修改。"
    ]


def tree_of(stored):
    """The tree of the stored cadres' units (the forestry bureau)."""
    from ganbu.registry.models import Unit

    class _T:
        forestry = Unit.objects.get(name="县林业局")

    return _T


def test_the_same_id_number_twice_in_a_file_is_refused(officer, tree):
    data = sheet([row("周一", D(1990, 1, 1), "县财政局"), row("周一", D(1990, 1, 1), "县财政局")])
    assert _errors(officer, data) == [
        f"第 3 行「身份证号」：{id_number(D(1990, 1, 1))} 与第 2 行重复：同一人只能有一行。"
    ]


def test_header_problems_are_named(officer, tree):
    data = sheet([["张三", "男"]], header=["名字", "性别"])
    assert _errors(officer, data) == [
        "第 1 行（表头）缺少“姓名”列。",
        "第 1 行（表头）缺少“身份证号”列或“出生日期”列：至少要有一列，才能确定每行是哪名干部。",
    ]
    twice = sheet([["张三", "张三"]], header=["姓名", "姓名", "出生日期"])
    assert _errors(officer, twice) == ["第 1 行（表头）：“姓名”列出现了两次（A 列和 B 列）。"]


def test_unknown_columns_are_reported_and_order_is_free(officer, tree):
    header = ["备注", *reversed(HEADER)]
    values = row("吴乱序", D(1990, 1, 1), "县财政局")
    data = sheet([["随便写", *reversed(values)]], header=header)
    plan = plan_of(officer, data)
    assert plan.errors == [] and plan.rows[0].kind == NEW
    assert "以下列不是模板中的列，没有读取：备注。" in plan.notices


def test_one_bad_row_among_fifty_writes_nothing(officer, tree):
    rows = [row(f"测{n:02d}", D(1980, 1, 1) + dt.timedelta(days=n), "县财政局", seq=n) for n in range(50)]
    rows[37][HEADER.index("籍贯")] = ""
    data = sheet(rows)
    assert _errors(officer, data) == ["第 39 行「籍贯」：新增干部须填写籍贯。"]
    # Even when the service is handed the 49 good rows and one refused at write time, nothing is written.
    good = sheet(rows[:37] + rows[38:])
    plan = plan_of(officer, good)
    bad = plan.rows[10]
    bad.data = {**bad.data, "birth_date": D(1850, 1, 1)}
    with pytest.raises(ServiceError) as refused:
        roster_import(actor=officer, rows=confirmed(plan, {}), filename="x.xlsx")
    assert refused.value.messages[0].startswith("第 12 行")
    assert not Cadre.objects.exists()
    assert not AuditEvent.objects.filter(event_type__in=[EVENT, "cadre.created"]).exists()


def test_preview_writes_nothing(officer, stored):
    before = list(Cadre.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    data = roster_template(user=officer, cadres=Cadre.objects.order_by("pk"))
    changed = edit(data, {(2, "籍贯"): "山东德州"})
    extra = sheet([row("新来的", D(1993, 2, 2), "县财政局", seq=9)])
    plan_of(officer, changed)
    plan_of(officer, extra)
    assert list(Cadre.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events


def test_a_name_and_birth_match_without_id_number_asks_for_confirmation(officer, stored):
    third = stored[2]
    data = sheet([["赵无号", "男", "", D(1990, 1, 2), "示例县", "中共党员", "", "2012.07", "城关镇"]])
    plan = plan_of(officer, data)
    assert [r.kind for r in plan.rows] == [CONFIRM]
    assert [c.id for c in plan.rows[0].candidates] == [third.pk]
    # Confirmed as the stored cadre: updated with the row's cells.
    _import(officer, data, choices={"2": str(third.pk)})
    third.refresh_from_db()
    assert third.work_start_date == D(2012, 7, 1)
    assert Cadre.objects.filter(name="赵无号").count() == 1


def test_a_name_and_birth_match_confirmed_as_another_person_is_new(officer, stored):
    data = sheet([["赵无号", "男", "", D(1990, 1, 2), "示例县", "中共党员", "", "2012.07", "城关镇"]])
    _import(officer, data, choices={"2": "new"})
    assert Cadre.objects.filter(name="赵无号").count() == 2


def test_read_only_columns_are_not_read(officer, stored):
    data = roster_template(user=officer, cadres=[stored[0]])
    changed = edit(data, {(2, "现任职务"): "县长", (2, "现职级"): "正科级"})
    plan = plan_of(officer, changed)
    assert [r.kind for r in plan.rows] == [UNCHANGED]
    assert any("“现任职务”“现职级”由任免文件产生" in n for n in plan.notices)


def test_reader_takes_dates_in_the_usual_spellings(officer, tree):
    for text in ("1990-01-01", "1990/1/1", "1990.01.01", "1990年1月1日", "19900101"):
        values = row("郑日期", D(1990, 1, 1), "县财政局", 出生日期=text)
        assert read_roster(sheet([values])).rows[0].values["birth_date"] == D(1990, 1, 1)


def test_plan_rows_without_checks_still_finds_the_unit(officer, tree):
    plan = plan_rows(
        user=officer, sheet=read_roster(sheet([row("冯单位", D(1990, 1, 1), "县林业局")])), check=False
    )
    assert plan.rows[0].data["unit"] == tree.forestry


def test_the_prefilled_template_takes_a_fixed_number_of_queries(officer, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ganbu.registry.selectors import cadre_list

    def queries(count: int) -> int:
        for n in range(count - Cadre.objects.count()):
            Cadre.objects.create(
                name=f"数{n}", gender="M", birth_date=D(1980, 1, 1), native_place="示例县", unit=tree.finance
            )
        with CaptureQueriesContext(connection) as captured:
            roster_template(user=officer, cadres=cadre_list(user=officer))
        return len(captured)

    assert queries(2) == queries(12)


def test_a_unit_officers_prefilled_template_holds_only_their_cadres(make_user, officer, stored):
    from ganbu.registry.selectors import cadre_list

    forestry_officer = make_user("unit_officer", scope_unit=tree_of(stored).forestry)
    data = roster_template(user=forestry_officer, cadres=cadre_list(user=forestry_officer))
    names = [c.value for c in load_workbook(io.BytesIO(data))["干部信息"]["A"][1:]]
    assert names == ["李红"]
    columns = {
        col[0].value: [c.value for c in col[1:]]
        for col in load_workbook(io.BytesIO(data))["代码表"].iter_cols()
    }
    assert set(columns["所在单位"]) - {None} == {"县林业局", "第一林业站"}


def test_a_formula_whose_saved_result_is_an_error_names_its_cell(officer, tree):
    data = sheet([row("错公式", D(1990, 1, 1), "县财政局")])
    book = load_workbook(io.BytesIO(data))
    cell = book["干部信息"]["E2"]  # 籍贯
    cell.value, cell.data_type = "#N/A", "e"
    out = io.BytesIO()
    book.save(out)
    errors = _errors(officer, out.getvalue())
    assert errors[0] == "第 2 行「籍贯」：E2 单元格的公式结果是错误值“#N/A”，请改正公式或直接填入内容。"
    assert not Cadre.objects.exists()
