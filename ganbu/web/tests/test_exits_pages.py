"""能上能下 pages: the year page with its due lists, the exit forms (errors re-render, nothing
written), the incompetence case pages, the proceedings, and the role/scope matrix (404)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ganbu.exits import services
from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
from ganbu.exits.tests.helpers import decision, leader, make_posts, run_evaluation, written
from ganbu.registry.choices import CadreStatus
from ganbu.rules.exits import MSG_RESIGNATION_BLOCKED_GENERIC
from ganbu.voting import services as voting
from ganbu.voting.choices import BallotKind

from .test_org_support import count_queries, text_of

pytestmark = pytest.mark.django_db

D = dt.date
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def posts(tree):
    return make_posts(tree)


@pytest.fixture
def unit_officer(make_user, tree):
    """A unit officer of 县林业局 (another subtree than 县财政局)."""
    return make_user("unit_officer", scope_unit=tree.forestry)


def form_data(cadre, number="示委〔2025〕1号", on="2025-06-15", **extra):
    return {
        "cadre": cadre.pk,
        "document_number": number,
        "document_title": "",
        "issuing_body": "中共示例县委",
        "decided_on": on,
        "effective_on": on,
        "reason": "到龄离岗",
        "basis": "",
        **extra,
    }


def test_year_page_lists_due_leaders_and_retirements_and_links_the_forms(client, officer, posts, tree):
    due = leader(officer, posts.deputy, D(1970, 6, 15), name="到龄甲")
    leader(officer, posts.head, D(1965, 1, 15), name="退休乙")
    client.force_login(officer)
    response = client.get(reverse("web:exit-home"), {"year": 2025})
    assert response.status_code == 200
    text = text_of(response)
    assert "2025年达到离岗退养年龄的领导干部" in text and "到龄甲" in text and "2025-06-15（55周岁）" in text
    assert "退休乙" in text and "2025-02-15（60周岁1个月）" in text
    html = response.content.decode()
    assert f"{reverse('web:exit-create', args=['early_exit'])}?cadre={due.pk}&amp;on=2025-06-15" in html
    assert reverse("web:exit-home") in client.get(reverse("web:dashboard")).content.decode()  # the nav item


def test_year_page_runs_a_fixed_number_of_queries(client, officer, posts):
    client.force_login(officer)
    url = reverse("web:exit-home") + "?year=2025"
    counts = []
    for n, start in ((1, 10), (5, 20)):
        for i in range(n):
            cadre = leader(officer, posts.deputy, D(1970, 1, 1 + i), name=f"甲{start + i}")
            leader(officer, posts.clerk, D(1965, 1, 1 + i), name=f"乙{start + i}")
            services.removal_record(
                actor=officer, cadre=cadre, decision=decision(f"示委〔2025〕{start + i}号", D(2025, 2, 1))
            )
            leader(officer, posts.deputy, D(1970, 2, 1 + i), name=f"丙{start + i}")
        count, response = count_queries(client, url)
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1]


def test_odd_query_parameters_never_fail(client, officer):
    client.force_login(officer)
    for params in ({"year": "abc"}, {"year": "99999999999999999999"}, {"kind": "<script>"}, {"page": "-1"}):
        assert client.get(reverse("web:exit-home"), params).status_code == 200
    url = reverse("web:exit-create", args=["early_exit"])
    assert client.get(url, {"cadre": "x", "on": "2025-13-45"}).status_code == 200
    assert client.get(reverse("web:exit-create", args=["bogus"])).status_code == 404


def test_early_exit_form_records_and_redirects_to_the_record(client, officer, posts):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    client.force_login(officer)
    url = reverse("web:exit-create", args=["early_exit"])
    page = client.get(url, {"cadre": cadre.pk, "on": "2025-06-15"}).content.decode()
    assert 'data-picker="cadres"' in page and f'value="{cadre.pk}"' in page and 'value="2025-06-15"' in page
    response = client.post(url, form_data(cadre))
    record = ExitRecord.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:exit-detail", args=[record.pk])
    detail = text_of(client.get(response.url))
    assert "离岗退养" in detail and "示委〔2025〕1号" in detail and "免去" in detail
    cadre.refresh_from_db()
    assert cadre.status == CadreStatus.EARLY_EXIT


def test_a_refused_exit_re_renders_with_the_rule_and_writes_nothing(client, officer, posts):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    client.force_login(officer)
    before = written()
    response = client.post(reverse("web:exit-create", args=["early_exit"]), form_data(cadre, on="2025-06-14"))
    assert response.status_code == 200
    text = text_of(response)
    assert "尚未达到本县离岗退养年龄" in text and "RET-06" not in text and "什么也没有写入" in text
    assert written() == before


@pytest.mark.parametrize(
    "bad",
    [
        {"effective_on": "2025-02-30"},
        {"effective_on": "0001-01-01"},
        {"cadre": "99999999999999999999"},
        {"cadre": "abc"},
        {"document_number": ""},
        {"reason": ""},
    ],
)
def test_bad_input_re_renders_with_chinese_errors(client, officer, posts, bad):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))
    client.force_login(officer)
    before = written()
    response = client.post(reverse("web:exit-create", args=["early_exit"]), {**form_data(cadre), **bad})
    assert response.status_code == 200
    messages = re.findall(r'<div class="invalid-feedback d-block">([^<]+)</div>', response.content.decode())
    assert messages and all(CJK.search(m) for m in messages), messages
    assert written() == before


def test_demotion_and_reassignment_forms_use_the_post_picker(client, officer, posts):
    cadre = leader(officer, posts.head, D(1978, 1, 1))
    client.force_login(officer)
    page = client.get(reverse("web:exit-create", args=["reassign_non_leadership"])).content.decode()
    assert 'data-picker="posts"' in page and reverse("web:picker-posts") in page
    response = client.post(
        reverse("web:exit-create", args=["demotion"]),
        form_data(cadre, new_rank="section", new_post=""),
    )
    assert response.status_code == 200 and "并未降低" in text_of(response)
    response = client.post(
        reverse("web:exit-create", args=["demotion"]),
        form_data(cadre, new_rank="deputy_section", new_post=posts.deputy.pk),
    )
    assert response.status_code == 302
    assert ExitRecord.objects.get().new_post == posts.deputy


def test_a_unit_officer_of_another_subtree_gets_404_and_cannot_pick_outside_the_scope(
    client, officer, unit_officer, posts
):
    cadre = leader(officer, posts.deputy, D(1970, 6, 15))  # 县财政局
    record = services.early_exit_record(
        actor=officer, cadre=cadre, decision=decision("示委〔2025〕9号", D(2025, 6, 15))
    )
    client.force_login(unit_officer)
    assert client.get(reverse("web:exit-detail", args=[record.pk])).status_code == 404
    assert record.cadre.name not in text_of(client.get(reverse("web:exit-home"), {"year": 2025}))
    other = leader(officer, posts.head, D(1970, 1, 1))
    before = written()
    response = client.post(
        reverse("web:exit-create", args=["removal"]), form_data(other, number="示林〔2025〕1号")
    )
    assert response.status_code == 200 and "干部不存在或不在您的管理范围内" in text_of(response)
    assert written() == before


def test_roles_without_the_capability_do_not_see_the_forms_cases_or_proceedings(client, make_user):
    member = make_user("committee_member")
    client.force_login(member)
    assert client.get(reverse("web:exit-home")).status_code == 200
    for url in (
        reverse("web:exit-create", args=["removal"]),
        reverse("web:exit-case-list"),
        reverse("web:exit-proceedings"),
    ):
        assert client.get(url).status_code == 404
    client.force_login(make_user("cadre"))
    assert client.get(reverse("web:exit-home")).status_code == 404


def test_resignation_refused_generically_for_a_unit_officer_during_a_proceeding(
    client, officer, unit_officer, make_user, posts
):
    cadre = leader(officer, posts.station_head, D(1980, 1, 1))
    services.proceeding_open(
        actor=make_user("supervisor"), cadre=cadre, kind="audit", body="县审计局", started_on=D(2025, 1, 1)
    )
    client.force_login(unit_officer)
    before = written()
    response = client.post(
        reverse("web:exit-create", args=["resignation_entire"]), form_data(cadre, number="示林〔2025〕2号")
    )
    text = text_of(response)
    assert response.status_code == 200 and MSG_RESIGNATION_BLOCKED_GENERIC in text and "县审计局" not in text
    assert written() == before


def test_supervisors_record_and_close_proceedings_and_unit_officers_get_404(
    client, officer, unit_officer, make_user, posts
):
    cadre = leader(officer, posts.deputy, D(1980, 1, 1))
    supervisor = make_user("supervisor")
    client.force_login(supervisor)
    url = reverse("web:exit-proceedings")
    response = client.post(url, {"cadre": cadre.pk, "kind": "bogus", "body": "", "started_on": "2025-01-01"})
    assert response.status_code == 200 and not Proceeding.objects.exists()
    response = client.post(
        url,
        {"cadre": cadre.pk, "kind": "discipline_review", "body": "县纪委监委", "started_on": "2025-01-01"},
    )
    assert response.status_code == 302
    proceeding = Proceeding.objects.get()
    assert "县纪委监委" in text_of(client.get(url))
    close = reverse("web:exit-proceeding-close", args=[proceeding.pk])
    response = client.post(close, {"ended_on": "2024-12-31", "note": ""})
    assert response.status_code == 200 and "结束日期不能早于开始日期" in text_of(response)
    assert client.post(close, {"ended_on": "2025-02-01", "note": "结案"}).status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.ended_on == D(2025, 2, 1)
    client.force_login(unit_officer)
    assert client.get(url).status_code == 404 and client.get(close).status_code == 404


def test_incompetence_case_pages_from_flagged_evaluation_to_adjustment(
    client, officer, unit_officer, posts, tree
):
    cadre = leader(officer, posts.head, D(1975, 1, 1), name="李测评")
    ballot = voting.ballot_create(
        actor=officer, kind=BallotKind.EVALUATION, title="年度民主测评", unit=tree.finance, threshold="3/10"
    )
    item = voting.ballot_item_add(actor=officer, ballot=ballot, cadre=cadre)
    result = run_evaluation(officer, ballot, item, ["incompetent"] * 4 + ["competent"] * 6)
    client.force_login(officer)
    cases = reverse("web:exit-case-list")
    assert "年度民主测评" in text_of(client.get(cases))
    response = client.post(cases, {"evaluation": result.pk, "opened_on": "2025-03-01"})
    case = IncompetenceCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:exit-case-detail", args=[case.pk])
    page = reverse("web:exit-case-detail", args=[case.pk])
    adjust = {
        "action": "adjust",
        "adjust-adjustment": "removal",
        "adjust-document_number": "示委〔2025〕7号",
        "adjust-issuing_body": "中共示例县委",
        "adjust-decided_on": "2025-04-01",
        "adjust-effective_on": "2025-04-01",
        "adjust-reason": "经考察认定不称职",
    }
    # Adjusting before the inspection is refused on the page, with the rule.
    response = client.post(page, adjust)
    assert response.status_code == 200 and "须先完成组织考察并认定不称职" in text_of(response)
    assert not ExitRecord.objects.exists()
    conclude = {
        "action": "conclude",
        "conclude-confirmed": "1",
        "conclude-conclusion": "认定不称职",
        "conclude-inspected_on": "2025-03-20",
        "conclude-inspectors": "王考察",
    }
    assert client.post(page, conclude).status_code == 302
    assert client.post(page, adjust).status_code == 302
    case.refresh_from_db()
    assert case.step == "adjusted" and case.outcome.kind == "removal"
    assert "已调整（已结案）" in text_of(client.get(page))
    detail = text_of(client.get(reverse("web:exit-detail", args=[case.outcome.pk])))
    assert "由不称职调整程序（2025-03-01 启动）作出" in detail and "考察认定不称职" in detail
    client.force_login(unit_officer)
    assert client.get(page).status_code == 404 and client.get(cases).status_code == 404


def _due_rows(response, card: str) -> list[int]:
    """The cadre ids listed in a due card (``due-early-exit`` or ``due-retirement``), in order."""
    html = response.content.decode()
    section = html[html.index(f'id="{card}"') :]
    section = section[: section.index("</table>")]
    return [int(pk) for pk in re.findall(r'<tr data-cadre="(\d+)"', section)]


def test_long_due_lists_show_a_page_at_a_time_and_the_pages_add_up_to_the_whole_list(client, officer, tree):
    from ganbu.exits import selectors
    from ganbu.registry.models import Cadre
    from ganbu.registry.tests.factories import CadreFactory

    # 70 leaders reaching 55 in 2025 and 70 reaching 60y1m, several on each day (the order within
    # a day is by 拼音), so both lists run past one page of 50.
    Cadre.objects.bulk_create(
        CadreFactory.build(unit=tree.finance, gender="M", birth_date=birth, is_leadership=True)
        for i in range(70)
        for birth in (D(1970, 1 + i % 12, 1 + i % 9), D(1965, 1 + i % 12, 1 + i % 9))
    )
    client.force_login(officer)
    url = reverse("web:exit-home")
    for card, param, whole in (
        ("due-early-exit", "early_page", selectors.due_early_exit(user=officer, year=2025)),
        ("due-retirement", "retirement_page", selectors.due_retirement(user=officer, year=2025)),
    ):
        expected = [row.cadre.pk for row in whole]
        first = client.get(url, {"year": 2025})
        assert _due_rows(first, card) == expected[:50]
        assert f"{len(expected)} 人" in text_of(first)
        found = re.search(rf'rel="next" href="\?([^"]*{param}=2[^"]*)"', first.content.decode())
        assert found is not None and "year=2025" in found.group(1)
        second = client.get(f"{url}?{found.group(1).replace('&amp;', '&')}")
        assert _due_rows(first, card) + _due_rows(second, card) == expected
    assert len(expected) > 50
    for params in ({"early_page": "x"}, {"retirement_page": "-3"}, {"early_page": "99999999999"}):
        assert client.get(url, {"year": 2025, **params}).status_code == 200
