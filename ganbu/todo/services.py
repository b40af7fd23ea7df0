"""Turning to-do items into notifications (``ganbu remind``), e-mailing them, and marking them read.

How a run is cut into transactions, and why:

1. **Read** every active user's to-do items (``selectors.todo_items``) outside any transaction.
   These are reads only; doing them inside the write transaction would hold SQLite's database
   lock (``transaction_mode=IMMEDIATE``) for the whole computation.
2. **Write** in one durable transaction: the run row, every missing notification (one bulk insert
   that skips the (user, key) pairs that exist — the unique constraint, not a prior read, is what
   makes a reminder exist once, even when two runs overlap), and one audit event with the
   counts. One transaction for the whole run rather than one per user, because the audit event
   summarises the run and must agree with what the run wrote: either all of it is there, with
   its event, or none of it. The transaction holds only a few bulk statements.
3. **E-mail** after the commit, never inside the transaction: a message must not go out for
   notifications that were rolled back, and a slow mail server must not hold the audit chain's
   lock, which every write of the system waits for. Each user gets one message listing their
   notifications not yet e-mailed (still on their to-do list, unread); ``emailed_at`` is set
   right after the server accepted that message, so a failure leaves them for the next run and
   nothing is ever sent twice by a successful run.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.core.access import Cap, has_cap
from ganbu.core.audit import audit_record
from ganbu.core.errors import ServiceError
from ganbu.rules.workdays import cn_date

from .models import Notification, ReminderRun
from .selectors import todo_items

logger = logging.getLogger("ganbu.todo")

MSG_NO_PERMISSION = "您无权运行待办提醒。"
MSG_NOT_YOURS = "提醒不存在或不属于您。"
EMAIL_SUBJECT = "【干部工作管理系统】{count} 项待办提醒（{on}）"
EMAIL_NOT_CONFIGURED = "未配置邮件服务器（GANBU_EMAIL_HOST），未发送邮件。"
EMAIL_DISABLED = "按要求不发送邮件。"

_BATCH = 500


@dataclass(frozen=True)
class RemindReport:
    """What one run did: how many users and items it checked, the notifications it created (with
    their users), and the e-mails sent, failed, or why none were tried (``email_skipped``)."""

    run: ReminderRun
    users: int
    items: int
    created: list[Notification]
    emailed: int = 0
    email_failed: int = 0
    email_skipped: str = ""
    failed_users: list[str] = field(default_factory=list)


def _wanted(users: list[User], on: dt.date) -> list[Notification]:
    """Unsaved notifications for every to-do item of every user (reads only)."""
    rows: list[Notification] = []
    for user in users:
        for group in todo_items(user, on, limit=None):
            for item in group.items:
                rows.append(
                    Notification(
                        user=user,
                        kind=group.kind,
                        key=item.key[:200],
                        title=group.title[:100],
                        text=item.text[:500],
                        link=item.link[:300],
                        due_on=item.due_on,
                    )
                )
    return rows


@transaction.atomic(durable=True)
def _record_run(
    *, actor: User | None, on: dt.date, users: int, wanted: list[Notification], email: bool
) -> tuple[ReminderRun, list[Notification]]:
    """Insert the missing notifications and the run's audit event, in one transaction (step 2)."""
    run = ReminderRun.objects.create(on=on, actor=actor, users=users, items=len(wanted))
    for row in wanted:
        row.run = run
    Notification.objects.bulk_create(wanted, batch_size=_BATCH, ignore_conflicts=True)
    created = list(Notification.objects.filter(run=run).select_related("user").order_by("user_id", "id"))
    run.created = len(created)
    run.save(update_fields=["created"])
    audit_record(
        actor=actor,
        event_type="todo.reminders_sent",
        target=run,
        after={
            "on": on.isoformat(),
            "users": users,
            "items": len(wanted),
            "created": len(created),
            "email": email,
        },
    )
    return run, created


def _email_body(user: User, rows: list[Notification], on: dt.date) -> str:
    """The plain-text message: each reminder with its link (absolute when ``GANBU_SITE_URL`` is set)."""
    site = str(getattr(settings, "GANBU_SITE_URL", "")).rstrip("/")
    lines = [f"{user.display_name or user.username}，您好：", ""]
    lines.append(f"截至{cn_date(on)}，干部工作管理系统中有以下 {len(rows)} 项待办事项需要您处理：")
    lines.append("")
    for number, row in enumerate(rows, start=1):
        lines.append(f"{number}. 【{row.title}】{row.text}")
        if row.link:
            lines.append(f"   {site}{row.link}")
    lines += ["", "请登录系统办理。本邮件由系统自动发送，请勿回复。"]
    return "\n".join(lines)


def _send_emails(wanted: list[Notification], on: dt.date) -> tuple[int, list[str]]:
    """E-mail each user their current, unread notifications not yet e-mailed (step 3).

    Returns the number of messages accepted by the server and the usernames whose message failed.
    """
    current = {(row.user.pk, row.key) for row in wanted}
    pending: dict[int, list[Notification]] = defaultdict(list)
    rows = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "due_on", "id")
    )
    for row in rows:
        if (row.user_id, row.key) in current:
            pending[row.user_id].append(row)
    if not pending:
        return 0, []
    sent = 0
    failed: list[str] = []
    connection = get_connection(fail_silently=False)
    try:
        for user_rows in pending.values():
            user = user_rows[0].user
            message = EmailMessage(
                subject=EMAIL_SUBJECT.format(count=len(user_rows), on=f"{on:%Y-%m-%d}"),
                body=_email_body(user, user_rows, on),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                connection=connection,
            )
            try:
                message.send()
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("待办提醒邮件发送失败（%s）：%s", user.username, exc)
                failed.append(user.username)
                continue
            with transaction.atomic(durable=True):
                Notification.objects.filter(
                    pk__in=[row.pk for row in user_rows], emailed_at__isnull=True
                ).update(emailed_at=timezone.now())
            sent += 1
    finally:
        connection.close()
    return sent, failed


def reminders_send(*, actor: User | None = None, on: dt.date, email: bool = True) -> RemindReport:
    """Create a notification for every to-do item of every active user, once; then e-mail the new ones.

    ``actor`` is ``None`` for the scheduled job (``ganbu remind``); a person running it must be a
    system administrator (``Cap.USERS_MANAGE``), since it writes to every user's notifications.
    Safe to run any number of times: an item already notified (same user and key) is skipped, and
    a second run the same day creates nothing and sends nothing. E-mail goes out only with
    ``email=True``, a configured ``EMAIL_HOST``, and a user with an e-mail address. Writes one
    audit event per run, with counts only (no names, no texts). See the module docstring for the
    transactions.
    """
    if actor is not None and not has_cap(actor, Cap.USERS_MANAGE):
        raise ServiceError(MSG_NO_PERMISSION)
    users = list(User.objects.filter(is_active=True).select_related("scope_unit").order_by("pk"))
    wanted = _wanted(users, on)
    mail_on = email and bool(settings.EMAIL_HOST)
    run, created = _record_run(actor=actor, on=on, users=len(users), wanted=wanted, email=mail_on)
    if not email:
        return RemindReport(run, len(users), len(wanted), created, email_skipped=EMAIL_DISABLED)
    if not settings.EMAIL_HOST:
        return RemindReport(run, len(users), len(wanted), created, email_skipped=EMAIL_NOT_CONFIGURED)
    sent, failed = _send_emails(wanted, on)
    return RemindReport(
        run, len(users), len(wanted), created, emailed=sent, email_failed=len(failed), failed_users=failed
    )


@transaction.atomic(durable=True)
def notification_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (audited; reading it again changes nothing)."""
    row = Notification.objects.select_for_update().filter(pk=notification.pk, user_id=actor.pk).first()
    if row is None or not actor.is_active:
        raise ServiceError(MSG_NOT_YOURS)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
        audit_record(
            actor=actor,
            event_type="todo.notification_read",
            target=row,
            after={"kind": row.kind, "key": row.key, "read_at": row.read_at.isoformat()},
        )
    return row


@transaction.atomic(durable=True)
def notifications_read_all(*, actor: User) -> int:
    """Mark every unread notification of the actor read; one audit event with the count (none if 0)."""
    if not actor.is_active:
        raise ServiceError(MSG_NOT_YOURS)
    count = Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(
            actor=actor, event_type="todo.notifications_read_all", target=actor, after={"count": count}
        )
    return count
