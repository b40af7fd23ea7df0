"""Issue 10 on the people pages: implausible dates refused next to the field (item 2), sanction
impact periods computed from the kind, overrides with a reason, shown on the record (item 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ganbu.registry.models import Cadre, ResumeEntry, RewardSanction

from .test_people_forms import form_data
from .test_people_support import field_errors, make_cadre, text_of, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadre(officer, tree):
    return make_cadre(officer, tree.finance, "张三", work_start_date=dt.date(2002, 7, 1))


# ---------------------------------------------------------------- item 2: the cadre form


def test_future_birth_date_is_refused_next_to_the_field(client, officer, tree):
    """The issue's case: the form saved 2030-01-01 (shown as 2030.01, counted under 35岁及以下)."""
    client.force_login(officer)
    before = written()
    response = client.post(
        reverse("web:cadre-create"),
        form_data(
            tree.finance, birth_date="2030-01-01", id_number="", party_join_date="", work_start_date=""
        ),
    )
    assert response.status_code == 200
    (message,) = field_errors(response, "birth_date")
    assert message.startswith("出生日期 2030年1月1日 晚于今天") and message.endswith(
        "出生日期不能是将来的日期。"
    )
    assert message in text_of(response)
    assert written() == before and not Cadre.objects.exists()


def test_work_start_before_birth_is_refused_next_to_the_field(client, officer, tree):
    """The issue's case: 参加工作 in 1970 for someone born in 1985 (the ID number matches the birth)."""
    client.force_login(officer)
    response = client.post(
        reverse("web:cadre-create"),
        form_data(
            tree.finance, birth_date="1985-03-12", id_number="", work_start_date="1970.01", party_join_date=""
        ),
    )
    assert field_errors(response, "work_start_date") == [
        "参加工作时间 1970年1月 早于出生日期 1985年3月12日。"
    ]
    assert not Cadre.objects.exists()


def test_editing_the_birth_date_to_age_eleven_is_refused(client, officer, cadre):
    client.force_login(officer)
    today = timezone.localdate()
    eleven = today.replace(year=today.year - 11, day=1)
    data = form_data(cadre.unit, birth_date=eleven.isoformat(), id_number="", party_join_date="", reason="")
    before = written()
    response = client.post(reverse("web:cadre-edit", args=[cadre.pk]), data)
    assert response.status_code == 200
    (message,) = field_errors(response, "birth_date")
    assert "年仅 11 周岁" in message and "《中华人民共和国劳动法》第十五条" in message
    assert written() == before


def test_resume_line_in_the_future_is_refused_on_its_form(client, officer, cadre):
    client.force_login(officer)
    response = client.post(
        reverse("web:cadre-resume-add", args=[cadre.pk]),
        {"start_date": "2020.01", "end_date": "2099.01", "text": "某局"},
    )
    assert response.status_code == 200
    assert field_errors(response, "end_date")[0].startswith("终止年月 2099年1月 晚于今天")
    assert not ResumeEntry.objects.exists()


# ---------------------------------------------------------------- item 6: sanctions


def sanction_post(**fields):
    data = {
        "kind": "sanction",
        "name": "",
        "decided_on": "2024-03-15",
        "approving_body": "县纪委",
        "reason": "",
    }
    data.update(fields)
    return data


def test_sanction_form_offers_the_kinds_and_computes_the_period(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-reward-add", args=[cadre.pk])
    page = client.get(add).content.decode()
    assert 'name="sanction_type"' in page and "记大过" in page and "留党察看二年" in page
    response = client.post(add, sanction_post(sanction_type="demerit"))
    assert response.status_code == 302
    saved = RewardSanction.objects.get()
    assert (saved.name, saved.effective_until) == ("记过", dt.date(2025, 3, 14))
    record = text_of(client.get(reverse("web:cadre-detail", args=[cadre.pk])))
    assert "2025-03-14" in record and "依《中华人民共和国公职人员政务处分法》第八条：记过，十二个月" in record


def test_sanction_override_needs_a_reason_on_the_form_and_shows_it(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-reward-add", args=[cadre.pk])
    before = written()
    refused = client.post(add, sanction_post(sanction_type="warning", effective_until="2024-12-31"))
    assert refused.status_code == 200
    (message,) = field_errors(refused, "period_override_reason")
    assert "该警告的影响期至2024年9月14日" in message and "须在“调整理由”中说明依据" in message
    assert written() == before
    ok = client.post(
        add,
        sanction_post(
            sanction_type="warning", effective_until="2024-12-31", period_override_reason="处分决定书另有载明"
        ),
    )
    assert ok.status_code == 302
    record = text_of(client.get(reverse("web:cadre-detail", args=[cadre.pk])))
    assert "2024-12-31" in record and "调整理由：处分决定书另有载明" in record


def test_an_expulsion_prints_that_its_effect_does_not_expire(client, officer, cadre):
    client.force_login(officer)
    add = reverse("web:cadre-reward-add", args=[cadre.pk])
    assert client.post(add, sanction_post(sanction_type="party_expulsion")).status_code == 302
    record = text_of(client.get(reverse("web:cadre-detail", args=[cadre.pk])))
    assert "开除党籍（影响不因期满解除）" in record and "不因期满解除" in record
