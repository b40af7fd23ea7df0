"""The 考核 pages: list (paged, fixed queries), create, detail actions, entry, close, consequences."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ganbu.assessment import services
from ganbu.assessment.models import AssessmentRound, Consequence, RoundStatus
from ganbu.registry.models import Assessment, RewardSanction

from .conftest import CLOSED, HELD


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_pages_with_fixed_queries(officer, tree, django_assert_max_num_queries, settings):
    settings.GANBU_PAGE_SIZE = 10
    for year in range(2000, 2030):
        services.round_create(actor=officer, unit=tree.finance, year=year, held_on=HELD.replace(year=year))
    client = _client(officer)
    client.get(reverse("web:assessment-home"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:assessment-home"))
    assert response.status_code == 200
    assert "县财政局2029年度考核" in response.content.decode()
    assert "县财政局2000年度考核" not in response.content.decode()


def test_unit_officer_sees_only_their_units(officer, unit_officer, tree):
    services.round_create(actor=officer, unit=tree.finance, year=2024, held_on=HELD)
    services.round_create(actor=officer, unit=tree.forestry, year=2024, held_on=HELD)
    text = _client(unit_officer).get(reverse("web:assessment-home")).content.decode()
    assert "县林业局2024年度考核" in text and "县财政局" not in text


def test_create_and_fill(officer, tree, finance_cadres):
    client = _client(officer)
    response = client.post(
        reverse("web:assessment-create"),
        {
            "unit": tree.finance.pk,
            "year": 2024,
            "kind": "annual",
            "subject": "cadres",
            "held_on": "2025-01-15",
        },
    )
    created = AssessmentRound.objects.get()
    assert response.status_code == 302
    client.post(reverse("web:assessment-detail", args=[created.pk]), {"action": "fill"})
    assert created.entries.count() == 8


def test_create_bad_input_writes_nothing(officer, tree):
    response = _client(officer).post(
        reverse("web:assessment-create"),
        {
            "unit": tree.finance.pk,
            "year": 2024,
            "kind": "annual",
            "subject": "cadres",
            "held_on": "2023-01-15",
        },
    )
    assert response.status_code == 200
    assert "不能早于考核年度" in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_detail_creates_the_ballot(officer, annual):
    client = _client(officer)
    response = client.post(
        reverse("web:assessment-detail", args=[annual.pk]), {"action": "ballot"}, follow=True
    )
    annual.refresh_from_db()
    assert annual.ballot is not None
    assert annual.ballot.title in response.content.decode()


def test_entry_sanction_refusal_shown_without_rule_ids(officer, annual, finance_cadres):
    RewardSanction.objects.create(
        cadre=finance_cadres[0],
        kind="sanction",
        name="警告",
        sanction_type="warning",
        decided_on=HELD.replace(year=2024),
        approving_body="县纪委",
    )
    entry = annual.entries.get(cadre=finance_cadres[0])
    response = _client(officer).post(
        reverse("web:assessment-entry", args=[annual.pk, entry.pk]), {"final_grade": "excellent"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "不得确定为优秀等次" in text and "EVAL-09" not in text
    entry.refresh_from_db()
    assert entry.final_grade == ""


def test_close_above_quota_shows_the_reason(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "excellent", finance_cadres[1]: "excellent"})
    response = _client(officer).post(
        reverse("web:assessment-close", args=[annual.pk]), {"closed_on": "2025-01-20"}
    )
    assert "尚未批准" in response.content.decode()
    annual.refresh_from_db()
    assert annual.status == RoundStatus.OPEN


def test_close_then_consequence_links_to_the_demotion_form(officer, annual, grade, finance_cadres):
    grade(annual, {finance_cadres[0]: "incompetent"})
    client = _client(officer)
    response = client.post(
        reverse("web:assessment-close", args=[annual.pk]), {"closed_on": CLOSED.isoformat()}
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(year=2024).count() == 8
    consequence = Consequence.objects.get()
    text = client.get(reverse("web:assessment-detail", args=[annual.pk])).content.decode()
    demotion = reverse("web:exit-create", args=["demotion"]) + f"?cadre={finance_cadres[0].pk}"
    assert demotion in text
    detail = client.get(reverse("web:assessment-consequence", args=[consequence.pk])).content.decode()
    assert demotion in detail and "第五十条" in detail
    client.post(
        reverse("web:assessment-consequence", args=[consequence.pk]),
        {"handled_on": "2025-02-01", "note": "已降职"},
    )
    consequence.refresh_from_db()
    assert consequence.status == "handled"


def test_consequence_list_fixed_queries(
    officer, annual, grade, finance_cadres, django_assert_max_num_queries
):
    grade(annual, dict.fromkeys(finance_cadres[:4], "incompetent"))
    services.round_close(actor=officer, assessment_round=annual, data=services.CloseInput(closed_on=CLOSED))
    client = _client(officer)
    client.get(reverse("web:assessment-consequences"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("web:assessment-consequences"))
    assert response.content.decode().count("办理降职") == 4


def test_org_leader_cannot_post(make_user, annual):
    response = _client(make_user("org_leader")).post(
        reverse("web:assessment-detail", args=[annual.pk]), {"action": "fill"}
    )
    assert response.status_code == 404
