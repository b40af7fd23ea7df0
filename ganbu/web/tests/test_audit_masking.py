"""The audit page masks what the record pages keep from a reader (issue 11, item 2).

The auditor and the administrator read the trail but not ID numbers, families, sanctions,
proceedings or incompetence cases; the department's leader, who may see them on the record pages,
sees them in the trail too. The chain is verified over the full stored content either way.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ganbu.core.audit import audit_verify
from ganbu.core.models import AuditEvent
from ganbu.exits import services as exits_services
from ganbu.registry import services
from ganbu.registry.choices import RewardSanctionKind
from ganbu.registry.tests.services.conftest import cadre_data, id_number

from .test_org_support import text_of

pytestmark = pytest.mark.django_db

D = dt.date
ID_NUMBER = id_number(D(1980, 5, 17), "M", want_x=True)
ID_MASKED = ID_NUMBER[0] + "*" * 16 + "X"
SECRETS = {
    "family": ("何小红", "县第一中学教师"),
    "sanction": ("县纪委第二纪检监察室", "违反工作纪律"),
    "proceeding": ("县纪委第三审查调查室",),
    "case": ("群众多次反映履职不力",),
}


@pytest.fixture
def scene(tree, officer):
    """A cadre with an ID number, a family member, a sanction, a reward, a proceeding and a case."""
    cadre = services.cadre_create(
        actor=officer, data=cadre_data(tree.finance, name="何明", id_number=ID_NUMBER), reason="新录用"
    )
    services.family_member_save(
        actor=officer,
        cadre=cadre,
        data={"relation": "女儿", "name": "何小红", "work_unit_post": "县第一中学教师"},
    )
    services.reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.SANCTION,
            "name": "警告处分",
            "sanction_type": "warning",
            "decided_on": D(2023, 3, 1),
            "approving_body": "县纪委第二纪检监察室",
            "reason": "违反工作纪律",
        },
    )
    services.reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.REWARD,
            "name": "县级优秀公务员",
            "decided_on": D(2022, 12, 1),
            "approving_body": "县人民政府",
        },
    )
    exits_services.proceeding_open(
        actor=officer,
        cadre=cadre,
        kind="discipline_review",
        body="县纪委第三审查调查室",
        started_on=D(2024, 1, 5),
    )
    exits_services.incompetence_case_open(
        actor=officer, cadre=cadre, opened_on=D(2024, 2, 1), reason="群众多次反映履职不力"
    )
    return cadre


@pytest.fixture(params=["auditor", "admin"])
def reader(request, make_user):
    """Those who read the trail but may not see the sensitive parts of a record."""
    return make_user(request.param)


def page(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("web:audit-list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_id_number_is_masked_for_the_auditor_and_the_administrator(client, reader, scene) -> None:
    html = page(client, reader, event_type="cadre.created")
    assert ID_NUMBER not in html
    assert f'<td class="diff-after">{ID_MASKED}</td>' in html
    assert "何明" in html  # the rest of the record is the trail's business


@pytest.mark.parametrize(
    ("event_type", "kind"),
    [
        ("family.saved", "family"),
        ("reward_sanction.recorded", "sanction"),
        ("exits.proceeding_opened", "proceeding"),
        ("exits.case_opened", "case"),
    ],
)
def test_sensitive_events_are_masked_for_the_auditor_and_the_administrator(
    client, reader, scene, event_type, kind
) -> None:
    html = page(client, reader, event_type=event_type)
    for secret in SECRETS[kind]:
        assert secret not in html, secret
    assert "（已隐去）" in html.split("<tbody>", 1)[1]
    if kind == "family":
        assert "女儿" not in html  # the target's name (「女儿 何小红」) too


def test_a_reward_stays_visible_as_on_the_record_page(client, reader, scene) -> None:
    html = page(client, reader, event_type="reward_sanction.recorded")
    assert "县级优秀公务员" in html and "县人民政府" in html


def test_filtering_by_the_cadre_does_not_list_what_is_hidden(client, reader, scene) -> None:
    html = page(client, reader, cadre_id=scene.pk)
    assert "新建干部档案" in html and "县级优秀公务员" in html
    for label in ("保存家庭成员", "登记审计或调查", "启动不称职调整程序"):
        assert label not in html.split("<tbody>", 1)[1], label
    for secrets in SECRETS.values():
        assert not any(s in html for s in secrets)


def test_the_leader_who_may_see_them_on_the_record_page_sees_them(client, make_user, scene) -> None:
    leader = make_user("org_leader")
    html = page(client, leader)
    assert f'<td class="diff-after">{ID_NUMBER}</td>' in html
    for secrets in SECRETS.values():
        for secret in secrets:
            assert secret in html, secret
    assert "（已隐去）" not in html.split("<tbody>", 1)[1]
    html = page(client, leader, cadre_id=scene.pk)
    assert "保存家庭成员" in html and "登记审计或调查" in html


def test_the_chain_verifies_over_the_full_content(client, reader, scene) -> None:
    page(client, reader)
    stored = AuditEvent.objects.get(event_type="cadre.created")
    assert stored.after["id_number"] == ID_NUMBER  # masking is display only
    assert audit_verify().ok
    response = client.post(reverse("web:audit-verify"), follow=True)
    assert "审计链完整" in text_of(response)
