"""Cadre create/edit forms and the record-part forms: services called, errors shown, nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ganbu.core.models import AuditEvent
from ganbu.registry.models import Assessment, Cadre, FamilyMember, ResumeEntry, RewardSanction
from ganbu.registry.tests.factories import CadreFactory
from ganbu.web.forms_people import parse_month

from .test_people_support import field_errors, id_number, make_cadre, text_of, written, wrong_check

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1980, 5, 17)
ID = id_number(BIRTH, "M")


def form_data(unit: Any, **overrides: Any) -> dict[str, Any]:
    """POST data of a valid cadre form."""
    data = {
        "name": "张三",
        "gender": "M",
        "birth_date": "1980-05-17",
        "ethnicity": "汉族",
        "native_place": "山东乐陵",
        "birthplace": "",
        "id_number": ID,
        "political_status": "cpc",
        "party_join_date": "2001.07",
        "democratic_party": "",
        "work_start_date": "2002-07",
        "health": "健康",
        "professional_title": "",
        "specialty": "",
        "ft_education": "university",
        "ft_degree": "",
        "ft_school": "",
        "ip_education": "",
        "ip_degree": "",
        "ip_school": "",
        "unit": unit.pk,
        "status": "serving",
        "category": "party_government",
        "management_authority": "org_department",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- create


def test_create_registers_the_cadre_through_the_service(client, officer, tree):
    client.force_login(officer)
    assert client.get(reverse("web:cadre-create")).status_code == 200
    response = client.post(reverse("web:cadre-create"), form_data(tree.finance))
    cadre = Cadre.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:cadre-detail", args=[cadre.pk]
    )
    assert cadre.name_initials == "zs" and cadre.id_number == ID
    assert cadre.party_join_date == dt.date(2001, 7, 1) and cadre.work_start_date == dt.date(2002, 7, 1)
    assert cadre.highest_education == "university"
    event = AuditEvent.objects.get()
    assert event.event_type == "cadre.created" and event.cadre_id == cadre.pk and event.actor == officer


def test_bad_id_and_missing_name_rerender_with_chinese_errors_and_write_nothing(client, officer, tree):
    client.force_login(officer)
    make_cadre(officer, tree.finance, "已有")
    before = written()
    response = client.post(
        reverse("web:cadre-create"), form_data(tree.finance, name="", id_number=wrong_check(ID))
    )
    assert response.status_code == 200
    assert field_errors(response, "name") == ["请填写姓名。"]
    assert field_errors(response, "id_number") == [
        f"身份证号校验码错误：最后一位应为 {ID[-1]}，而不是 {wrong_check(ID)[-1]}。请核对号码。"
    ]
    text = text_of(response)
    assert "请填写姓名。" in text and "身份证号校验码错误" in text and "什么也没有写入" in text
    assert written() == before
    # The typed values are kept for correction.
    assert f'value="{wrong_check(ID)}"' in response.content.decode()


def test_service_error_id_birth_mismatch_is_shown_on_the_field_and_writes_nothing(client, officer, tree):
    client.force_login(officer)
    before = written()
    response = client.post(
        reverse("web:cadre-create"), form_data(tree.finance, birth_date="1981-01-01", gender="F")
    )
    assert response.status_code == 200
    assert field_errors(response, "birth_date") == [
        "出生日期 1981-01-01 与身份证号中的出生日期 1980-05-17 不一致。"
    ]
    assert field_errors(response, "gender") == ["性别与身份证号不一致：身份证号第17位表示男性。"]
    assert written() == before


def test_duplicate_id_number_is_refused(client, officer, tree):
    make_cadre(officer, tree.finance, "张三", id_number=ID)
    client.force_login(officer)
    before = written()
    response = client.post(reverse("web:cadre-create"), form_data(tree.finance, name="张三二"))
    assert response.status_code == 200
    assert field_errors(response, "id_number") == [f"身份证号 {ID} 已登记给另一名干部。"]
    assert written() == before


def test_unit_officer_cannot_create_outside_their_subtree(client, tree, make_user):
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    before = written()
    response = client.post(reverse("web:cadre-create"), form_data(tree.finance))
    assert response.status_code == 200
    assert field_errors(response, "unit")  # not offered: an invalid choice
    assert written() == before
    ok = client.post(reverse("web:cadre-create"), form_data(tree.station))
    assert ok.status_code == 302 and Cadre.objects.get().unit == tree.station


@pytest.mark.parametrize("role", ["committee_member", "supervisor", "org_leader", "cadre", "auditor"])
def test_create_is_404_for_roles_that_may_not_edit(client, tree, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("web:cadre-create")).status_code == 404
    assert client.post(reverse("web:cadre-create"), form_data(tree.finance)).status_code == 404
    assert not Cadre.objects.exists()


# ---------------------------------------------------------------- edit


def test_successful_edit_writes_one_audit_event_with_the_changed_fields(client, officer, tree):
    cadre = make_cadre(
        officer,
        tree.finance,
        "张三",
        id_number=ID,
        party_join_date=dt.date(2001, 7, 15),
        native_place="山东乐陵",
    )
    client.force_login(officer)
    page = client.get(reverse("web:cadre-edit", args=[cadre.pk]))
    assert page.status_code == 200
    assert 'value="2001.07"' in page.content.decode()  # month fields print as the form does
    events = AuditEvent.objects.count()
    data = form_data(
        tree.finance,
        party_join_date="2001.07",
        work_start_date="",
        professional_title="高级经济师",
        reason="年度信息核对",
    )
    response = client.post(reverse("web:cadre-edit", args=[cadre.pk]), data)
    assert response.status_code == 302
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.event_type == "cadre.updated" and event.reason == "年度信息核对"
    # The stored mid-month party date is untouched: same month, not a change.
    assert event.after == {
        "professional_title": "高级经济师",
        "ft_education": "university",
        "highest_education": "university",
    }
    cadre.refresh_from_db()
    assert cadre.professional_title == "高级经济师" and cadre.party_join_date == dt.date(2001, 7, 15)
    assert "高级经济师" in text_of(client.get(reverse("web:cadre-detail", args=[cadre.pk]), follow=True))


def test_edit_without_changes_writes_nothing(client, officer, tree):
    cadre = make_cadre(
        officer,
        tree.finance,
        "张三",
        id_number=ID,
        party_join_date=dt.date(2001, 7, 1),
        work_start_date=dt.date(2002, 7, 1),
        ft_education="university",
        native_place="山东乐陵",
    )
    client.force_login(officer)
    before = written()
    response = client.post(reverse("web:cadre-edit", args=[cadre.pk]), form_data(tree.finance), follow=True)
    assert "没有修改任何内容" in text_of(response)
    assert written() == before


def test_bad_edit_rerenders_and_writes_nothing(client, officer, tree):
    cadre = make_cadre(officer, tree.finance, "张三", id_number=ID)
    client.force_login(officer)
    before = written()
    response = client.post(
        reverse("web:cadre-edit", args=[cadre.pk]),
        form_data(tree.finance, name="", id_number=wrong_check(ID), party_join_date="2001年13月"),
    )
    assert response.status_code == 200
    assert field_errors(response, "name") == ["请填写姓名。"]
    assert field_errors(response, "id_number")[0].startswith("身份证号校验码错误")
    assert field_errors(response, "party_join_date") == ["请按“年.月”填写，例如 1998.07 或 1998-07。"]
    assert written() == before


def test_month_parsing_accepts_the_usual_spellings():
    for text in ("1998.07", "1998-07", "1998/7", "199807", "1998年7月", "1998.07.15", "1998-07-15"):
        assert parse_month(text) == dt.date(1998, 7, 1), text
    for bad in ("98.07", "1998.13", "July 1998", "1998"):
        with pytest.raises(ValidationError, match=r"请按“年\.月”填写"):
            parse_month(bad)


# ---------------------------------------------------------------- parts of the record


@pytest.fixture
def cadre(officer, tree):
    return make_cadre(officer, tree.finance, "张三")


def test_family_member_add_edit_delete(client, officer, tree, cadre):
    relative = CadreFactory(unit=tree.town, name="李四")
    client.force_login(officer)
    add = reverse("web:cadre-family-add", args=[cadre.pk])
    assert 'data-picker="cadres"' in client.get(add).content.decode()
    response = client.post(
        add,
        {
            "relation": "妻子",
            "name": "李四",
            "birth_date": "1982.03",
            "political_status": "群众",
            "work_unit_post": "城关镇干部",
            "related_cadre": relative.pk,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#family")
    member = FamilyMember.objects.get()
    assert member.related_cadre == relative and member.birth_date == dt.date(1982, 3, 1)
    edit = reverse("web:cadre-family-edit", args=[cadre.pk, member.pk])
    page = client.get(edit)
    assert 'data-picker-label="李四（城关镇）"' in page.content.decode()
    client.post(
        edit, {"relation": "妻子", "name": "李四", "work_unit_post": "城关镇副镇长", "related_cadre": ""}
    )
    member.refresh_from_db()
    assert member.work_unit_post == "城关镇副镇长" and member.related_cadre is None
    delete = reverse("web:cadre-family-delete", args=[cadre.pk, member.pk])
    assert "确认删除" in text_of(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not FamilyMember.objects.exists()
    assert list(
        AuditEvent.objects.filter(cadre_id=cadre.pk).values_list("event_type", flat=True).order_by("seq")
    ) == ["cadre.created", "family.saved", "family.saved", "family.deleted"]


def test_family_member_of_another_cadre_is_404(client, officer, tree, cadre):
    other = make_cadre(officer, tree.finance, "王五")
    client.force_login(officer)
    client.post(reverse("web:cadre-family-add", args=[other.pk]), {"relation": "父亲", "name": "王大"})
    member = FamilyMember.objects.get()
    assert client.get(reverse("web:cadre-family-edit", args=[cadre.pk, member.pk])).status_code == 404
    assert client.post(reverse("web:cadre-family-delete", args=[cadre.pk, member.pk])).status_code == 404
    assert FamilyMember.objects.count() == 1


def test_family_related_cadre_outside_scope_is_refused(client, tree, make_user):
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    own = CadreFactory(unit=tree.station)
    outsider = CadreFactory(unit=tree.finance)
    client.force_login(unit_officer)
    before = written()
    response = client.post(
        reverse("web:cadre-family-add", args=[own.pk]),
        {"relation": "哥哥", "name": "某", "related_cadre": outsider.pk},
    )
    assert response.status_code == 200
    assert field_errors(response, "related_cadre") == ["干部不存在或不在您的管理范围内。"]
    assert written() == before


def test_resume_add_validates_and_deletes(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-resume-add", args=[cadre.pk])
    before = written()
    bad = client.post(add, {"start_date": "2010.05", "end_date": "2009.01", "text": "科员"})
    assert bad.status_code == 200 and field_errors(bad, "end_date") == ["终止年月不能早于起始年月。"]
    assert written() == before
    client.post(add, {"start_date": "2002.07", "end_date": "2010.05", "text": "某某县财政局科员"})
    entry = ResumeEntry.objects.get()
    assert (entry.start_date, entry.end_date) == (dt.date(2002, 7, 1), dt.date(2010, 5, 1))
    text = text_of(client.get(reverse("web:cadre-detail", args=[cadre.pk])))
    assert "2002.07--2010.05 某某县财政局科员" in text
    client.post(reverse("web:cadre-resume-delete", args=[cadre.pk, entry.pk]))
    assert not ResumeEntry.objects.exists()


def test_assessment_add_refuses_a_second_result_for_the_year(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-assessment-add", args=[cadre.pk])
    year = dt.date.today().year - 1  # noqa: DTZ011
    assert client.post(add, {"year": year, "grade": "excellent"}).status_code == 302
    before = written()
    again = client.post(add, {"year": year, "grade": "competent"})
    assert again.status_code == 200
    assert field_errors(again, "year") == [f"张三 的 {year} 年度考核结果已登记。"]
    assert written() == before
    assert Assessment.objects.get().grade == "excellent"


def test_reward_add_offers_sanctions_only_to_roles_that_see_them(client, officer, tree, make_user):
    station_cadre = CadreFactory(unit=tree.station)
    unit_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(unit_officer)
    add = reverse("web:cadre-reward-add", args=[station_cadre.pk])
    assert 'value="sanction"' not in client.get(add).content.decode()
    refused = client.post(
        add, {"kind": "sanction", "name": "警告", "decided_on": "2023-01-01", "approving_body": "纪委"}
    )
    assert refused.status_code == 200 and field_errors(refused, "kind")
    assert not RewardSanction.objects.exists()
    client.force_login(officer)
    assert 'value="sanction"' in client.get(add).content.decode()
    bad = client.post(
        add,
        {
            "kind": "sanction",
            "name": "警告",
            "decided_on": "2023-05-05",
            "approving_body": "纪委",
            "effective_until": "2023-01-01",
        },
    )
    assert field_errors(bad, "effective_until") == ["影响期截止日期不能早于决定日期。"]
    ok = client.post(
        add,
        {
            "kind": "sanction",
            "name": "警告",
            "decided_on": "2023-05-05",
            "approving_body": "纪委",
            "effective_until": "2023-11-04",
        },
    )
    assert ok.status_code == 302 and RewardSanction.objects.get().kind == "sanction"


def test_reserve_add_marks_the_cadre_and_refuses_twice(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-reserve-add", args=[cadre.pk])
    data = {"level": "deputy_section", "source": "民主推荐", "start_date": "2024-01-10"}
    assert client.post(add, data).status_code == 302
    cadre.refresh_from_db()
    assert cadre.is_reserve
    before = written()
    again = client.post(add, data)
    assert again.status_code == 200 and "张三 已在后备干部库中。" in text_of(again)
    assert written() == before


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 50), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_upload_keep_and_clear(client, officer, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cadre = make_cadre(
        officer,
        tree.finance,
        "张三",
        id_number=ID,
        party_join_date=dt.date(2001, 7, 1),
        work_start_date=dt.date(2002, 7, 1),
        ft_education="university",
        native_place="山东乐陵",
    )
    client.force_login(officer)
    edit = reverse("web:cadre-edit", args=[cadre.pk])
    photo = SimpleUploadedFile("me.jpg", _jpeg(), content_type="image/jpeg")
    assert client.post(edit, {**form_data(tree.finance), "photo": photo}).status_code == 302
    cadre.refresh_from_db()
    assert cadre.photo.name.endswith(".jpg")
    # The edit page links the current photo through the scoped view, never under /media/.
    html = client.get(edit).content.decode()
    assert f'href="{reverse("web:cadre-photo", args=[cadre.pk])}"' in html and "/media/" not in html
    # Saving again without a new file keeps the photo and writes nothing.
    before = written()
    client.post(edit, form_data(tree.finance))
    assert written() == before
    # Ticking 删除照片 removes it.
    client.post(edit, {**form_data(tree.finance), "photo-clear": "on"})
    cadre.refresh_from_db()
    assert not cadre.photo


def test_non_image_upload_is_refused(client, officer, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    before = written()
    response = client.post(reverse("web:cadre-create"), {**form_data(tree.finance), "photo": fake})
    assert response.status_code == 200 and field_errors(response, "photo")
    assert written() == before
