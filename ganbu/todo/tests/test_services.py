"""``reminders_send`` creates each reminder once, e-mails it once and only when configured;
``notification_read`` marks the reader's own notifications."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from ganbu.core.errors import ServiceError
from ganbu.core.models import AuditEvent
from ganbu.todo import services
from ganbu.todo.models import Notification, ReminderRun
from ganbu.todo.selectors import Kind

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedure_todos_only")]
D = dt.date
ON = D(2024, 9, 9)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def mail_on(settings):
    """A configured mail server, delivered to Django's in-memory outbox."""
    settings.EMAIL_BACKEND = LOCMEM
    settings.EMAIL_HOST = "mail.example.gov"
    settings.GANBU_SITE_URL = "http://ganbu.intranet"
    return settings


@pytest.fixture
def county(officer, tree, make_user):
    """An objection and a probation in 县财政局; a supervisor with an unanswered request."""
    officer.email = "zzb@example.gov"
    officer.save()
    supervisor = make_user("supervisor", email="jw@example.gov")
    rec = b.record(tree.finance, officer)
    note = b.notice(rec, officer, end=D(2024, 9, 30))
    objection = b.objection(note)
    probation = b.probation(b.record(tree.finance, officer, step="feedback"), end=D(2024, 9, 20))
    request = b.opinion(rec, addressee=supervisor, sent_on=D(2024, 9, 2))
    return {"supervisor": supervisor, "objection": objection, "probation": probation, "request": request}


def keys_of(user) -> set[str]:
    """The keys of the user's notifications."""
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_a_run_creates_each_users_reminders_and_a_second_run_creates_nothing(
    officer, county, make_user, tree
):
    forestry = make_user("unit_officer", scope_unit=tree.forestry)
    report = services.reminders_send(on=ON, email=False)
    objection, probation, request = county["objection"], county["probation"], county["request"]
    assert keys_of(officer) == {
        f"objection:{objection.pk}",
        f"probation-end:{probation.pk}:2024-09-20",
        f"opinion:{request.pk}",
    }
    assert keys_of(county["supervisor"]) == {f"opinion:{request.pk}"}
    assert keys_of(forestry) == set()
    assert len(report.created) == 4 and report.items == 4 and report.users == 3
    row = Notification.objects.get(user=officer, kind=Kind.PROBATION_ENDING)
    assert row.title == "试用期30天内届满" and row.link == f"/selection/{probation.record_id}/"
    assert row.due_on == D(2024, 9, 20) and row.run == report.run and row.read_at is None
    again = services.reminders_send(on=ON, email=False)
    assert again.created == [] and again.items == 4
    assert Notification.objects.count() == 4
    # A later day keeps the same items (same keys): still nothing new.
    assert services.reminders_send(on=ON + dt.timedelta(days=3), email=False).created == []


def test_a_changed_date_is_a_new_reminder(officer, county):
    services.reminders_send(on=ON, email=False)
    probation = county["probation"]
    probation.end_date = D(2024, 9, 25)
    probation.save()
    report = services.reminders_send(on=ON, email=False)
    assert [n.key for n in report.created] == [f"probation-end:{probation.pk}:2024-09-25"]


def test_the_database_refuses_a_second_row_for_the_same_user_and_key(officer):
    Notification.objects.create(user=officer, kind="x", key="k:1", title="t", text="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=officer, kind="x", key="k:1", title="t", text="t")


def test_each_run_writes_one_audit_event_with_counts_only(officer, county):
    before = AuditEvent.objects.count()
    first = services.reminders_send(on=ON, email=False)
    services.reminders_send(on=ON, email=False)
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert [e.event_type for e in events] == ["todo.reminders_sent"] * 2
    assert events[0].after == {"on": "2024-09-09", "users": 2, "items": 4, "created": 4, "email": False}
    assert events[1].after["created"] == 0
    assert events[0].target_type == "todo.ReminderRun" and events[0].target_id == str(first.run.pk)
    assert events[0].actor_name == "系统"
    assert ReminderRun.objects.get(pk=first.run.pk).created == 4


def test_only_the_administrator_may_run_it_as_a_person(officer, county, make_user):
    with pytest.raises(ServiceError) as refused:
        services.reminders_send(actor=officer, on=ON, email=False)
    assert services.MSG_NO_PERMISSION in refused.value.messages
    assert Notification.objects.count() == 0
    report = services.reminders_send(actor=make_user("admin"), on=ON, email=False)
    assert len(report.created) == 4


def test_inactive_users_get_nothing(officer, county):
    officer.is_active = False
    officer.save()
    services.reminders_send(on=ON, email=False)
    assert keys_of(officer) == set()


# ---------------------------------------------------------------- e-mail


def test_no_mail_server_no_mail(officer, county, settings):
    settings.EMAIL_BACKEND = LOCMEM
    settings.EMAIL_HOST = ""
    report = services.reminders_send(on=ON)
    assert report.email_skipped == services.EMAIL_NOT_CONFIGURED and mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_mail_is_sent_once_per_user_with_an_address_and_marked(officer, county, mail_on, make_user):
    make_user("org_officer", email="")  # no address: in-app only
    report = services.reminders_send(on=ON)
    assert report.emailed == 2 and report.email_failed == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["jw@example.gov", "zzb@example.gov"]
    mine = next(m for m in mail.outbox if m.to == ["zzb@example.gov"])
    assert mine.subject == "【干部工作管理系统】3 项待办提醒（2024-09-09）"
    assert "【试用期30天内届满】" in mine.body
    assert f"http://ganbu.intranet/objections/{county['objection'].pk}/" in mine.body
    assert Notification.objects.filter(user__email="").exists()
    assert not Notification.objects.filter(user__email="", emailed_at__isnull=False).exists()
    assert Notification.objects.exclude(user__email="").filter(emailed_at__isnull=True).count() == 0
    again = services.reminders_send(on=ON)
    assert again.emailed == 0 and len(mail.outbox) == 2


def test_no_email_flag_sends_nothing_and_a_later_run_sends_what_is_still_current(officer, county, mail_on):
    assert services.reminders_send(on=ON, email=False).email_skipped == services.EMAIL_DISABLED
    assert mail.outbox == []
    county["objection"].status = "resolved"
    county["objection"].save()
    Notification.objects.filter(user=county["supervisor"]).update(
        read_at=dt.datetime(2024, 9, 9, tzinfo=dt.UTC)
    )
    report = services.reminders_send(on=ON)
    assert report.created == [] and report.emailed == 1
    [message] = mail.outbox
    # The supervisor's was read and the objection resolved: neither is mailed.
    assert message.to == ["zzb@example.gov"] and "2 项待办提醒" in message.subject
    assert "群众反映" not in message.body


def test_a_failed_send_is_not_marked_and_is_retried(officer, county, mail_on, monkeypatch):
    def refuse(self, fail_silently=False):
        """A mail server that hangs up."""
        raise smtplib.SMTPServerDisconnected("连接被关闭")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    report = services.reminders_send(on=ON)
    assert report.emailed == 0 and report.email_failed == 2
    assert sorted(report.failed_users) == sorted([officer.username, county["supervisor"].username])
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    monkeypatch.undo()
    assert services.reminders_send(on=ON).emailed == 2 and len(mail.outbox) == 2


# ---------------------------------------------------------------- reading


def test_reading_a_notification_is_for_its_owner_and_audited_once(officer, county):
    services.reminders_send(on=ON, email=False)
    row = Notification.objects.filter(user=officer).first()
    before = AuditEvent.objects.count()
    read = services.notification_read(actor=officer, notification=row)
    assert read.read_at is not None
    services.notification_read(actor=officer, notification=row)
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.latest("seq").event_type == "todo.notification_read"
    with pytest.raises(ServiceError) as refused:
        services.notification_read(actor=county["supervisor"], notification=row)
    assert services.MSG_NOT_YOURS in refused.value.messages


def test_reading_all(officer, county):
    services.reminders_send(on=ON, email=False)
    assert services.notifications_read_all(actor=officer) == 3
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=county["supervisor"], read_at__isnull=True).count() == 1
    before = AuditEvent.objects.count()
    assert services.notifications_read_all(actor=officer) == 0
    assert AuditEvent.objects.count() == before


# ---------------------------------------------------------------- the command


def run(*args: str) -> str:
    """``ganbu remind`` with ``args``; what it printed."""
    out = StringIO()
    call_command("remind", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_prints_what_it_created_and_the_second_run_creates_nothing(officer, county, settings):
    settings.EMAIL_HOST = ""
    first = run("--on", "2024-09-09")
    assert "按 2024-09-09 检查了 2 名用户的待办事项（共 4 项），新建提醒 4 条：" in first
    assert "【待答复的征求意见】" in first and officer.username in first
    assert "邮件：" + services.EMAIL_NOT_CONFIGURED in first
    second = run("--on", "2024-09-09")
    assert "新建提醒 0 条。" in second
    assert Notification.objects.count() == 4


def test_the_command_sends_mail_unless_told_not_to(officer, county, mail_on):
    assert "邮件：" + services.EMAIL_DISABLED in run("--on", "2024-09-09", "--no-email")
    assert mail.outbox == []
    assert "邮件：已发送 2 封，失败 0 封。" in run("--on", "2024-09-09")
    assert len(mail.outbox) == 2


def test_the_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--on", "2024-13-01")
