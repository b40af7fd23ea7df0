"""Importing 任免审批表 files: matching, preview, one transaction per file, audit, refusals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from ganbu.core.models import AuditEvent
from ganbu.interop.lrmx import FamilyMember, Record, write_lrm, write_lrmx, write_zip
from ganbu.interop.models import FormExtras
from ganbu.interop.selectors import lrmx_preview
from ganbu.interop.services import lrmx_import_batch, lrmx_import_file
from ganbu.registry.choices import AssessmentGrade, PoliticalStatus
from ganbu.registry.models import Assessment, Cadre, ResumeEntry
from ganbu.registry.models import FamilyMember as Relative
from ganbu.registry.tests.factories import CadreFactory

D = dt.date
ID_ZHANG = "110105197204150014"  # male, born 1972-04-15


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 10), (200, 30, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def zhang(**changes) -> Record:
    record = Record(
        name="张三",
        gender="男",
        birth="197204",
        ethnicity="汉族",
        native_place="山东乐陵",
        birthplace="山东乐陵",
        party="199405",
        work_start="199307",
        health="健康",
        ft_education="大学",
        ft_degree="经济学学士",
        ft_education_school="某某大学经济学专业",
        current_post="某某县财政局副局长",
        resume="1989.09--1993.07  某某大学经济学专业学习\n1993.07--         某某县财政局科员",
        rewards="2019年获县级嘉奖一次",
        assessments="2022年度考核称职；2023年度考核优秀。",
        family=(
            FamilyMember("妻子", "李某", "197503", "中共党员", "某某县第一中学教师"),
            FamilyMember("父亲", "张某", "194501", "群众", "已去世"),
        ),
        filled_by="王科员",
        fill_date="20250301",
        calc_date="20250301",
        id_number=ID_ZHANG,
        photo=_jpeg(),
        version="3.2.1.6",
        extra=(("ZiDingYi", "某值"),),
    )
    return record.with_changes(**changes)


def lrmx(**changes) -> bytes:
    return write_lrmx(zhang(**changes))


@pytest.mark.django_db
def test_a_new_file_creates_the_cadre_with_resume_family_assessments_photo_and_audit(officer, tree):
    [outcome] = lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    assert outcome.outcome == "created", outcome.message
    cadre = Cadre.objects.get(pk=outcome.cadre_id)
    assert cadre.unit == tree.finance
    assert cadre.birth_date == D(1972, 4, 15)  # the full date from the ID number
    assert cadre.political_status == PoliticalStatus.CPC and cadre.party_join_date == D(1994, 5, 1)
    assert cadre.current_post_text == "某某县财政局副局长"
    assert [e.text for e in ResumeEntry.objects.filter(cadre=cadre).order_by("sort_order")] == [
        "某某大学经济学专业学习",
        "某某县财政局科员",
    ]
    assert list(Relative.objects.filter(cadre=cadre).values_list("relation", flat=True)) == ["妻子", "父亲"]
    assert dict(Assessment.objects.filter(cadre=cadre).values_list("year", "grade")) == {
        2022: AssessmentGrade.COMPETENT,
        2023: AssessmentGrade.EXCELLENT,
    }
    assert cadre.photo and cadre.photo.read() == zhang().photo
    extras = FormExtras.objects.get(cadre=cadre)
    assert extras.filled_by == "王科员" and extras.version == "3.2.1.6"
    assert extras.kept["rewards"]["file"] == "2019年获县级嘉奖一次"
    event = AuditEvent.objects.get(event_type="interop.lrmx_imported")
    assert event.cadre_id == cadre.pk and "张三.lrmx" in event.reason
    assert event.after["filename"] == "张三.lrmx"


@pytest.mark.django_db
def test_matching_by_id_number_updates_and_replaces_resume_and_family(officer, tree):
    lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    changed = lrmx(
        health="一般", resume="1993.07--         某某县财政局副局长", family=(), work_start="199308"
    )
    [preview] = lrmx_preview(user=officer, files=[("张三2.lrmx", changed)])
    assert preview.outcome == "update"
    labels = {d["label"]: d for d in preview.diffs}
    assert labels["健康状况"]["current"] == "健康" and labels["健康状况"]["incoming"] == "一般"
    # Months as the form prints them, not as the file stores them.
    assert (labels["参加工作时间"]["current"], labels["参加工作时间"]["incoming"]) == ("1993.07", "1993.08")
    assert "删除 1 行" in labels["简历"]["summary"] and "修改 1 行" in labels["简历"]["summary"]
    assert labels["家庭主要成员及重要社会关系"]["summary"] == "删除 2 行"
    [outcome] = lrmx_import_batch(actor=officer, files=[("张三2.lrmx", changed)], unit_id=None)
    assert outcome.outcome == "updated"
    cadre = Cadre.objects.get(id_number=ID_ZHANG)
    assert cadre.health == "一般"
    assert ResumeEntry.objects.filter(cadre=cadre).count() == 1
    assert not Relative.objects.filter(cadre=cadre).exists()
    assert Cadre.objects.count() == 1


@pytest.mark.django_db
def test_the_same_file_again_is_unchanged_and_writes_nothing(officer, tree):
    lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    events = AuditEvent.objects.count()
    [preview] = lrmx_preview(user=officer, files=[("张三.lrmx", lrmx())])
    assert preview.outcome == "unchanged", preview.diffs
    [outcome] = lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=None)
    assert outcome.outcome == "unchanged"
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_our_own_export_of_another_day_comes_back_unchanged(officer, tree):
    """计算年龄时间 and 填表时间 are the day a file was made: re-importing an export of a cadre entered
    by hand (no file behind it, so the export carries that day) changes nothing."""
    from ganbu.interop.mapping import cadre_to_record

    cadre = CadreFactory(
        name="李四", unit=tree.finance, id_number="110105198001010032", birth_date=D(1980, 1, 1)
    )
    exported = cadre_to_record(cadre).with_changes(calc_date="20200101", fill_date="20200101")
    [preview] = lrmx_preview(user=officer, files=[("李四.lrmx", write_lrmx(exported))])
    assert preview.outcome == "unchanged", (preview.error, preview.diffs)


@pytest.mark.django_db
def test_name_and_birth_month_need_a_confirmation_never_an_automatic_merge(officer, tree):
    existing = CadreFactory(unit=tree.finance, name="张三", birth_date=D(1972, 4, 3))
    data = lrmx(id_number="")
    [preview] = lrmx_preview(user=officer, files=[("张三.lrmx", data)])
    assert preview.outcome == "confirm"
    assert preview.candidates == [{"id": existing.pk, "name": "张三", "unit": "县财政局"}]
    [outcome] = lrmx_import_batch(actor=officer, files=[("张三.lrmx", data)], unit_id=tree.finance.pk)
    assert outcome.outcome == "confirm"
    assert Cadre.objects.count() == 1 and not ResumeEntry.objects.exists()
    [done] = lrmx_import_batch(
        actor=officer, files=[("张三.lrmx", data)], unit_id=None, confirmations={"张三.lrmx": existing.pk}
    )
    assert done.outcome == "updated" and done.cadre_id == existing.pk
    existing.refresh_from_db()
    assert existing.birth_date == D(1972, 4, 3)  # the registry knows the day: kept
    # "A different person": 0 creates a new cadre.
    other = lrmx_import_file(
        actor=officer, filename="张三.lrmx", data=data, cadre_id=0, unit_id=tree.finance.pk
    )
    assert other.outcome == "created"
    assert Cadre.objects.filter(name="张三").count() == 2


@pytest.mark.django_db
def test_a_name_match_with_a_bad_id_number_is_refused_not_offered(officer, tree):
    CadreFactory(unit=tree.finance, name="张三", birth_date=D(1972, 4, 3))
    [preview] = lrmx_preview(user=officer, files=[("张三.lrmx", lrmx(id_number="11010519720415001X"))])
    assert preview.outcome == "refused" and "校验码" in preview.error and preview.candidates == []


@pytest.mark.django_db
def test_preview_writes_nothing(officer, tree):
    before = (Cadre.objects.count(), AuditEvent.objects.count(), FormExtras.objects.count())
    [preview] = lrmx_preview(user=officer, files=[("张三.lrmx", lrmx())])
    assert preview.outcome == "new"
    assert (Cadre.objects.count(), AuditEvent.objects.count(), FormExtras.objects.count()) == before
    restored = type(preview).from_json(preview.as_json())
    assert restored == preview


@pytest.mark.django_db
def test_a_failing_file_writes_nothing_and_the_others_are_written(officer, tree):
    bad_id = lrmx(name="李四", id_number="11010519720415001X")  # check character wrong
    future = lrmx(name="王五", id_number="", birth="209901")
    files = [
        ("李四.lrmx", bad_id),
        ("坏.lrmx", b"<Person><XingMing>"),
        ("王五.lrmx", future),
        ("张三.lrmx", lrmx()),
    ]
    outcomes = {o.filename: o for o in lrmx_import_batch(actor=officer, files=files, unit_id=tree.finance.pk)}
    assert outcomes["张三.lrmx"].outcome == "created"
    assert outcomes["李四.lrmx"].outcome == "refused" and "校验码" in outcomes["李四.lrmx"].message
    assert outcomes["王五.lrmx"].outcome == "refused" and "出生" in outcomes["王五.lrmx"].message
    assert outcomes["坏.lrmx"].outcome == "refused" and outcomes["坏.lrmx"].message
    assert list(Cadre.objects.values_list("name", flat=True)) == ["张三"]
    assert AuditEvent.objects.filter(event_type="interop.lrmx_imported").count() == 1


@pytest.mark.django_db
def test_a_duplicate_id_number_in_a_batch_refuses_both_naming_the_other(officer, tree):
    files = [
        ("甲.lrmx", lrmx()),
        ("乙.lrmx", lrmx(name="张叁")),
        ("丙.lrmx", lrmx(name="李四", id_number="")),
    ]
    outcomes = {o.filename: o for o in lrmx_import_batch(actor=officer, files=files, unit_id=tree.finance.pk)}
    assert outcomes["甲.lrmx"].outcome == "refused" and "乙.lrmx" in outcomes["甲.lrmx"].message
    assert outcomes["乙.lrmx"].outcome == "refused" and "甲.lrmx" in outcomes["乙.lrmx"].message
    assert outcomes["丙.lrmx"].outcome == "created"
    assert not Cadre.objects.filter(id_number=ID_ZHANG).exists()


@pytest.mark.django_db
def test_out_of_scope_cadres_are_refused_without_being_revealed(tree, make_user, officer):
    lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.town.pk)
    CadreFactory(unit=tree.town, name="李四", birth_date=D(1975, 4, 1))
    unit_officer = make_user("unit_officer", scope_unit=tree.finance)
    files = [
        ("张三.lrmx", lrmx(health="一般")),
        ("李四.lrmx", lrmx(name="李四", birth="197504", id_number="")),
    ]
    previews = {p.filename: p for p in lrmx_preview(user=unit_officer, files=files)}
    assert previews["张三.lrmx"].outcome == "refused"
    assert "城关镇" not in previews["张三.lrmx"].error and previews["张三.lrmx"].cadre_id is None
    assert previews["李四.lrmx"].outcome == "new"  # the other unit's 李四 is not offered
    outcomes = lrmx_import_batch(actor=unit_officer, files=files[:1], unit_id=tree.finance.pk)
    assert outcomes[0].outcome == "refused"
    assert Cadre.objects.get(id_number=ID_ZHANG).health == "健康"


@pytest.mark.django_db
def test_a_new_cadre_needs_a_unit_in_scope_and_the_edit_capability(tree, make_user):
    unit_officer = make_user("unit_officer", scope_unit=tree.finance)
    [outside] = lrmx_import_batch(actor=unit_officer, files=[("张三.lrmx", lrmx())], unit_id=tree.town.pk)
    assert outside.outcome == "refused" and "管理范围" in outside.message
    leader = make_user("org_leader")
    [refused] = lrmx_import_batch(actor=leader, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    assert refused.outcome == "refused" and "不能导入" in refused.message
    [no_unit] = lrmx_import_batch(actor=unit_officer, files=[("张三.lrmx", lrmx())], unit_id=None)
    assert no_unit.outcome == "refused" and "单位" in no_unit.message
    assert not Cadre.objects.exists()


@pytest.mark.django_db
def test_lrm_with_its_pic_and_a_zip(officer, tree):
    lrm, pic = write_lrm(zhang(id_number="", extra=(), version=""))
    outcome = lrmx_import_file(
        actor=officer, filename="张三.lrm", data=lrm, pic=pic, unit_id=tree.finance.pk, source="测试"
    )
    assert outcome.outcome == "created", outcome.message
    cadre = Cadre.objects.get(pk=outcome.cadre_id)
    assert cadre.photo.read() == pic
    archive = write_zip([("李四.lrmx", lrmx(name="李四", id_number=""))])
    [zipped] = lrmx_import_batch(actor=officer, files=[("批量.zip", archive)], unit_id=tree.finance.pk)
    assert zipped.outcome == "created"


@pytest.mark.django_db
def test_the_audit_trail_shows_the_import_in_chinese(officer, tree):
    from ganbu.core.audit_display import describe_events

    labels = {"interop.lrmx_imported": "导入任免审批表文件"}
    lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    [row] = describe_events(
        list(AuditEvent.objects.filter(event_type="interop.lrmx_imported")), labels, user=officer
    )
    shown = {d.label for d in row.diff}
    assert {"文件名", "简历条目", "家庭成员", "年度考核", "姓名"} <= shown
    assert all(not label.isascii() for label in shown), shown


@pytest.mark.django_db
def test_the_public_empty_templates_are_refused_as_empty_without_error(officer, tree):
    from pathlib import Path

    shared = Path(__file__).resolve().parents[3].parent / "shared" / "lrmx-samples"
    names = ["ProfileEditor__templates_blank.xml", "owip__rm.xml"]
    files = [(n.replace(".xml", ".lrmx"), (shared / n).read_bytes()) for n in names if (shared / n).exists()]
    files = files or [("空白.lrmx", write_lrmx(Record()))]
    for preview in lrmx_preview(user=officer, files=files):
        assert preview.outcome == "refused" and "空白" in preview.error, preview
    assert not Cadre.objects.exists()


@pytest.mark.django_db
def test_what_a_file_cannot_say_is_neither_a_difference_nor_erased(officer, tree):
    lrmx_import_batch(actor=officer, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    lrm, pic = write_lrm(zhang())
    [preview] = lrmx_preview(user=officer, files=[("张三.lrm", lrm), ("张三.pic", pic)])
    assert preview.outcome == "confirm"  # a .lrm has no ID number: matched by name and birth month
    cadre = Cadre.objects.get(id_number=ID_ZHANG)
    [done] = lrmx_import_batch(
        actor=officer,
        files=[("张三.lrm", lrm), ("张三.pic", pic)],
        unit_id=None,
        confirmations={"张三.lrm": cadre.pk},
    )
    assert done.outcome == "unchanged", done.message
    extras = FormExtras.objects.get(cadre=cadre)
    assert extras.version == "3.2.1.6" and extras.unknown_elements == [["ZiDingYi", "某值"]]
    cadre.refresh_from_db()
    assert cadre.id_number == ID_ZHANG


@pytest.mark.django_db
def test_a_new_cadre_stays_visible_to_an_officer_limited_to_some_authorities(tree, make_user):
    from ganbu.core.access import cadres_for

    limited = make_user("unit_officer", scope_unit=tree.finance, scope_authorities=["unit"])
    [outcome] = lrmx_import_batch(actor=limited, files=[("张三.lrmx", lrmx())], unit_id=tree.finance.pk)
    assert outcome.outcome == "created"
    assert cadres_for(limited).filter(pk=outcome.cadre_id).exists()


@pytest.mark.django_db
def test_the_preview_takes_a_fixed_number_of_queries(officer, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ganbu.rules.idcard import check_char

    def person(n: int) -> tuple[str, bytes]:
        first17 = f"11010519720415{n * 2 + 1:03d}"
        return (f"{n}.lrmx", lrmx(name=f"张{n}", id_number=first17 + check_char(first17)))

    files = [person(n) for n in range(12)]
    lrmx_import_batch(actor=officer, files=files, unit_id=tree.finance.pk)
    changed = [(name, data.replace("健康".encode(), "一般".encode())) for name, data in files]
    with CaptureQueriesContext(connection) as one:
        lrmx_preview(user=officer, files=changed[:1])
    with CaptureQueriesContext(connection) as twelve:
        previews = lrmx_preview(user=officer, files=changed)
    assert {p.outcome for p in previews} == {"update"}
    assert len(twelve.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_the_hostile_corpus_is_refused_file_by_file_and_writes_nothing(officer, tree):
    """Issue 12 §6 through the import itself: every hostile or broken file — XXE, billion laughs,
    truncated XML, a GBK file labelled UTF-8, a 30 MB photo, a wrong root element, a zip bomb, a
    duplicate ID number — is refused with its Chinese reason, nothing is written, and the good file
    of the same batch still is."""
    from pathlib import Path

    from ganbu.interop.tests.lrmx_hostile_files import lrmx_with_photo, zip_bomb
    from ganbu.interop.tests.test_lrmx_hostile import EXPECTED

    hostile = Path(__file__).parent / "corpus" / "hostile"
    files = [(name, (hostile / name).read_bytes()) for name in sorted(EXPECTED)]
    files += [
        ("大照片.lrmx", lrmx_with_photo(b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024))),
        ("炸弹.zip", zip_bomb()),
        ("张三甲.lrmx", lrmx(name="张三甲")),
        ("张三乙.lrmx", lrmx(name="张三乙")),  # the same ID number as 张三甲
        ("王五.lrmx", lrmx(name="王五", id_number="110105197204150030")),
    ]
    cadres, events = Cadre.objects.count(), AuditEvent.objects.count()
    outcomes = lrmx_import_batch(actor=officer, files=files, unit_id=tree.finance.pk)
    by_name = {o.filename: o for o in outcomes}
    for name, message in EXPECTED.items():
        assert (by_name[name].outcome, by_name[name].message) == ("refused", message)
    refused = [o for o in outcomes if o.outcome == "refused"]
    assert {o.filename for o in outcomes if o.outcome == "created"} == {"王五.lrmx"}
    assert all(o.message and not o.message.isascii() for o in refused)  # a Chinese reason each
    assert any("身份证号" in o.message for o in refused if o.filename.startswith("张三"))
    assert Cadre.objects.count() == cadres + 1
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.django_db
def test_namesakes_born_in_other_months_are_not_read_as_whole_records(officer, tree, monkeypatch):
    """A common name matches thousands of cadres in a province: only those born in the file's month
    (the candidates) are read with their whole record, and the candidates stay the same."""
    from ganbu.interop import selectors

    existing = CadreFactory(unit=tree.finance, name="张三", birth_date=D(1972, 4, 3))
    for month in (1, 2, 3, 5, 6, 7):
        CadreFactory(unit=tree.finance, name="张三", birth_date=D(1972, month, 3))
    read: list[int] = []
    with_record = selectors.cadres_with_record

    def spy(qs):
        read.extend(qs.values_list("pk", flat=True))
        return with_record(qs)

    monkeypatch.setattr(selectors, "cadres_with_record", spy)
    [preview] = lrmx_preview(user=officer, files=[("张三.lrmx", lrmx(id_number=""))])
    assert preview.outcome == "confirm"
    assert preview.candidates == [{"id": existing.pk, "name": "张三", "unit": "县财政局"}]
    assert read == [existing.pk]
