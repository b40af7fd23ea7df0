"""Self-registration on the public pages: the account, the application and its attachments, all or nothing.

``applicant_register`` is the one write of the public registration form. It creates the applicant's
login (role 报名人员) through ``ganbu.accounts.services.user_create``, registers the application
through ``ganbu.campaigns.services.application_register`` and stores the attachments, in **one**
durable transaction: when anything is refused there is no user, no applicant, no application and no
attachment: it calls their ``*_within`` forms (the same code, every check included), which join
its transaction.

Whatever ID number is typed, a registration that passes the checks is answered the same way: a
number already on record elsewhere is kept as an identity conflict for staff, never refused with a
message that would tell the typist whether that person has applied
(docs/decisions/0010-applicant-identity.md).

Before that transaction, every attempt that reaches the service is counted per client address in
``ganbu.selection.models.SubmissionThrottle`` (keyed hash and clock hour only, like the objection
form; docs/campaign-portal.md explains why refused attempts count here).

Attachments are PDF, JPG or PNG, at most ``MAX_ATTACHMENTS`` files of ``MAX_ATTACHMENT_BYTES`` each,
recognised by their first bytes (a renamed program is refused whatever its name says); the stored
type is the one the content shows, never the browser's claim.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.utils import timezone

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.accounts.services import user_create_within
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.rules.idcard import IdNumberError, parse_id_number
from ganbu.selection.models import SubmissionThrottle
from ganbu.selection.services import ThrottledError, throttle_key

from . import services
from .models import Applicant, Application, Attachment, Campaign, CampaignPost

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = services.MAX_ATTACHMENT
# Why 10 and not the objection form's 5: a registration is a long form where a mistyped ID number
# or a weak password is refused by the service and counts, and colleagues may register from one
# office. Ten an hour still stops anyone probing ID numbers or filling the table with accounts.
THROTTLE_MAX = 10
THROTTLE_WINDOW = dt.timedelta(hours=1)
# Mixed into the hashed address so registrations and objections keep separate counts.
THROTTLE_SCOPE = "campaign-registration"

MSG_THROTTLED = "报名提交过于频繁，请一小时后再试。"
MSG_ACCOUNT_NEEDED = "请设置用户名和密码。"
MSG_ID_OTHER = services.MSG_ID_NOT_OWN
MSG_ID_AS_USERNAME = "请不要用身份证号作用户名：用户名会出现在系统的账号列表和日志中。请另设一个用户名。"
MSG_NOT_APPLICANT = "只有报名人员账号可以在此报名；请退出当前账号后再报名。"

# Extension → (the kind's name, its first bytes, the stored content type).
_KINDS: dict[str, tuple[str, bytes, str]] = {
    ".pdf": ("PDF", b"%PDF-", "application/pdf"),
    ".png": ("PNG", b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": ("JPG", b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": ("JPG", b"\xff\xd8\xff", "image/jpeg"),
}


@dataclass(frozen=True)
class NewAccount:
    """The login a new applicant chooses on the form (the password is never stored as typed)."""

    username: str
    password: str


@dataclass(frozen=True)
class Upload:
    """One attached file as received: its name as the browser sent it and its bytes.

    The web layer reads at most ``MAX_ATTACHMENT_BYTES + 1`` bytes, so an oversized file is
    recognised without reading it whole.
    """

    name: str
    data: bytes


def _fail(message: str, field: str | None = None) -> ServiceError:
    """A ``ServiceError`` with ``message``, attached to ``field`` when one is named."""
    return ServiceError({field: [message]} if field else message)


# ---------------------------------------------------------------- attachments


def _clean_name(name: str) -> str:
    """The file's own name without any folder, control characters removed, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    if len(base) > 200:
        suffix = PurePosixPath(base).suffix[:10]
        base = base[: 200 - len(suffix)] + suffix
    return base or "附件"


def attachment_problems(uploads: Sequence[Upload]) -> list[str]:
    """Every reason the files cannot be accepted, one Chinese sentence each (empty: all acceptable).

    A file is accepted when its extension is .pdf, .jpg, .jpeg or .png, it is not empty, not above
    the size limit, and its first bytes are those of that kind of file.
    """
    problems: list[str] = []
    if len(uploads) > MAX_ATTACHMENTS:
        problems.append(f"最多上传 {MAX_ATTACHMENTS} 个附件，本次选择了 {len(uploads)} 个。")
    limit_mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    for upload in uploads:
        name = _clean_name(upload.name)
        kind = _KINDS.get(PurePosixPath(name).suffix.lower())
        if kind is None:
            problems.append(f"“{name}”：只接受 PDF、JPG、PNG 格式的文件。")
        elif not upload.data:
            problems.append(f"“{name}”是空文件。")
        elif len(upload.data) > MAX_ATTACHMENT_BYTES:
            problems.append(f"“{name}”超过 {limit_mb} MB，请压缩或分页后再上传。")
        elif not upload.data.startswith(kind[1]):
            problems.append(f"“{name}”的内容不是 {kind[0]} 文件（可能只改了扩展名），请重新选择。")
    return problems


def _attachments_add(*, actor: User, application: Application, uploads: Sequence[Upload]) -> int:
    """Store the accepted files on the application (inside the caller's transaction); audited as a count."""
    for upload in uploads:
        name = _clean_name(upload.name)
        kind = _KINDS[PurePosixPath(name).suffix.lower()]
        Attachment.objects.create(
            application=application, name=name, content_type=kind[2], data=upload.data, size=len(upload.data)
        )
    if uploads:
        audit_record(
            actor=actor,
            event_type="campaign.attachments_added",
            target=application.campaign,
            after={
                "application_id": application.pk,
                "count": len(uploads),
                "bytes": sum(len(u.data) for u in uploads),
            },
            unit_id=application.campaign.unit_id,
        )
    return len(uploads)


# ---------------------------------------------------------------- the rate limit


def registration_throttle(*, source: str) -> None:
    """Count one registration attempt from ``source`` (the client address); refuse past the hour's limit.

    Its own durable transaction, committed before the registration is tried, so that a refused
    attempt counts too. Keeps, like the objection form, only a keyed hash of the address and the
    clock hour; rows older than the previous hour are deleted here.
    """
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = throttle_key(f"{THROTTLE_SCOPE}|{source}", hour)
    with transaction.atomic(durable=True):
        SubmissionThrottle.objects.filter(at__lt=hour - THROTTLE_WINDOW).delete()
        if SubmissionThrottle.objects.filter(key=key, at=hour).count() >= THROTTLE_MAX:
            raise ThrottledError(MSG_THROTTLED)
        SubmissionThrottle.objects.create(key=key, at=hour)


# ---------------------------------------------------------------- registration


def _id_value(id_number: str) -> str | None:
    """The stored form of an ID number, or ``None`` when it is invalid (the registration says why)."""
    try:
        return parse_id_number(id_number).value
    except IdNumberError:
        return None


def _account_for(*, user: User | None, account: NewAccount | None, data: services.ApplicantData) -> User:
    """The applicant's login: the one they are signed in with, or a new one from ``account``.

    Whether the typed ID number is on record elsewhere is **not** looked at here: the answer must
    be the same for any number (an outsider may not learn whether someone has applied), and the
    registration service keeps every registration on the login's own record, so nothing is taken
    over; a number on record elsewhere becomes an identity conflict for staff (decision 0010).
    A signed-in login's own record keeps the ID number it was registered with.
    """
    id_value = _id_value(data.id_number)
    if user is not None:
        if not has_cap(user, Cap.APPLICANT_PORTAL):
            raise _fail(MSG_NOT_APPLICANT)
        own = Applicant.objects.filter(user=user).first()
        if own is not None and id_value is not None and own.id_number != id_value:
            raise _fail(MSG_ID_OTHER, "id_number")
        return user
    if account is None or not account.username.strip() or not account.password:
        raise _fail(MSG_ACCOUNT_NEEDED, "username")
    if _id_value(account.username.strip()) is not None:
        raise _fail(MSG_ID_AS_USERNAME, "username")
    return user_create_within(
        actor=None,
        username=account.username,
        role=Role.APPLICANT,
        password=account.password,
        display_name=data.name.strip()[:50],
    )


def applicant_register(
    *,
    campaign: Campaign,
    data: services.ApplicantData,
    first_choice: CampaignPost,
    second_choice: CampaignPost | None = None,
    account: NewAccount | None = None,
    user: User | None = None,
    uploads: Sequence[Upload] = (),
    source: str,
    on: dt.date | None = None,
) -> Application:
    """Register on the public page: a new login (``account``) or the applicant's own (``user``).

    Checks the attachments first (nothing counted or written for a bad file), then counts the
    attempt against ``source``'s hourly limit (``ThrottledError``), then in one durable
    transaction creates the login, registers the application with its eligibility findings and
    stores the attachments. Any refusal is a ``ServiceError`` naming the field, and leaves nothing.
    """
    problems = attachment_problems(uploads)
    if problems:
        raise ServiceError({"attachments": problems})
    registration_throttle(source=source)
    with transaction.atomic(durable=True):
        owner = _account_for(user=user, account=account, data=data)
        application = services.application_register_within(
            campaign=campaign,
            data=data,
            first_choice=first_choice,
            second_choice=second_choice,
            user=owner,
            on=on,
        )
        _attachments_add(actor=owner, application=application, uploads=uploads)
    return application


def eligibility_preview(*, campaign: Campaign, data: services.ApplicantData) -> list[dict[str, Any]]:
    """The findings a registration with ``data`` would record today, computed without writing anything.

    The applicant is an unsaved record, so nothing reaches the database but the campaign's unit
    scope; the registration computes the same findings again when it is submitted.
    """
    applicant = Applicant(
        name=data.name.strip(),
        gender=data.gender,
        birth_date=data.birth_date,
        id_number=data.id_number,
        political_status=data.political_status,
        education=data.education,
        work_start_date=data.work_start_date,
        rank=data.rank,
        rank_since=data.rank_since,
        unit_name=data.unit_name.strip(),
        post_text=data.post_text.strip(),
        last_year_rating=data.last_year_rating,
        phone=data.phone.strip(),
    )
    return services.check_application(campaign, applicant)
