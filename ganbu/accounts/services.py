"""Account services: users (create, role and scope, e-mail, password, disable, unlock) and REST API tokens.

Like every service, each public function is keyword-only, takes the acting user first, runs in
one durable transaction and writes an audit event. The secret key itself never enters the
database, the audit trail or a log: only its SHA-256 (``ApiToken.hash_key``) and its first
characters (to tell tokens apart) are stored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.core.transactions import durable, require_atomic

from .models import ApiToken, User

PREFIX_LENGTH = 8
# Why a minute: the stamp answers "is this integration still in use?", which needs no finer
# grain, and writing it on every request would turn each API read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

MSG_TOKEN_NAME_REQUIRED = "请填写令牌用途。"
MSG_TOKEN_NAME_TOO_LONG = "令牌用途不能超过 100 个字符。"
MSG_TOKEN_USER_INACTIVE = "用户 {user} 已停用，不能为其创建令牌。"
MSG_TOKEN_NOT_ALLOWED = "只有系统管理员或用户本人可以管理该用户的 API 令牌。"
MSG_TOKEN_ALREADY_REVOKED = "该令牌已于 {when} 吊销。"


def _require_manage(actor: User | None, user: User) -> None:
    """Refuse unless the actor is the system (``None``: the command line), an admin or the user."""
    if actor is None or has_cap(actor, Cap.USERS_MANAGE):
        return
    if actor.pk == user.pk and actor.is_active:
        return
    raise ServiceError(MSG_TOKEN_NOT_ALLOWED)


@transaction.atomic(durable=True)
def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a new API token for ``user`` and return it with its key, which is shown only once.

    ``actor`` is ``None`` when an operator runs ``manage.py token create`` on the server: shell
    access to the server already implies full control, and the event is recorded as 「系统」.
    """
    _require_manage(actor, user)
    name = name.strip()
    if not name:
        raise ServiceError({"name": [MSG_TOKEN_NAME_REQUIRED]})
    if len(name) > 100:
        raise ServiceError({"name": [MSG_TOKEN_NAME_TOO_LONG]})
    if not user.is_active:
        raise ServiceError({"user": [MSG_TOKEN_USER_INACTIVE.format(user=user.get_username())]})
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    audit_record(
        actor=actor,
        event_type="api_token.created",
        target=token,
        after={"user": user.get_username(), "name": token.name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic(durable=True)
def api_token_revoke(*, actor: User | None, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token: from now on requests bearing its key are refused (401)."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_manage(actor, token.user)
    if token.revoked_at is not None:
        when = timezone.localtime(token.revoked_at).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(MSG_TOKEN_ALREADY_REVOKED.format(when=when))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        event_type="api_token.revoked",
        target=token,
        before={"revoked_at": None},
        after={"user": token.user.get_username(), "prefix": token.prefix, "revoked_at": token.revoked_at},
        reason=reason,
    )
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token for a presented key (with its user and scope unit loaded), or ``None``.

    A revoked token, an unknown key and a token of a deactivated user all give ``None``, so the
    caller cannot tell them apart and neither can whoever is probing keys. Marks the token used
    (see :func:`api_token_mark_used`).
    """
    if not key or not key.isascii() or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__scope_unit")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    api_token_mark_used(token=token)
    return token


def api_token_mark_used(*, token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Stamp ``last_used_at``, at most once per minute per token; return whether it wrote.

    Deliberately not audited and not a durable transaction: it is usage bookkeeping, not a
    business event, and it runs on the read path of every API request. The conditional UPDATE
    keeps concurrent requests from writing the stamp twice.
    """
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    written = ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return written > 0


# ---------------------------------------------------------------- users

MSG_USER_NOT_ALLOWED = "只有系统管理员可以管理用户。"
MSG_USERNAME_TAKEN = "用户名「{username}」已存在。"
MSG_USERNAME_INVALID = "用户名只能包含字母、数字和 @ . + - _，且不超过 150 个字符。"
MSG_ROLE_INVALID = "未知角色「{role}」。可选：{choices}。"
MSG_SCOPE_NEEDED = "单位人事干部必须指定管理范围（单位）。"
MSG_CADRE_NEEDED = "干部本人（自助）账号必须关联本人的干部档案。"
MSG_CADRE_TAKEN = "该干部档案已关联账号「{username}」，一份档案只能开通一个本人账号。"
MSG_AUTHORITY_INVALID = "未知的干部管理权限「{value}」。"
MSG_EMAIL_INVALID = "电子邮件地址格式不正确。"
MSG_SELF_DISABLE = "不能停用自己正在使用的账号。"
MSG_SELF_DEMOTE = "不能更改自己的角色（改后将无法再管理用户），请由另一名系统管理员办理。"
MSG_LAST_ADMIN = (
    "这是最后一个启用中的系统管理员账号，不能停用或改为其他角色；请先为另一人开通系统管理员账号。"
)
MSG_ALREADY_ACTIVE = "该用户已是启用状态。"
MSG_ALREADY_DISABLED = "该用户已是停用状态。"
MSG_NOT_LOCKED = "该用户目前没有被锁定，无需解除。"

# Generated temporary passwords: no look-alike characters (0/O, 1/l/I), since they are read out
# or written down once and typed by someone else.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMP_PASSWORD_LENGTH = 12


def _require_users_manage(actor: User | None) -> None:
    if actor is not None and not has_cap(actor, Cap.USERS_MANAGE):
        raise ServiceError(MSG_USER_NOT_ALLOWED)


def _user_snapshot(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "scope_unit": user.scope_unit_id,
        "scope_authorities": list(user.scope_authorities),
        "cadre": user.cadre_id,
        "email": user.email,
        "is_active": user.is_active,
    }


def _check_role_and_scope(
    *,
    role: str,
    scope_unit_id: int | None,
    scope_authorities: list[str],
    cadre_id: int | None,
    user_pk: int | None,
) -> None:
    """What a role needs to have a sensible scope; raises ``ServiceError`` keyed by field."""
    from ganbu.registry.choices import ManagementAuthority

    from .choices import Role

    if role not in Role.values:
        raise ServiceError({"role": [MSG_ROLE_INVALID.format(role=role, choices="、".join(Role.labels))]})
    if role == Role.UNIT_OFFICER and scope_unit_id is None:
        raise ServiceError({"scope_unit": [MSG_SCOPE_NEEDED]})
    if role == Role.CADRE and cadre_id is None:
        raise ServiceError({"cadre": [MSG_CADRE_NEEDED]})
    for value in scope_authorities:
        if value not in ManagementAuthority.values:
            raise ServiceError({"scope_authorities": [MSG_AUTHORITY_INVALID.format(value=value)]})
    if cadre_id is not None:
        holders = User.objects.filter(cadre_id=cadre_id)
        if user_pk is not None:
            holders = holders.exclude(pk=user_pk)
        holder = holders.first()
        if holder is not None:
            raise ServiceError({"cadre": [MSG_CADRE_TAKEN.format(username=holder.username)]})


def _clean_email(email: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ServiceError({"email": [MSG_EMAIL_INVALID]}) from None
    return email


def _other_active_admins(user: User) -> bool:
    """Whether an active administrator other than ``user`` remains (rows locked: two removals race)."""
    from .choices import Role

    others = User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    return len(others) > 0


def user_create_within(
    *,
    actor: User | None,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    scope_unit_id: int | None = None,
    scope_authorities: list[str] | None = None,
    cadre_id: int | None = None,
    email: str = "",
) -> User:
    """Create a login with a role and a data scope (``actor=None``: the command line).

    The password is checked by Django's validators; a unit officer needs a unit and a self-service
    account needs the cadre's record (not already linked to another account), because without
    them their scope would be empty or wrong. ``email`` is where reminders are sent (optional).
    """
    require_atomic("user_create_within")
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from .choices import Role

    _require_users_manage(actor)
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise ServiceError({"username": [MSG_USERNAME_TAKEN.format(username=username)]})
    _check_role_and_scope(
        role=role,
        scope_unit_id=scope_unit_id,
        scope_authorities=scope_authorities or [],
        cadre_id=cadre_id,
        user_pk=None,
    )
    email = _clean_email(email)
    user = User(
        username=username,
        role=role,
        display_name=display_name.strip(),
        scope_unit_id=scope_unit_id,
        scope_authorities=scope_authorities or [],
        cadre_id=cadre_id,
        email=email,
        is_staff=role == Role.ADMIN,
    )
    try:
        user.full_clean(exclude=["password"])
        validate_password(password, user)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ServiceError(exc.message_dict) from None
        raise ServiceError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    audit_record(actor=actor, event_type="user.created", target=user, after=_user_snapshot(user))
    return user


user_create = durable(user_create_within)


@transaction.atomic(durable=True)
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a user's password (validated); the audit event records that it changed, not the value."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if actor is None or actor.pk != user.pk:
        _require_users_manage(actor)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError({"password": exc.messages}) from None
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, event_type="user.password_set", target=user, after={"username": user.username})
    return user


@transaction.atomic(durable=True)
def user_set_email(*, actor: User | None, user: User, email: str) -> User:
    """Set (or clear, with "") the address reminders are e-mailed to (``ganbu remind``)."""
    if actor is None or actor.pk != user.pk:
        _require_users_manage(actor)
    email = _clean_email(email)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.email
    user.email = email
    user.save(update_fields=["email"])
    audit_record(
        actor=actor,
        event_type="user.email_set",
        target=user,
        before={"email": before},
        after={"email": email},
    )
    return user


@transaction.atomic(durable=True)
def user_set_active(*, actor: User | None, user: User, active: bool, reason: str = "") -> User:
    """Disable (or re-enable) a login; a disabled user can neither log in nor use API tokens.

    Nobody disables their own login (they would be locked out in mid-session), and the last
    active administrator stays: without one, no one could manage users or policy values again.
    """
    from .choices import Role

    _require_users_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        raise ServiceError(MSG_ALREADY_ACTIVE if active else MSG_ALREADY_DISABLED)
    if not active and actor is not None and actor.pk == user.pk:
        raise ServiceError(MSG_SELF_DISABLE)
    if not active and user.role == Role.ADMIN and not _other_active_admins(user):
        raise ServiceError(MSG_LAST_ADMIN)
    before = _user_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        event_type="user.enabled" if active else "user.disabled",
        target=user,
        before=before,
        after=_user_snapshot(user),
        reason=reason,
    )
    return user


@transaction.atomic(durable=True)
def user_update(
    *,
    actor: User | None,
    user: User,
    display_name: str,
    role: str,
    scope_unit_id: int | None,
    scope_authorities: list[str],
    cadre_id: int | None,
    email: str,
) -> User:
    """Change a user's name, role, data scope, own-record link and reminder e-mail, in one event.

    The same checks as at creation apply. An administrator cannot change their own role, and the
    last active administrator keeps the role. The staff flag follows the role (only administrators
    enter /admin/), and a former administrator loses any superuser flag. Nothing changed, nothing
    written.
    """
    from django.core.exceptions import ValidationError

    from .choices import Role

    _require_users_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_role_and_scope(
        role=role,
        scope_unit_id=scope_unit_id,
        scope_authorities=scope_authorities,
        cadre_id=cadre_id,
        user_pk=user.pk,
    )
    email = _clean_email(email)
    if user.role == Role.ADMIN and role != Role.ADMIN:
        if actor is not None and actor.pk == user.pk:
            raise ServiceError({"role": [MSG_SELF_DEMOTE]})
        if user.is_active and not _other_active_admins(user):
            raise ServiceError({"role": [MSG_LAST_ADMIN]})
    before = _user_snapshot(user)
    user.display_name = display_name.strip()
    user.role = role
    user.scope_unit_id = scope_unit_id
    user.scope_authorities = list(scope_authorities)
    user.cadre_id = cadre_id
    user.email = email
    user.is_staff = role == Role.ADMIN
    user.is_superuser = user.is_superuser and role == Role.ADMIN
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ServiceError(exc.message_dict) from None
    after = _user_snapshot(user)
    if after == before:
        return user
    user.save()
    audit_record(actor=actor, event_type="user.updated", target=user, before=before, after=after)
    return user


def temporary_password(user: User) -> str:
    """A random password that passes the configured validators (checked, not assumed)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    while True:
        candidate = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH))
        if not any(c.isdigit() for c in candidate) or not any(c.isalpha() for c in candidate):
            continue
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


@transaction.atomic(durable=True)
def user_reset_password(*, actor: User | None, user: User) -> tuple[User, str]:
    """Give a user a generated temporary password and return it; it is shown once, never stored.

    The audit event records that the password was reset, not the password.
    """
    _require_users_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    password = temporary_password(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, event_type="user.password_reset", target=user, after={"username": user.username}
    )
    return user, password


@transaction.atomic(durable=True)
def user_unlock(*, actor: User | None, user: User, reason: str = "") -> User:
    """Lift the lock that repeated wrong passwords put on a login (django-axes), with an audit event.

    Clears the failure counts of the username from every address, so the user can log in at once
    instead of waiting out the cool-off time.
    """
    from axes.utils import reset

    from .selectors import locked_usernames

    _require_users_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.username not in locked_usernames([user.username]):
        raise ServiceError(MSG_NOT_LOCKED)
    cleared = reset(username=user.username)
    audit_record(
        actor=actor,
        event_type="user.unlocked",
        target=user,
        after={"username": user.username, "cleared": cleared},
        reason=reason,
    )
    return user


# ---------------------------------------------------------------- two-step login (TOTP)
#
# The second factor is an authenticator app (TOTP, RFC 6238) through django-otp, with ten one-time
# recovery codes for a lost phone. The secret is shown once, at enrolment, and is written to the
# database only when the user proves with a code that their app holds it. Secrets, codes and
# recovery codes never enter the audit trail or a log.

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# No look-alike characters (0/o, 1/l/i): recovery codes are written down on paper and typed back.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"

MSG_OTP_CODE_WRONG = "验证码不正确或已过期，请输入验证器中当前显示的 6 位数字。"
MSG_OTP_ALREADY_ENROLLED = "两步验证已经启用。如需更换手机，请联系系统管理员重置后重新绑定。"
MSG_OTP_NOT_ENROLLED = "该用户没有启用两步验证，无需重置。"
MSG_OTP_NOT_OWN = "只能为自己的账号设置两步验证。"
MSG_OTP_KEY_INVALID = "绑定信息已失效，请刷新页面重新扫描二维码。"


def new_totp_key() -> str:
    """A fresh TOTP secret (20 random bytes in hex, as django-otp stores it), kept in the session."""
    return secrets.token_hex(20)


def normalize_recovery_code(text: str) -> str:
    """A recovery code as stored: lower case, without the spaces and hyphens it is shown and typed with."""
    return "".join(text.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    """A recovery code as shown: two groups of five (``abcde-fghjk``)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (the only time they are seen)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _totp_matches(key: str, code: str) -> int | None:
    """The time step at which ``code`` is valid for ``key`` (±1 step for clock skew), or ``None``."""
    from binascii import Error as HexError
    from binascii import unhexlify

    from django_otp.oath import TOTP

    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    try:
        totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    except (HexError, ValueError):
        raise ServiceError({"code": [MSG_OTP_KEY_INVALID]}) from None
    if not totp.verify(int(code), tolerance=1):
        return None
    return int(totp.t()) + int(totp.drift)


@transaction.atomic(durable=True)
def otp_enrol(*, actor: User, user: User, key: str, code: str) -> list[str]:
    """Turn on two-step login for ``user`` with the app holding ``key``, proven by a current ``code``.

    Returns the ten recovery codes, to be shown once. Only the user enrols themselves (the secret
    is on their phone); a second enrolment is refused: changing phones goes through the
    administrator's reset, so a stolen session cannot quietly move the second factor elsewhere.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor.pk != user.pk:
        raise ServiceError(MSG_OTP_NOT_OWN)
    user = User.objects.select_for_update().get(pk=user.pk)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ServiceError(MSG_OTP_ALREADY_ENROLLED)
    if len(key) != 40:
        raise ServiceError({"code": [MSG_OTP_KEY_INVALID]})
    step = _totp_matches(key, code)
    if step is None:
        raise ServiceError({"code": [MSG_OTP_CODE_WRONG]})
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code just typed cannot be replayed to log in.
    TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=step)
    codes = _new_recovery_codes(user)
    audit_record(
        actor=actor,
        event_type="user.otp_enrolled",
        target=user,
        after={"username": user.username, "recovery_codes_left": len(codes)},
    )
    return codes


@transaction.atomic(durable=True)
def otp_recovery_codes_renew(*, actor: User, user: User) -> list[str]:
    """Replace one's own recovery codes with ten new ones (the old ones stop working); returns them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor.pk != user.pk:
        raise ServiceError(MSG_OTP_NOT_OWN)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ServiceError(MSG_OTP_NOT_ENROLLED)
    codes = _new_recovery_codes(user)
    audit_record(
        actor=actor,
        event_type="user.otp_recovery_renewed",
        target=user,
        after={"username": user.username, "recovery_codes_left": len(codes)},
    )
    return codes


@transaction.atomic(durable=True)
def otp_reset(*, actor: User | None, user: User, reason: str = "") -> User:
    """The administrator turns off a user's two-step login (lost phone, used-up recovery codes).

    Every authenticator and recovery code of the user is deleted; if the user's role requires two
    steps, they enrol a new phone at their next login. The reason is kept in the audit event.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_users_manage(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if (
        not TOTPDevice.objects.filter(user=user).exists()
        and not StaticDevice.objects.filter(user=user).exists()
    ):
        raise ServiceError(MSG_OTP_NOT_ENROLLED)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        event_type="user.otp_reset",
        target=user,
        after={"username": user.username},
        reason=reason,
    )
    return user


def otp_verify(*, user: User, code: str) -> Any:
    """The device that accepts ``code`` for ``user`` (authenticator or unused recovery code), or ``None``.

    Six digits are tried against the authenticator only and anything else against the recovery
    codes only, so a mistyped recovery code does not count as a wrong authenticator code. Each
    wrong code doubles the wait before the next try on that device (django-otp throttling), and a
    recovery code is deleted as it is used. Using a recovery code is an audit event (a sign the
    phone is lost); a code from the app is not (it is an ordinary login).
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    text = "".join(code.split())
    device: Any
    if text.isascii() and text.isdigit() and len(text) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(text):
                return device
        return None
    token = normalize_recovery_code(text)
    if not token or len(token) > 16:
        return None
    with transaction.atomic(durable=True):
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                audit_record(
                    actor=user,
                    event_type="user.otp_recovery_used",
                    target=user,
                    after={"username": user.username, "recovery_codes_left": device.token_set.count()},
                )
                return device
    return None


def otp_throttled(*, user: User) -> int:
    """Seconds until the user's authenticator accepts another try (0: now), after repeated wrong codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    wait = 0
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            wait = max(wait, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
    return wait
