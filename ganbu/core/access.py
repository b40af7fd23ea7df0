"""Data scope and capabilities: the one place that decides who may see and do what.

Scope follows 干部管理权限 (domain.md §3): a user's ``scope_unit`` limits them to a unit subtree,
``scope_authorities`` to cadres of some management authorities. Selectors apply scope to every
read; services re-check it before every write. A missing and a forbidden object look the same.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ganbu.accounts.choices import Role

if TYPE_CHECKING:
    from ganbu.registry.models import Cadre, Unit


class Cap(StrEnum):
    """Capabilities granted to roles."""

    REGISTRY_VIEW = "registry.view"
    REGISTRY_EDIT = "registry.edit"
    DOCUMENT_ISSUE = "document.issue"
    SENSITIVE_ID = "sensitive.id"
    SENSITIVE_FAMILY = "sensitive.family"
    SENSITIVE_SUPERVISION = "sensitive.supervision"
    CORRECTION_REVIEW = "correction.review"
    SELF_SERVICE = "self.service"
    AUDIT_VIEW = "audit.view"
    USERS_MANAGE = "users.manage"
    BALLOT_MANAGE = "ballot.manage"
    BALLOT_WITNESS = "ballot.witness"
    BALLOT_RESULTS = "ballot.results"
    POLICY_MANAGE = "policy.manage"
    SELECTION_VIEW = "selection.view"
    SELECTION_MANAGE = "selection.manage"
    SELECTION_APPROVE = "selection.approve"
    OPINION_ANSWER = "opinion.answer"
    CAMPAIGN_MANAGE = "campaign.manage"
    CAMPAIGN_JUDGE = "campaign.judge"
    APPLICANT_PORTAL = "applicant.portal"
    ASSESSMENT_VIEW = "assessment.view"
    ASSESSMENT_MANAGE = "assessment.manage"
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_MANAGE = "supervision.manage"
    ALLOCATION_VIEW = "allocation.view"
    ALLOCATION_MANAGE = "allocation.manage"
    TRAINING_VIEW = "training.view"
    TRAINING_MANAGE = "training.manage"


# Why these sets: the unit officer keeps their unit's records (ID numbers and family included) but
# not discipline files; officers run ballots of their units, the department's leader may witness
# a paper count (监票) and, with the officers, read counted results (unit officers run internal
# votes but read results through the department); supervising bodies see sanctions but not
# families; committee members see the registry for meetings without identity numbers; the system
# auditor sees only the audit trail; the system administrator records county policy values
# (domain.md §4: "changeable by an administrator"). In the appointment procedure officers run the
# steps, the department's leader approves what the rules let pass only with approval (overrides),
# and supervising bodies answer the opinion requests addressed to them. Interview judges (often
# from outside the department) see only the interview sheets of their panels; an applicant who
# registered on the public page sees only their own applications. Allocation (terms, rotation due
# lists, exchanges, team structure and rotation plans) and training are the department's cadre and
# training offices' work: officers keep them county-wide, the leader and unit officers read them (a
# unit officer their own subtree).
ROLE_CAPABILITIES: dict[str, frozenset[Cap]] = {
    Role.ORG_OFFICER: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.REGISTRY_EDIT,
            Cap.DOCUMENT_ISSUE,
            Cap.SENSITIVE_ID,
            Cap.SENSITIVE_FAMILY,
            Cap.SENSITIVE_SUPERVISION,
            Cap.CORRECTION_REVIEW,
            Cap.BALLOT_MANAGE,
            Cap.BALLOT_WITNESS,
            Cap.BALLOT_RESULTS,
            Cap.SELECTION_VIEW,
            Cap.SELECTION_MANAGE,
            Cap.CAMPAIGN_MANAGE,
            Cap.ASSESSMENT_VIEW,
            Cap.ASSESSMENT_MANAGE,
            Cap.SUPERVISION_VIEW,
            Cap.SUPERVISION_MANAGE,
            Cap.ALLOCATION_VIEW,
            Cap.ALLOCATION_MANAGE,
            Cap.TRAINING_VIEW,
            Cap.TRAINING_MANAGE,
        }
    ),
    Role.ORG_LEADER: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.SENSITIVE_ID,
            Cap.SENSITIVE_FAMILY,
            Cap.SENSITIVE_SUPERVISION,
            Cap.AUDIT_VIEW,
            Cap.BALLOT_WITNESS,
            Cap.BALLOT_RESULTS,
            Cap.SELECTION_VIEW,
            Cap.SELECTION_APPROVE,
            Cap.ASSESSMENT_VIEW,
            Cap.SUPERVISION_VIEW,
            Cap.ALLOCATION_VIEW,
            Cap.TRAINING_VIEW,
        }
    ),
    Role.UNIT_OFFICER: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.REGISTRY_EDIT,
            Cap.DOCUMENT_ISSUE,
            Cap.SENSITIVE_ID,
            Cap.SENSITIVE_FAMILY,
            Cap.CORRECTION_REVIEW,
            Cap.BALLOT_MANAGE,
            Cap.BALLOT_WITNESS,
            Cap.CAMPAIGN_MANAGE,
            Cap.ASSESSMENT_VIEW,
            Cap.ASSESSMENT_MANAGE,
            Cap.ALLOCATION_VIEW,
            Cap.TRAINING_VIEW,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Cap.REGISTRY_VIEW,
            Cap.SENSITIVE_SUPERVISION,
            Cap.OPINION_ANSWER,
            Cap.SUPERVISION_VIEW,
            Cap.SUPERVISION_MANAGE,
        }
    ),
    Role.COMMITTEE_MEMBER: frozenset({Cap.REGISTRY_VIEW}),
    Role.CADRE: frozenset({Cap.SELF_SERVICE}),
    Role.AUDITOR: frozenset({Cap.AUDIT_VIEW}),
    Role.ADMIN: frozenset({Cap.USERS_MANAGE, Cap.AUDIT_VIEW, Cap.POLICY_MANAGE}),
    Role.JUDGE: frozenset({Cap.CAMPAIGN_JUDGE}),
    Role.APPLICANT: frozenset({Cap.APPLICANT_PORTAL}),
}


def has_cap(user: Any, cap: Cap) -> bool:
    """Whether an authenticated, active user's role grants ``cap``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return cap in ROLE_CAPABILITIES.get(user.role, frozenset())


def require_cap(user: Any, cap: Cap) -> None:
    """Raise 404 unless the user has ``cap``: a page a role may not use does not exist for it."""
    if not has_cap(user, cap):
        raise Http404("页面不存在或无权访问。")


def unit_scope_q(user: Any, prefix: str = "") -> Q:
    """A filter limiting units (or rows with a unit at ``prefix``) to the user's unit subtree."""
    if user.scope_unit_id is None:
        return Q()
    return Q(**{f"{prefix}path__startswith": user.scope_unit.path})


def units_for(user: Any) -> QuerySet[Unit]:
    """Units the user may see: their subtree, or the whole county.

    A cadre in self-service sees only the unit of their own record: the unit list, its posts and
    quotas are registry data that domain.md §3 does not give them ("own record only").
    """
    from ganbu.registry.models import Cadre, Unit

    if has_cap(user, Cap.REGISTRY_VIEW):
        return Unit.objects.filter(unit_scope_q(user))
    if has_cap(user, Cap.SELF_SERVICE) and user.cadre_id:
        # A subquery, not a join through ``cadres``, so later annotations count every cadre.
        return Unit.objects.filter(pk__in=Cadre.objects.filter(pk=user.cadre_id).values("unit_id"))
    return Unit.objects.none()


def cadres_for(user: Any) -> QuerySet[Cadre]:
    """Cadres the user may see. A cadre in self-service sees only their own record."""
    from ganbu.registry.models import Cadre

    if has_cap(user, Cap.REGISTRY_VIEW):
        qs = Cadre.objects.filter(unit_scope_q(user, "unit__"))
        if user.scope_authorities:
            qs = qs.filter(management_authority__in=user.scope_authorities)
        return qs
    if has_cap(user, Cap.SELF_SERVICE) and user.cadre_id:
        return Cadre.objects.filter(pk=user.cadre_id)
    return Cadre.objects.none()


def can_edit_cadre(user: Any, cadre: Cadre) -> bool:
    """Whether the user may change this cadre's record (capability and scope)."""
    return has_cap(user, Cap.REGISTRY_EDIT) and cadres_for(user).filter(pk=cadre.pk).exists()


def can_edit_unit(user: Any, unit: Unit) -> bool:
    """Whether the user may change records of this unit (capability and scope)."""
    if not has_cap(user, Cap.REGISTRY_EDIT):
        return False
    return user.scope_unit_id is None or unit.path.startswith(user.scope_unit.path)


def can_see_sensitive(user: Any, cadre: Cadre, cap: Cap) -> bool:
    """Whether a sensitive part of a cadre's record (``cap``) is shown: by role, or it is their own."""
    if has_cap(user, cap):
        return True
    own = has_cap(user, Cap.SELF_SERVICE) and user.cadre_id == cadre.pk
    return own and cap in (Cap.SENSITIVE_ID, Cap.SENSITIVE_FAMILY, Cap.SENSITIVE_SUPERVISION)


class Sensitive(StrEnum):
    """The parts of a cadre's record that only some roles see: on the record pages, and so in the
    audit trail's details (``core.audit_display``), which must not be a side door to them."""

    ID_NUMBER = "id_number"  # 身份证号: the record page's show_id
    FAMILY = "family"  # 家庭成员及主要社会关系: show_family
    SUPERVISION = "supervision"  # 处分, and audits/discipline reviews/investigations (exits.Proceeding)
    INCOMPETENCE = "incompetence"  # 不称职调整 cases (exits.IncompetenceCase)


# The capability each part needs, as ``can_see_sensitive`` applies it on the record pages.
SENSITIVE_CAPS: dict[Sensitive, Cap] = {
    Sensitive.ID_NUMBER: Cap.SENSITIVE_ID,
    Sensitive.FAMILY: Cap.SENSITIVE_FAMILY,
    Sensitive.SUPERVISION: Cap.SENSITIVE_SUPERVISION,
}


def may_see(user: Any, part: Sensitive, cadre_id: int | None = None) -> bool:
    """Whether ``user`` may see ``part`` of the record of cadre ``cadre_id`` (or of any cadre).

    The same answers as the pages that show these parts: ``can_see_sensitive`` (the record page:
    by role, or one's own record), the proceedings list (``Cap.SENSITIVE_SUPERVISION``) and the
    incompetence cases (those who read evaluation results and the registry).
    """
    if part is Sensitive.INCOMPETENCE:
        return has_cap(user, Cap.BALLOT_RESULTS) and has_cap(user, Cap.REGISTRY_VIEW)
    if has_cap(user, SENSITIVE_CAPS[part]):
        return True
    return cadre_id is not None and has_cap(user, Cap.SELF_SERVICE) and user.cadre_id == cadre_id
