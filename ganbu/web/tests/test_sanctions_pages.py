"""处分 pages: the county register (filters, fixed query count, who sees it), one sanction with its
state and follow-up form, the cadre page's sanction section, and recording a combined sanction
through the cadre page's form (issue 14, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.core.models import AuditEvent
from ganbu.registry.choices import RewardSanctionKind, SanctionType
from ganbu.registry.models import RewardSanction
from ganbu.registry.services import reward_sanction_record
from ganbu.registry.tests.factories import CadreFactory

from .test_org_support import count_queries, text_of

pytestmark = pytest.mark.django_db

D = dt.date


def sanction(officer, cadre, kind, decided_on, **extra) -> RewardSanction:
    data = {
        "kind": RewardSanctionKind.SANCTION,
        "sanction_type": kind,
        "decided_on": decided_on,
        "approving_body": "示例县监察委员会",
        "reason": "违反工作纪律",
        **extra,
    }
    return reward_sanction_record(actor=officer, cadre=cadre, data=data)


@pytest.fixture
def cadres(tree):
    return [CadreFactory(unit=tree.station, name=f"干部{i}", birth_date=D(1980, 1, 1)) for i in range(3)]


def test_the_register_lists_status_effects_and_filters(client, officer, cadres) -> None:
    today = timezone.localdate()
    running = sanction(officer, cadres[0], SanctionType.DEMERIT, today - dt.timedelta(days=30))
    ending = sanction(officer, cadres[1], SanctionType.WARNING, today - dt.timedelta(days=170))
    expired = sanction(officer, cadres[2], SanctionType.WARNING, D(2020, 1, 10))
    client.force_login(officer)
    page = text_of(client.get(reverse("web:sanction-list")))
    assert "在影响期内" in page and "影响期即将届满" in page and "已期满" in page
    assert "不得晋升职务、职级、衔级、级别、工资档次" in page
    assert "DISC-" not in page and "rules.md" not in page
    ending_page = client.get(reverse("web:sanction-list") + "?status=ending")
    ids = [r.pk for r, _ in ending_page.context["rows"]]
    assert ids == [ending.pk]
    in_force = client.get(reverse("web:sanction-list") + "?status=in_force")
    assert {r.pk for r, _ in in_force.context["rows"]} == {running.pk, ending.pk}
    gone = client.get(reverse("web:sanction-list") + "?status=expired")
    assert [r.pk for r, _ in gone.context["rows"]] == [expired.pk]
    demerits = client.get(reverse("web:sanction-list") + "?sanction_type=demerit")
    assert [r.pk for r, _ in demerits.context["rows"]] == [running.pk]


def test_the_register_runs_a_fixed_number_of_queries(client, officer, tree) -> None:
    client.force_login(officer)
    url = reverse("web:sanction-list")
    few = [CadreFactory(unit=tree.station, name=f"甲{i}", birth_date=D(1980, 1, 1)) for i in range(2)]
    for c in few:
        sanction(officer, c, SanctionType.WARNING, D(2024, 1, 10), known_on=D(2024, 1, 12))
    first, response = count_queries(client, url)
    assert response.status_code == 200
    more = [CadreFactory(unit=tree.town, name=f"乙{i}", birth_date=D(1980, 1, 1)) for i in range(6)]
    for c in more:
        sanction(officer, c, SanctionType.DEMERIT, D(2024, 2, 10), known_on=D(2024, 2, 12))
    second, response = count_queries(client, url)
    assert len(response.context["rows"]) == 8
    assert second == first


def test_unit_officers_and_others_do_not_reach_the_register(client, make_user, tree) -> None:
    for role in ("unit_officer", "committee_member", "auditor"):
        user = make_user(role, scope_unit=tree.forestry) if role == "unit_officer" else make_user(role)
        client.force_login(user)
        assert client.get(reverse("web:sanction-list")).status_code == 404


def test_the_detail_shows_combination_deadlines_and_saves_the_followup(client, officer, cadres) -> None:
    old = sanction(officer, cadres[0], SanctionType.WARNING, D(2024, 1, 10))
    new = sanction(officer, cadres[0], SanctionType.DEMERIT, D(2024, 5, 1), known_on=D(2024, 5, 6))
    client.force_login(officer)
    page = text_of(client.get(reverse("web:sanction-detail", args=[new.pk])))
    assert "2024年5月1日至2025年7月9日" in page and "合并计算处分期" in page
    assert "申请复核 至2024年6月5日" in page  # 30 days from 6 May (no rest day moved: calendar covered)
    old_page = text_of(client.get(reverse("web:sanction-detail", args=[old.pk])))
    assert "已与新处分合并计算" in old_page
    response = client.post(
        reverse("web:sanction-detail", args=[new.pk]),
        {"known_on": "2024-05-06", "review_received_on": "2024-05-20", "reason": "本人申请复核"},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.review_received_on == D(2024, 5, 20)
    bad = client.post(reverse("web:sanction-detail", args=[new.pk]), {"known_on": "2024-04-01"})
    assert bad.status_code == 200 and "不能早于决定日期" in text_of(bad)


def test_a_supervisor_records_the_followup_and_a_leader_only_reads(
    client, make_user, officer, cadres
) -> None:
    row = sanction(officer, cadres[0], SanctionType.WARNING, D(2024, 1, 10))
    supervisor = make_user("supervisor")
    client.force_login(supervisor)
    ok = client.post(reverse("web:sanction-detail", args=[row.pk]), {"known_on": "2024-01-12"})
    assert ok.status_code == 302
    leader = make_user("org_leader")
    client.force_login(leader)
    assert client.get(reverse("web:sanction-detail", args=[row.pk])).status_code == 200
    events = AuditEvent.objects.count()
    assert client.post(reverse("web:sanction-detail", args=[row.pk]), {"known_on": ""}).status_code == 404
    assert AuditEvent.objects.count() == events


def test_the_cadre_page_shows_status_effects_and_basis(client, officer, cadres) -> None:
    today = timezone.localdate()
    sanction(officer, cadres[0], SanctionType.DISMISSAL, today - dt.timedelta(days=10))
    client.force_login(officer)
    page = text_of(client.get(reverse("web:cadre-detail", args=[cadres[0].pk])))
    assert "在影响期内" in page
    assert "不得晋升职务、职级、衔级、级别、工资档次" in page and "撤职按规定降低职务、职级、级别" in page
    assert "解除撤职不恢复原职务、职级、级别" in page
    assert "《中华人民共和国公职人员政务处分法》第八条" in page


def test_the_cadre_form_records_several_violations_together(client, officer, cadres) -> None:
    client.force_login(officer)
    url = reverse("web:cadre-reward-add", args=[cadres[0].pk])
    data = {
        "kind": "sanction",
        "sanction_type": "",
        "name": "",
        "decided_on": "2024-03-15",
        "approving_body": "示例县监察委员会",
        "combined_kinds": "记过、记过",
        "combined_months": "30",
        "reason": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "所填30个月不在此范围内" in text_of(refused)
    assert not RewardSanction.objects.exists()
    data["combined_months"] = "18"
    assert client.post(url, data).status_code == 302
    saved = RewardSanction.objects.get()
    assert (saved.sanction_type, saved.effective_until) == ("demerit", D(2025, 9, 14))
    data["combined_kinds"] = "记过、党内警告"
    wrong = client.post(url, data)
    assert "“党内警告”不是政务处分" in text_of(wrong)
