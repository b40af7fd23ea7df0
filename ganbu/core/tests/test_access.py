"""Data scope and capabilities (``ganbu.core.access``): the role × capability matrix and scoping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from ganbu.accounts.choices import Role
from ganbu.core.access import (
    ROLE_CAPABILITIES,
    Cap,
    cadres_for,
    can_edit_cadre,
    can_edit_unit,
    can_see_sensitive,
    has_cap,
    require_cap,
    units_for,
)
from ganbu.registry.choices import ManagementAuthority
from ganbu.registry.tests.factories import CadreFactory, UnitFactory

# The matrix of docs/decisions/0004-roles-and-scope.md, written out independently of the code:
# a change to ROLE_CAPABILITIES must be a deliberate change here too.
V, E, D, ID, FAM, SUP, REV, SELF, AUD, USR, BM, BW, BR = (
    Cap.REGISTRY_VIEW,
    Cap.REGISTRY_EDIT,
    Cap.DOCUMENT_ISSUE,
    Cap.SENSITIVE_ID,
    Cap.SENSITIVE_FAMILY,
    Cap.SENSITIVE_SUPERVISION,
    Cap.CORRECTION_REVIEW,
    Cap.SELF_SERVICE,
    Cap.AUDIT_VIEW,
    Cap.USERS_MANAGE,
    Cap.BALLOT_MANAGE,
    Cap.BALLOT_WITNESS,
    Cap.BALLOT_RESULTS,
)
PM, SV, SM, SA, OA, CM, CJ, AP = (
    Cap.POLICY_MANAGE,
    Cap.SELECTION_VIEW,
    Cap.SELECTION_MANAGE,
    Cap.SELECTION_APPROVE,
    Cap.OPINION_ANSWER,
    Cap.CAMPAIGN_MANAGE,
    Cap.CAMPAIGN_JUDGE,
    Cap.APPLICANT_PORTAL,
)
# Issue 14: the assessment office (考核) and the supervising bodies (谈话, 信访举报, 联席会议, 经济责任审计).
AV, AM, SUV, SUM = (
    Cap.ASSESSMENT_VIEW,
    Cap.ASSESSMENT_MANAGE,
    Cap.SUPERVISION_VIEW,
    Cap.SUPERVISION_MANAGE,
)
# Issue 15: the cadre-allocation office (任期, 交流, 班子结构) and the training office (教育培训).
LV, LM, TV, TM = (
    Cap.ALLOCATION_VIEW,
    Cap.ALLOCATION_MANAGE,
    Cap.TRAINING_VIEW,
    Cap.TRAINING_MANAGE,
)
EXPECTED = {
    Role.ORG_OFFICER: {V, E, D, ID, FAM, SUP, REV, BM, BW, BR, SV, SM, CM, AV, AM, SUV, SUM, LV, LM, TV, TM},
    Role.ORG_LEADER: {V, ID, FAM, SUP, AUD, BW, BR, SV, SA, AV, SUV, LV, TV},
    Role.UNIT_OFFICER: {V, E, D, ID, FAM, REV, BM, BW, CM, AV, AM, LV, TV},
    Role.SUPERVISOR: {V, SUP, OA, SUV, SUM},
    Role.COMMITTEE_MEMBER: {V},
    Role.CADRE: {SELF},
    Role.AUDITOR: {AUD},
    Role.ADMIN: {USR, AUD, PM},
    Role.JUDGE: {CJ},
    Role.APPLICANT: {AP},
}
MATRIX = [(role, cap, cap in caps) for role, caps in EXPECTED.items() for cap in Cap]


def test_every_role_has_a_row_in_the_matrix() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role.values) == set(EXPECTED)


@pytest.mark.parametrize(("role", "cap", "granted"), MATRIX, ids=[f"{r}-{c}" for r, c, _ in MATRIX])
def test_role_capability_matrix(make_user, role: str, cap: Cap, granted: bool) -> None:
    user = make_user(role)
    assert has_cap(user, cap) is granted
    if granted:
        require_cap(user, cap)
    else:
        with pytest.raises(Http404):
            require_cap(user, cap)


def test_inactive_and_anonymous_users_have_no_capability(make_user) -> None:
    inactive = make_user(Role.ORG_OFFICER, is_active=False)
    assert not any(has_cap(inactive, cap) for cap in Cap)
    assert not any(has_cap(AnonymousUser(), cap) for cap in Cap)
    assert not has_cap(None, Cap.REGISTRY_VIEW)


# ---------------------------------------------------------------- cadres_for and units_for


@pytest.fixture
def people(tree):
    """One cadre in each unit of the tree."""
    return {
        "root": CadreFactory(unit=tree.root, name="县领导"),
        "finance": CadreFactory(unit=tree.finance, name="财政干部"),
        "forestry": CadreFactory(unit=tree.forestry, name="林业干部"),
        "station": CadreFactory(
            unit=tree.station, name="站长", management_authority=ManagementAuthority.UNIT
        ),
        "town": CadreFactory(
            unit=tree.town, name="镇干部", management_authority=ManagementAuthority.COUNTY_COMMITTEE
        ),
    }


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_county_wide_officer_sees_every_cadre(officer, people) -> None:
    assert names(cadres_for(officer)) == {c.name for c in people.values()}


def test_unit_officer_sees_only_their_subtree(make_user, tree, people) -> None:
    user = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    assert names(cadres_for(user)) == {"林业干部", "站长"}
    assert set(units_for(user)) == {tree.forestry, tree.station}


def test_subtree_is_by_path_not_by_name_prefix(make_user, tree) -> None:
    # A sibling whose name begins like the scope unit's is still outside the subtree.
    sibling = UnitFactory(name="县林业局（另）", parent=tree.root)
    CadreFactory(unit=sibling, name="邻居")
    user = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    assert "邻居" not in names(cadres_for(user))
    assert sibling not in set(units_for(user))


def test_self_service_cadre_sees_only_self(make_user, people) -> None:
    user = make_user(Role.CADRE, cadre=people["finance"])
    assert list(cadres_for(user)) == [people["finance"]]
    assert list(units_for(user)) == [people["finance"].unit]


def test_self_service_user_without_a_record_sees_nothing(make_user, people) -> None:
    user = make_user(Role.CADRE)
    assert not cadres_for(user).exists()
    assert not units_for(user).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_roles_without_registry_view_see_no_cadre(make_user, people, role: str) -> None:
    user = make_user(role)
    assert not cadres_for(user).exists()
    assert not units_for(user).exists()


def test_scope_authorities_limit_cadres(make_user, people) -> None:
    user = make_user(
        Role.ORG_OFFICER, scope_authorities=[ManagementAuthority.COUNTY_COMMITTEE, ManagementAuthority.UNIT]
    )
    assert names(cadres_for(user)) == {"站长", "镇干部"}


def test_scope_unit_and_authorities_combine(make_user, tree, people) -> None:
    user = make_user(Role.SUPERVISOR, scope_unit=tree.forestry, scope_authorities=[ManagementAuthority.UNIT])
    assert names(cadres_for(user)) == {"站长"}


# ---------------------------------------------------------------- edit and sensitive checks


def test_can_edit_cadre_needs_edit_capability_and_scope(make_user, tree, people) -> None:
    unit_officer = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    assert can_edit_cadre(unit_officer, people["station"])
    assert not can_edit_cadre(unit_officer, people["finance"])
    leader = make_user(Role.ORG_LEADER)
    assert not can_edit_cadre(leader, people["station"])


def test_can_edit_unit_within_subtree_only(make_user, tree) -> None:
    unit_officer = make_user(Role.UNIT_OFFICER, scope_unit=tree.forestry)
    assert can_edit_unit(unit_officer, tree.station)
    assert can_edit_unit(unit_officer, tree.forestry)
    assert not can_edit_unit(unit_officer, tree.root)
    assert not can_edit_unit(unit_officer, tree.finance)
    assert not can_edit_unit(make_user(Role.COMMITTEE_MEMBER), tree.finance)


def test_sensitive_parts_by_role_or_own_record(make_user, people) -> None:
    own = people["finance"]
    cadre_user = make_user(Role.CADRE, cadre=own)
    for cap in (Cap.SENSITIVE_ID, Cap.SENSITIVE_FAMILY, Cap.SENSITIVE_SUPERVISION):
        assert can_see_sensitive(cadre_user, own, cap)
        assert not can_see_sensitive(cadre_user, people["town"], cap)
    member = make_user(Role.COMMITTEE_MEMBER)
    assert not can_see_sensitive(member, own, Cap.SENSITIVE_ID)
    supervisor = make_user(Role.SUPERVISOR)
    assert can_see_sensitive(supervisor, own, Cap.SENSITIVE_SUPERVISION)
    assert not can_see_sensitive(supervisor, own, Cap.SENSITIVE_FAMILY)
