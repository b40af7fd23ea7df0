"""Cadre, unit and quota services: derived fields, ID numbers, scope and audit events."""

from __future__ import annotations

import datetime as dt

import pytest

from ganbu.core.audit import audit_verify
from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.registry.choices import Education, PostKind, UnitKind
from ganbu.registry.models import Cadre, Quota, Unit
from ganbu.registry.services import cadre_create, cadre_update, quota_set, unit_create, unit_update
from ganbu.registry.tests.factories import CadreFactory

from .conftest import cadre_data, id_number, written_state

D = dt.date


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


# ---------------------------------------------------------------- cadre_create


def test_cadre_create_derives_pinyin_and_highest_education(officer, tree) -> None:
    cadre = cadre_create(
        actor=officer,
        data=cadre_data(
            tree.finance,
            name=" 张 三 ",
            ft_education=Education.UNIVERSITY,
            ip_education=Education.POSTGRADUATE,
        ),
    )
    cadre.refresh_from_db()
    assert cadre.name == "张三"
    assert (cadre.name_pinyin, cadre.name_initials) == ("zhangsan", "zs")
    assert cadre.highest_education == Education.POSTGRADUATE


def test_cadre_create_reads_surnames_as_surnames(officer, tree) -> None:
    shan = cadre_create(actor=officer, data=cadre_data(tree.finance, name="单田芳"))
    zeng = cadre_create(actor=officer, data=cadre_data(tree.finance, name="曾国藩"))
    assert (shan.name_pinyin, shan.name_initials) == ("shantianfang", "stf")
    assert (zeng.name_pinyin, zeng.name_initials) == ("zengguofan", "zgf")


def test_cadre_create_records_one_audit_event(officer, tree) -> None:
    before = AuditEvent.objects.count()
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance), reason="新录用")
    assert AuditEvent.objects.count() == before + 1
    event = last_event()
    assert (event.event_type, event.actor, event.cadre_id, event.unit_id) == (
        "cadre.created",
        officer,
        cadre.pk,
        tree.finance.pk,
    )
    assert event.before is None
    assert event.after["name"] == "张三" and event.after["birth_date"] == "1980-05-17"
    assert event.reason == "新录用"
    assert audit_verify().ok


def test_id_number_lower_case_x_is_stored_upper_case(officer, tree) -> None:
    number = id_number(D(1980, 5, 17), "M", want_x=True)
    assert number.endswith("X")
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=number.lower()))
    cadre.refresh_from_db()
    assert cadre.id_number == number


def test_fifteen_digit_id_number_is_stored_upgraded(officer, tree) -> None:
    number = id_number(D(1980, 5, 17), "M")
    old = number[:6] + number[8:17]
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=old))
    cadre.refresh_from_db()
    assert cadre.id_number == number


def test_empty_id_number_is_stored_as_null(officer, tree) -> None:
    a = cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=""))
    b = cadre_create(actor=officer, data=cadre_data(tree.finance, name="李四", id_number=""))
    assert a.id_number is None and b.id_number is None  # null, so the unique index allows many


def test_id_number_birth_and_gender_mismatch_name_both_fields(officer, tree) -> None:
    number = id_number(D(1981, 6, 1), "F")
    with pytest.raises(ServiceError) as exc:
        cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=number))
    errors = exc.value.message_dict
    assert errors["birth_date"] == ["出生日期 1980-05-17 与身份证号中的出生日期 1981-06-01 不一致。"]
    assert errors["gender"] == ["性别与身份证号不一致：身份证号第17位表示女性。"]
    assert not Cadre.objects.exists()


def test_invalid_id_number_is_a_field_error(officer, tree) -> None:
    number = id_number(D(1980, 5, 17), "M")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ServiceError) as exc:
        cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=wrong))
    assert "校验码错误" in exc.value.message_dict["id_number"][0]
    with pytest.raises(ServiceError) as exc:
        cadre_create(actor=officer, data=cadre_data(tree.finance, id_number="1101051949123100²X"))
    assert "前17位只能是数字" in exc.value.message_dict["id_number"][0]


def test_duplicate_id_number_is_refused_even_in_its_fifteen_digit_form(officer, tree) -> None:
    number = id_number(D(1980, 5, 17), "M")
    cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=number))
    state = written_state()
    for again in (number, number[:6] + number[8:17]):
        with pytest.raises(ServiceError) as exc:
            cadre_create(actor=officer, data=cadre_data(tree.town, name="张叁", id_number=again))
        assert exc.value.message_dict["id_number"] == [f"身份证号 {number} 已登记给另一名干部。"]
    assert written_state() == state


def test_unit_officer_cannot_create_outside_their_subtree(unit_officer, tree) -> None:
    state = written_state()
    with pytest.raises(ServiceError) as exc:
        cadre_create(actor=unit_officer, data=cadre_data(tree.finance))
    assert exc.value.message_dict == {"unit": ["该记录不在您的管理范围内。"]}
    assert written_state() == state
    cadre = cadre_create(actor=unit_officer, data=cadre_data(tree.station))
    assert cadre.unit == tree.station


def test_roles_without_edit_cannot_create(make_user, tree) -> None:
    for role in ("org_leader", "committee_member", "supervisor", "auditor", "cadre"):
        with pytest.raises(ServiceError, match="不能修改干部信息"):
            cadre_create(actor=make_user(role), data=cadre_data(tree.finance))
    assert not Cadre.objects.exists()


def test_missing_required_fields_are_field_errors(officer, tree) -> None:
    with pytest.raises(ServiceError) as exc:
        cadre_create(actor=officer, data={"name": "王五", "unit": tree.finance})
    assert {"gender", "birth_date", "native_place"} <= set(exc.value.message_dict)


# ---------------------------------------------------------------- cadre_update


def test_cadre_update_audit_event_records_only_changed_fields(officer, tree) -> None:
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, health="健康"))
    cadre_update(
        actor=officer,
        cadre=cadre,
        data={"health": "良好", "specialty": "财务管理", "native_place": "示例县"},
        reason="年度核对",
    )
    event = last_event()
    assert event.event_type == "cadre.updated"
    assert event.before == {"health": "健康", "specialty": ""}
    assert event.after == {"health": "良好", "specialty": "财务管理"}
    assert event.reason == "年度核对"
    assert event.cadre_id == cadre.pk


def test_cadre_update_of_the_name_rederives_pinyin(officer, tree) -> None:
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance))
    cadre_update(actor=officer, cadre=cadre, data={"name": "李四"})
    cadre.refresh_from_db()
    assert (cadre.name_pinyin, cadre.name_initials) == ("lisi", "ls")
    assert set(last_event().after) == {"name", "name_pinyin", "name_initials"}


def test_cadre_update_rechecks_identity(officer, tree) -> None:
    number = id_number(D(1980, 5, 17), "M")
    cadre = cadre_create(actor=officer, data=cadre_data(tree.finance, id_number=number))
    with pytest.raises(ServiceError) as exc:
        cadre_update(actor=officer, cadre=cadre, data={"birth_date": D(1980, 5, 18)})
    assert "birth_date" in exc.value.message_dict
    cadre.refresh_from_db()
    assert cadre.birth_date == D(1980, 5, 17)


def test_unit_officer_cannot_update_or_move_out_of_scope(unit_officer, tree) -> None:
    outsider = CadreFactory(unit=tree.finance)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        cadre_update(actor=unit_officer, cadre=outsider, data={"health": "良好"})
    insider = CadreFactory(unit=tree.station)
    with pytest.raises(ServiceError) as exc:
        cadre_update(actor=unit_officer, cadre=insider, data={"unit": tree.finance})
    assert exc.value.message_dict == {"unit": ["该记录不在您的管理范围内。"]}
    insider.refresh_from_db()
    assert insider.unit == tree.station


# ---------------------------------------------------------------- units and quotas


def test_unit_create_sets_path_and_depth(officer, tree) -> None:
    unit = unit_create(
        actor=officer, data={"name": "资金股", "parent": tree.finance, "kind": UnitKind.INTERNAL}
    )
    unit.refresh_from_db()
    assert unit.path == f"{tree.root.pk:06d}.{tree.finance.pk:06d}.{unit.pk:06d}."
    assert unit.depth == 2
    top = unit_create(actor=officer, data={"name": "邻县", "kind": UnitKind.COUNTY})
    assert (top.path, top.depth) == (f"{top.pk:06d}.", 0)
    event = last_event()
    assert event.event_type == "unit.created" and event.after["path"] == top.path


def test_unit_officer_creates_only_inside_their_subtree(unit_officer, tree) -> None:
    inside = unit_create(
        actor=unit_officer, data={"name": "第二林业站", "parent": tree.forestry, "kind": UnitKind.INTERNAL}
    )
    assert inside.path.startswith(tree.forestry.path)
    for parent in (tree.finance, None):
        with pytest.raises(ServiceError, match="不在您的管理范围内"):
            unit_create(
                actor=unit_officer, data={"name": "越权单位", "parent": parent, "kind": UnitKind.INTERNAL}
            )
    assert not Unit.objects.filter(name="越权单位").exists()


def test_unit_update_records_before_and_after(officer, tree) -> None:
    unit_update(
        actor=officer, unit=tree.finance, data={"short_name": "财政", "parent": tree.town}, reason="更名"
    )
    tree.finance.refresh_from_db()
    assert tree.finance.short_name == "财政"
    assert tree.finance.parent == tree.root  # the tree does not move through unit_update
    event = last_event()
    assert (event.before["short_name"], event.after["short_name"]) == ("", "财政")


def test_quota_set_creates_then_updates(officer, tree) -> None:
    quota = quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=3)
    first = last_event()
    assert (first.event_type, first.before, first.after["number"]) == ("quota.set", None, 3)
    quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=2, reason="机构改革")
    second = last_event()
    assert (second.before["number"], second.after["number"], second.reason) == (3, 2, "机构改革")
    assert Quota.objects.get(pk=quota.pk).number == 2
    assert Quota.objects.count() == 1


def test_quota_set_refuses_negative_numbers_and_scope(officer, unit_officer, tree) -> None:
    with pytest.raises(ServiceError, match="不能为负数"):
        quota_set(actor=officer, unit=tree.finance, kind=PostKind.DEPUTY, number=-1)
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        quota_set(actor=unit_officer, unit=tree.finance, kind=PostKind.DEPUTY, number=1)
    assert not Quota.objects.exists()


def test_post_create_and_update_each_write_one_event(officer, unit_officer, tree) -> None:
    from ganbu.registry.services import post_create, post_update

    start = AuditEvent.objects.count()
    post = post_create(
        actor=officer,
        data={"unit": tree.finance, "title": "局长", "kind": PostKind.HEAD, "rank": "section"},
    )
    post_update(
        actor=officer, post=post, data={"title": "局长（主持工作）", "unit": tree.town}, reason="调整"
    )
    post.refresh_from_db()
    assert (post.title, post.unit) == ("局长（主持工作）", tree.finance)
    created, updated = AuditEvent.objects.filter(seq__gt=start).order_by("seq")
    assert (created.event_type, created.before, created.after["title"]) == ("post.created", None, "局长")
    assert (updated.event_type, updated.before["title"], updated.after["title"]) == (
        "post.updated",
        "局长",
        "局长（主持工作）",
    )
    assert created.unit_id == updated.unit_id == tree.finance.pk
    with pytest.raises(ServiceError, match="不在您的管理范围内"):
        post_create(
            actor=unit_officer,
            data={"unit": tree.finance, "title": "越权", "kind": PostKind.DEPUTY, "rank": "deputy_section"},
        )
    assert AuditEvent.objects.count() == start + 2
