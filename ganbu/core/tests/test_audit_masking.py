"""The table of sensitive audit content, tied to the record pages' rules, and ``ganbu audit tail``."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from ganbu.accounts.choices import Role
from ganbu.core.access import SENSITIVE_CAPS, Sensitive, can_see_sensitive, may_see
from ganbu.core.audit_display import SENSITIVE_RULES, mask_id_number
from ganbu.exits import selectors as exits_selectors
from ganbu.registry import services
from ganbu.registry.choices import RewardSanctionKind
from ganbu.registry.tests.factories import CadreFactory
from ganbu.registry.tests.services.conftest import cadre_data, id_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_may_see_answers_as_the_record_pages_do_for_every_role(role, make_user, tree) -> None:
    cadre = CadreFactory(unit=tree.finance)
    user = make_user(role, cadre=cadre if role == Role.CADRE else None)
    other = CadreFactory(unit=tree.finance)
    for part, cap in SENSITIVE_CAPS.items():
        for subject in (cadre, other):
            assert may_see(user, part, subject.pk) == can_see_sensitive(user, subject, cap), (part, subject)
    assert may_see(user, Sensitive.SUPERVISION) == exits_selectors.may_see_proceedings(user)
    assert may_see(user, Sensitive.INCOMPETENCE) == exits_selectors.may_see_cases(user)


def test_every_sensitive_part_has_a_rule_and_every_rule_target_is_a_model() -> None:
    from django.apps import apps

    assert {rule.part for rule in SENSITIVE_RULES} == set(Sensitive)
    for rule in SENSITIVE_RULES:
        if rule.target_type:
            apps.get_model(rule.target_type)  # raises for a renamed model


def test_the_record_fields_named_sensitive_exist() -> None:
    from ganbu.campaigns.models import Applicant
    from ganbu.registry.models import Cadre

    # The ID-number rule masks the key ``id_number`` wherever a snapshot holds it.
    assert Cadre._meta.get_field("id_number") and Applicant._meta.get_field("id_number")


def test_mask_id_number() -> None:
    assert mask_id_number("32010219800517001X") == "3" + "*" * 16 + "X"
    assert mask_id_number("12") == "**"


def test_audit_tail_hides_sensitive_targets_and_reasons(tree, officer) -> None:
    cadre = services.cadre_create(
        actor=officer, data=cadre_data(tree.finance, id_number=id_number(dt.date(1980, 5, 17)))
    )
    services.family_member_save(actor=officer, cadre=cadre, data={"relation": "女儿", "name": "何小红"})
    services.reward_sanction_record(
        actor=officer,
        cadre=cadre,
        data={
            "kind": RewardSanctionKind.SANCTION,
            "name": "警告处分",
            "sanction_type": "warning",
            "decided_on": dt.date(2023, 3, 1),
            "approving_body": "县纪委",
            "reason": "违反工作纪律",
        },
    )
    out = StringIO()
    call_command("audit", "tail", stdout=out)
    text = out.getvalue()
    assert "何小红" not in text and "警告处分" not in text
    assert text.count("（已隐去）") == 2
    assert "张三" in text  # the cadre's own record is not a sensitive part
