"""The cadre page (任免审批表 layout): content, tabs, sensitive fields by role, scope, photo, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ganbu.registry import services
from ganbu.registry.tests.factories import CadreFactory

from .test_people_support import appoint, count_queries, id_number, make_cadre, text_of

pytestmark = pytest.mark.django_db

ID = id_number(dt.date(1980, 5, 17), "M")


@pytest.fixture
def zhang(officer, tree):
    """张三 in 县财政局 with a full record: ID, tenure, resume, family, assessments, reward, sanction."""
    cadre = make_cadre(
        officer,
        tree.finance,
        "张三",
        id_number=ID,
        ethnicity="汉族",
        native_place="山东乐陵",
        birthplace="山东乐陵",
        party_join_date=dt.date(2001, 7, 1),
        work_start_date=dt.date(2002, 7, 1),
        professional_title="经济师",
        ft_education="university",
        ft_degree="经济学学士",
        ft_school="某某大学经济学院经济学专业",
    )
    appoint(officer, cadre, tree.finance, "副局长", "示委〔2020〕1号")
    services.resume_entry_save(
        actor=officer,
        cadre=cadre,
        data={
            "start_date": dt.date(1998, 9, 1),
            "end_date": dt.date(2002, 7, 1),
            "text": "某某大学经济学院经济学专业学习",
        },
    )
    services.resume_entry_save(
        actor=officer,
        cadre=cadre,
        data={"start_date": dt.date(2020, 3, 1), "end_date": None, "text": "县财政局副局长"},
    )
    services.family_member_save(
        actor=officer,
        cadre=cadre,
        data={
            "relation": "妻子",
            "name": "王秘密",
            "birth_date": dt.date(1982, 3, 1),
            "political_status": "中共党员",
            "work_unit_post": "某某县第一中学教师",
        },
    )
    services.assessment_record(actor=officer, cadre=cadre, year=2022, grade="competent")
    services.assessment_record(actor=officer, cadre=cadre, year=2023, grade="excellent")
    services.reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": "reward",
            "name": "嘉奖",
            "decided_on": dt.date(2021, 1, 5),
            "approving_body": "县人民政府",
        },
    )
    services.reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": "sanction",
            "name": "警告处分",
            "decided_on": dt.date(2023, 5, 5),
            "approving_body": "县纪委监委",
            "effective_until": dt.date(2023, 11, 4),
        },
    )
    services.reserve_add(
        actor=officer, cadre=cadre, level="section", source="2023年民主推荐", start_date=dt.date(2023, 6, 1)
    )
    return cadre


def url(cadre):
    return reverse("web:cadre-detail", args=[cadre.pk])


def test_officer_sees_the_appointment_form_with_every_part(client, officer, zhang):
    client.force_login(officer)
    response = client.get(url(zhang))
    assert response.status_code == 200
    text = text_of(response)
    assert "干部任免审批表" in text
    for label in (
        "姓 名",
        "性 别",
        "出生年月",
        "民 族",
        "籍 贯",
        "出生地",
        "入党时间",
        "参加工作 时间",
        "健康状况",
        "专业技术 职务",
        "熟悉专业 有何专长",
        "全日制 教 育",
        "在 职 教 育",
        "毕业院校 系及专业",
        "现任职务",
        "奖惩情况",
        "年度考核 结 果",
        "称 谓",
        "工作单位及职务",
    ):
        assert label in text, label
    assert "1980.05 （" in text and "山东乐陵" in text and "2001.07" in text and "2002.07" in text
    assert "大学 经济学学士" in text and "经济师" in text
    assert "县财政局副局长" in text
    html = response.content.decode()
    assert "1998.09--2002.07 某某大学经济学院经济学专业学习" in text
    assert "2020.03-- 县财政局副局长" in text  # the current post has no end month
    assert "2022年度考核称职；2023年度考核优秀。" in text
    assert "2021.01 经县人民政府批准，嘉奖" in text and "警告处分" in text
    assert "王秘密" in text and "某某县第一中学教师" in text
    assert ID in text
    # Career tab: the tenure with its document number and years in post; the reserve tab.
    assert "示委〔2020〕1号" in text and "现任" in text and " 年" in text
    assert "正科级后备干部" in text and "2023年民主推荐" in text
    # Edit controls for an officer who may edit.
    assert reverse("web:cadre-edit", args=[zhang.pk]) in html
    assert reverse("web:cadre-family-add", args=[zhang.pk]) in html


def test_committee_member_does_not_see_id_family_or_sanctions(client, zhang, make_user):
    client.force_login(make_user("committee_member"))
    response = client.get(url(zhang))
    assert response.status_code == 200
    text = text_of(response)
    assert "张三" in text and "县财政局副局长" in text
    assert ID not in response.content.decode()
    assert "王秘密" not in text and "工作单位及职务" not in text
    assert "警告处分" not in text and "嘉奖" in text
    assert "不在您的查看权限内" in text
    # No edit controls for a role that may not edit.
    assert reverse("web:cadre-edit", args=[zhang.pk]) not in response.content.decode()


def test_supervisor_sees_sanctions_but_not_id_or_family(client, zhang, make_user):
    client.force_login(make_user("supervisor"))
    text = text_of(client.get(url(zhang)))
    assert "警告处分" in text and "影响期至 2023.11.04" in text
    assert ID not in text and "王秘密" not in text


def test_unit_officer_gets_404_outside_their_subtree_on_page_and_edit(client, tree, zhang, make_user):
    forestry_officer = make_user("unit_officer", scope_unit=tree.forestry)
    client.force_login(forestry_officer)
    for name in (
        "web:cadre-detail",
        "web:cadre-edit",
        "web:cadre-photo",
        "web:cadre-family-add",
        "web:cadre-resume-add",
        "web:cadre-assessment-add",
        "web:cadre-reward-add",
        "web:cadre-reserve-add",
    ):
        assert client.get(reverse(name, args=[zhang.pk])).status_code == 404, name
    member = zhang.family_members.get()
    assert client.get(reverse("web:cadre-family-edit", args=[zhang.pk, member.pk])).status_code == 404
    assert client.post(reverse("web:cadre-edit", args=[zhang.pk]), {"name": "改名"}).status_code == 404
    zhang.refresh_from_db()
    assert zhang.name == "张三"
    # Inside the subtree the same officer sees and edits.
    station_cadre = CadreFactory(unit=tree.station)
    assert client.get(url(station_cadre)).status_code == 200
    assert client.get(reverse("web:cadre-edit", args=[station_cadre.pk])).status_code == 200


def test_missing_cadre_is_404(client, officer, tree):
    client.force_login(officer)
    assert client.get(reverse("web:cadre-detail", args=[999999])).status_code == 404


def test_self_service_user_cannot_open_cadre_pages(client, tree, make_user):
    own = CadreFactory(unit=tree.finance)
    client.force_login(make_user("cadre", cadre=own))
    assert client.get(url(own)).status_code == 404


def test_query_count_does_not_grow_with_the_record(client, officer, tree, zhang):
    client.force_login(officer)
    before, _ = count_queries(client, url(zhang))
    for year in range(2010, 2020):
        services.assessment_record(actor=officer, cadre=zhang, year=year, grade="competent")
        services.family_member_save(
            actor=officer, cadre=zhang, data={"relation": "儿子", "name": f"子{year}"}
        )
    appoint(officer, zhang, tree.forestry, "局长", "示委〔2020〕2号")
    after, response = count_queries(client, url(zhang))
    assert "子2019" in text_of(response)
    assert before == after


def test_photo_is_served_only_within_scope(client, officer, tree, make_user):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 50), "red").save(buffer, "JPEG")
    photo = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    cadre = make_cadre(officer, tree.finance, "有照片", photo=photo)
    client.force_login(officer)
    html = client.get(url(cadre)).content.decode()
    photo_url = reverse("web:cadre-photo", args=[cadre.pk])
    assert f'src="{photo_url}"' in html
    response = client.get(photo_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == buffer.getvalue()
    client.force_login(make_user("unit_officer", scope_unit=tree.forestry))
    assert client.get(photo_url).status_code == 404
