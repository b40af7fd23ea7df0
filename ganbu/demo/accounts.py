"""Demo accounts: one user per role (eleven 县委常委, three 面试考官), all with the documented demo password.

The accounts exist so that someone trying the system can see it through every role's eyes; the
password is printed by ``ganbu accounts`` and must be changed (``ganbu user passwd``) before real
data goes in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.db import transaction

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.core.audit import audit_record
from ganbu.registry.models import Cadre, Unit

DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class DemoAccount:
    """One demo account: username, role, display name and what its scope is."""

    username: str
    role: str
    display_name: str
    scope: str  # "county": the whole county; "unit": the demo unit (县林业局); "self": own record


# The standing committee (县委常委会) votes with its eleven members: ``changwei`` and ten more, so
# that the demo's committee votes have a full roster to take attendance from.
COMMITTEE_USERNAMES: tuple[str, ...] = ("changwei", *(f"changwei{n}" for n in range(2, 12)))
_COMMITTEE_NUMERALS = ("二", "三", "四", "五", "六", "七", "八", "九", "十", "十一")
# An interview panel trims the highest and lowest mark, so it needs at least three judges; the demo's
# campaigns seat these three on their panels, and ``baoming`` has an application of their own.
JUDGE_USERNAMES: tuple[str, ...] = tuple(f"kaoguan{n}" for n in (1, 2, 3))
APPLICANT_USERNAME = "baoming"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("zzb", Role.ORG_OFFICER, "组织部干部科", "county"),
    DemoAccount("zzbld", Role.ORG_LEADER, "组织部分管领导", "county"),
    DemoAccount("rsj", Role.UNIT_OFFICER, "县林业局人事股", "unit"),
    DemoAccount("jiwei", Role.SUPERVISOR, "县纪委监委干部室", "county"),
    DemoAccount("changwei", Role.COMMITTEE_MEMBER, "县委常委", "county"),
    *(
        DemoAccount(username, Role.COMMITTEE_MEMBER, f"县委常委（{numeral}）", "county")
        for username, numeral in zip(COMMITTEE_USERNAMES[1:], _COMMITTEE_NUMERALS, strict=True)
    ),
    DemoAccount("ganbu", Role.CADRE, "", "self"),
    *(
        DemoAccount(name, Role.JUDGE, f"面试考官（{n}）", "county")
        for n, name in enumerate(JUDGE_USERNAMES, 1)
    ),
    DemoAccount(APPLICANT_USERNAME, Role.APPLICANT, "报名人员（演示）", "self"),
    DemoAccount("shenji", Role.AUDITOR, "系统审计员", "county"),
    DemoAccount("admin", Role.ADMIN, "系统管理员", "county"),
)


@dataclass(frozen=True)
class AccountCreation:
    """Which demo accounts were created, and which were left alone because the username was taken."""

    created: tuple[str, ...]
    skipped: tuple[str, ...]


def demo_accounts_create(*, actor: User | None, unit: Unit, cadre: Cadre) -> AccountCreation:
    """Create the demo accounts inside the caller's transaction (the demo loader's).

    ``unit`` scopes the unit officer; ``cadre`` is the self-service account's own record. A username
    that already exists is skipped, never overwritten: its owner may have set a real password.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("demo_accounts_create must run inside the demo loader's transaction.")
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    created: list[str] = []
    skipped: list[str] = []
    for spec in DEMO_ACCOUNTS:
        if spec.username in existing:
            skipped.append(spec.username)
            continue
        user = User(
            username=spec.username,
            role=spec.role,
            display_name=spec.display_name or cadre.name,
            scope_unit=unit if spec.scope == "unit" else None,
            cadre=cadre if spec.scope == "self" and spec.role == Role.CADRE else None,
            is_staff=spec.role == Role.ADMIN,
            is_superuser=spec.role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit_record(
            actor=actor,
            event_type="user.created",
            target=user,
            after={
                "username": user.username,
                "role": user.role,
                "scope_unit": user.scope_unit_id,
                "cadre": user.cadre_id,
                "is_superuser": user.is_superuser,
            },
            reason="载入示例数据：创建演示账号",
        )
        created.append(spec.username)
    return AccountCreation(created=tuple(created), skipped=tuple(skipped))


@dataclass(frozen=True)
class AccountStatus:
    """A demo account as the ``accounts`` command prints it."""

    username: str
    role_label: str
    display_name: str
    scope_text: str
    exists: bool
    has_demo_password: bool


def demo_accounts_status() -> list[AccountStatus]:
    """Every demo account with its role, scope and whether it still has the demo password.

    For the operator at the server console (``ganbu accounts``), not for a web page: checking the
    password tells them which demo accounts still need a new one.
    """
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).select_related(
            "scope_unit", "cadre"
        )
    }
    rows = []
    for spec in DEMO_ACCOUNTS:
        user = users.get(spec.username)
        if user is None:
            rows.append(
                AccountStatus(spec.username, Role(spec.role).label, spec.display_name, "", False, False)
            )
            continue
        if user.cadre_id and user.role == Role.CADRE:
            scope = f"本人档案（{user.cadre.name if user.cadre else ''}）"
        elif user.role == Role.APPLICANT:
            scope = "本人报名"
        elif user.scope_unit_id:
            scope = f"{user.scope_unit.name if user.scope_unit else ''}及下属单位"
        else:
            scope = "全县"
        rows.append(
            AccountStatus(
                username=user.username,
                role_label=user.get_role_display(),
                display_name=user.display_name,
                scope_text=scope,
                exists=True,
                # The module function, not ``user.check_password``: that one re-hashes and saves
                # when the hasher changed, and listing accounts must not write.
                has_demo_password=user.is_active and check_password(DEMO_PASSWORD, user.password),
            )
        )
    return rows
