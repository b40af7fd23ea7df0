"""The audit page in words (issue 10, item 13): labelled changes, names instead of ids, codes as
labels, citations without rule IDs, and a cadre filter by name through the type-ahead picker."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse

from ganbu.core.audit import audit_record
from ganbu.registry.tests.factories import CadreFactory
from ganbu.web.tests.test_words_users_see import _leaks_in, visible_text

from .test_org_support import make_post, text_of

pytestmark = pytest.mark.django_db

BASIS = "免职（《党政领导干部选拔任用工作条例》(2019) 免职情形，rules.md DISC-13，置信度 S）"


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", display_name="审计员甲")


@pytest.fixture
def trail(tree, officer):
    """Events as the workflows write them: ids of cadres and rows, counters and codes in snapshots."""
    he = CadreFactory(name="何明", unit=tree.finance)
    zhang = CadreFactory(name="张丽", unit=tree.forestry)
    CadreFactory(name="何平", unit=tree.town)  # named nowhere in the trail
    post = make_post(officer, tree.finance, "副局长")
    with transaction.atomic():
        audit_record(
            actor=officer,
            event_type="selection.step",
            target=he,
            before={"step": "candidates"},
            after={"candidates": [he.pk, zhang.pk], "notice_id": None, "kind": "committee"},
            reason=BASIS,
            cadre_id=he.pk,
        )
        audit_record(
            actor=officer,
            event_type="voting.credentials_issued",
            target=post,
            after={"issued_total": 4, "category": "单位领导班子成员", "unit": tree.finance.pk},
            cadre_id=zhang.pk,
        )
    return {"he": he, "zhang": zhang, "post": post}


def test_changes_are_labelled_with_names_not_ids(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("web:audit-list"))
    text = text_of(response)
    shown, _ = visible_text(response.content.decode())  # text, tooltips and placeholders
    for raw in ("issued_total", "notice_id", "candidates", "干部 #", "selection.step", "committee"):
        assert raw not in shown, raw
    assert "累计发放投票码" in text and "考察对象" in text and "任前公示" in text
    assert "确定考察对象" in text  # the step by its label
    assert "常委会票决" in text  # the ballot kind by its label
    assert "何明、张丽" in text  # the candidates' ids as names, in one line
    assert "干部：何明" in text and "干部：张丽" in text
    assert "县财政局" in text  # a foreign key of the target model, by name


def test_a_citation_in_a_reason_shows_the_regulation_and_keeps_codes_in_the_toggle(client, auditor, trail):
    client.force_login(auditor)
    html = client.get(reverse("web:audit-list")).content.decode()
    shown, _ = visible_text(html)
    assert "《党政领导干部选拔任用工作条例》(2019) 免职情形" in shown
    assert _leaks_in(shown) == []
    assert '<details class="specialist' in html and "DISC-13" in html


def test_the_cadre_filter_takes_a_picked_cadre_and_shows_its_name(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("web:audit-list"), {"cadre_id": trail["he"].pk})
    assert [row.event.cadre_id for row in response.context["rows"]] == [trail["he"].pk]
    html = response.content.decode()
    assert 'data-picker="cadres"' in html and 'data-picker-label="何明"' in html
    assert reverse("web:audit-picker-cadres") in html


@pytest.mark.parametrize("typed", ["何明", "何", "hm"])
def test_the_cadre_filter_takes_a_typed_name_or_initials(client, auditor, trail, typed):
    """Without JavaScript the box sends what was typed: a name, part of it, or pinyin initials."""
    client.force_login(auditor)
    response = client.get(reverse("web:audit-list"), {"cadre_id": typed})
    assert response.status_code == 200
    assert [row.event.cadre_id for row in response.context["rows"]] == [trail["he"].pk]


def test_the_picker_offers_the_cadres_the_trail_names(client, auditor, trail):
    client.force_login(auditor)
    answer = json.loads(client.get(reverse("web:audit-picker-cadres"), {"q": "何"}).content)
    assert [r["name"] for r in answer["results"]] == ["何明"]  # 何平 is named nowhere in the trail
    assert answer["results"][0]["text"] == "何明（县财政局）"
    assert (
        json.loads(client.get(reverse("web:audit-picker-cadres"), {"q": "zl"}).content)["results"][0]["name"]
        == "张丽"
    )


def test_the_picker_is_not_there_for_those_who_may_not_read_the_trail(client, officer, trail):
    client.force_login(officer)
    assert client.get(reverse("web:audit-picker-cadres"), {"q": "何"}).status_code == 404


def test_every_key_a_service_writes_into_a_snapshot_has_a_chinese_label():
    """Keys written literally in ``audit_record(before=…, after=…)`` are labelled on the audit page."""
    import ast
    from pathlib import Path

    from django.apps import apps

    from ganbu.core.audit_display import KEY_LABELS

    fields = {f.name for m in apps.get_models() for f in m._meta.concrete_fields}
    written: dict[str, str] = {}
    for path in (Path(__file__).resolve().parents[2]).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(getattr(call, "func", None), "id", None) or getattr(
                getattr(call, "func", None), "attr", None
            )
            if not isinstance(call, ast.Call) or name != "audit_record":
                continue
            for keyword in call.keywords:
                if keyword.arg in ("before", "after"):
                    for node in ast.walk(keyword.value):
                        if isinstance(node, ast.Dict):
                            for key in node.keys:
                                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                                    written[key.value] = path.name
    assert {"issued_total", "notice_id", "candidate_id"} <= written.keys()
    missing = sorted(k for k in written if k not in KEY_LABELS and k not in fields)
    assert missing == [], f"审计页缺少这些变更项的中文名称：{missing}"
