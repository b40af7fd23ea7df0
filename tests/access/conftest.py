"""The shared scene of the access matrix and the API fuzz test (both in tests/access).

The demo county (small scale, with its workflows) is loaded once per module and committed, then
completed with what the demo does not hold: an officer of another unit, a draft ballot in the demo
unit officer's unit, a correction request, a public objection, a notification, an uploaded document
template, an applicant's attachment, an import job and login-security rows for the admin site. Every
role's account and API token, the voting codes the demo printed, and one object per kind of URL
argument (named, so the expectation file can refer to them) are handed to the tests.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

#: The columns of the access matrix, in order: who makes the request.
ROLES: tuple[str, ...] = (
    "anon",  # nobody signed in
    "vote",  # nobody signed in, holding a voting code of the ballot in progress
    "appl",  # an applicant who registered on the public campaign page (applicant)
    "self",  # a cadre in self-service (cadre)
    "judg",  # an interview judge (judge)
    "cmte",  # a member of the county standing committee (committee_member)
    "supv",  # the discipline inspection body, 纪委监委 (supervisor)
    "audt",  # the system auditor (auditor)
    "admn",  # the system administrator (admin)
    "lead",  # the organization department's leader (org_leader)
    "offc",  # an organization department officer, county-wide (org_officer)
    "unit",  # the personnel officer of 县林业局 (unit_officer scoped to 县林业局)
    "othr",  # the personnel officer of 县民政局 (unit_officer scoped to another subtree)
)

#: Demo usernames of the signed-in columns; ``othr`` is made by the scene.
USERNAMES = {
    "appl": "baoming",
    "self": "ganbu",
    "judg": "kaoguan1",
    "cmte": "changwei",
    "supv": "jiwei",
    "audt": "shenji",
    "admn": "admin",
    "lead": "zzbld",
    "offc": "zzb",
    "unit": "rsj",
    "othr": "rsj_minzheng",
}

CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


@dataclass
class Scene:
    """Who may ask (users and API keys by column), the voting codes, and the named URL arguments."""

    users: dict[str, Any]
    tokens: dict[str, str]
    codes: list[str]
    open_ballot: int
    args: dict[str, dict[str, Any]] = field(default_factory=dict)


def _build_scene(demo_output: str) -> Scene:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from ganbu.accounts.choices import Role
    from ganbu.accounts.models import User
    from ganbu.accounts.services import api_token_create
    from ganbu.campaigns.models import Application, Attachment, Campaign, ImportJob, InterviewPanel
    from ganbu.doctemplates import defaults
    from ganbu.doctemplates import services as doctemplate_services
    from ganbu.exits.models import ExitRecord, IncompetenceCase, Proceeding
    from ganbu.registry import services as registry_services
    from ganbu.registry.models import AppointmentDocument, Cadre, Post, Unit
    from ganbu.selection import selectors as selection_selectors
    from ganbu.selection import services as selection_services
    from ganbu.selection.models import Candidate, OpinionRequest, Probation, SelectionRecord
    from ganbu.todo.models import Notification
    from ganbu.voting import services as voting_services
    from ganbu.voting.models import Ballot, BallotItem, Voter

    codes = CODE.findall(demo_output)
    open_ballot = int(re.search(r"/vote/(\d+)/", demo_output).group(1))  # type: ignore[union-attr]
    users = {
        column: User.objects.get(username=name) for column, name in USERNAMES.items() if column != "othr"
    }
    zzb, rsj, ganbu = users["offc"], users["unit"], users["self"]
    forestry = rsj.scope_unit
    minzheng = Unit.objects.get(name="县民政局")
    assert Ballot.objects.get(pk=open_ballot).unit_id == minzheng.pk
    users["othr"] = User.objects.create_user(
        username=USERNAMES["othr"],
        password="pass-word-123",
        role=Role.UNIT_OFFICER,
        display_name="县民政局人事股",
        scope_unit=minzheng,
    )
    tokens = {
        column: api_token_create(actor=None, user=user, name="访问矩阵")[1] for column, user in users.items()
    }

    # A cadre of 县林业局 (not the self-service cadre) with family and résumé rows.
    cadre = (
        Cadre.objects.filter(unit__path__startswith=forestry.path)
        .filter(family_members__isnull=False, resume_entries__isnull=False)
        .exclude(pk=ganbu.cadre_id)
        .distinct()
        .order_by("pk")
        .first()
    )
    assert cadre is not None
    # A photo, so the photo route has something to serve to those who may see the cadre.
    cadre.photo.save("matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    family = cadre.family_members.order_by("pk").first()
    resume = cadre.resume_entries.order_by("pk").first()
    post = Post.objects.filter(unit=forestry).order_by("pk").first()
    document = AppointmentDocument.objects.filter(items__cadre__unit__path__startswith=forestry.path).first()

    correction = registry_services.correction_submit(
        actor=ganbu, field_name="specialty", proposed_value="林业经济管理", explanation="专业填写有误"
    )
    draft = voting_services.ballot_create(
        actor=rsj, kind="evaluation", title="县林业局领导班子年度民主测评", unit=forestry
    )
    published = Ballot.objects.filter(status="published", unit=minzheng).order_by("pk").first()
    committee = Ballot.objects.filter(kind="committee").order_by("-pk").first()
    paper = Ballot.objects.filter(channel="paper").order_by("-pk").first()
    assert published and committee and paper
    closed = Ballot.objects.filter(status="closed").order_by("pk").first()
    assert closed is not None
    voter = Voter.objects.filter(ballot=committee).order_by("pk").first()
    paper_item = BallotItem.objects.filter(ballot=paper).order_by("pk").first()
    committee_item = BallotItem.objects.filter(ballot=committee).order_by("pk").first()

    record = SelectionRecord.objects.filter(unit=minzheng).order_by("pk").first()
    opinion = OpinionRequest.objects.filter(addressee=users["supv"]).order_by("-pk").first()
    notice = selection_selectors.current_notices(timezone.localdate()).first()
    objection = None
    if notice is not None:
        objection = selection_services.objection_submit(
            notice=notice, kind="objection", content="反映该同志的工作作风问题。", source="127.0.0.9"
        )

    campaign = Campaign.objects.get(unit=forestry)
    open_campaign = Campaign.objects.filter(status="registration").order_by("pk").first()
    closed_campaign = Campaign.objects.filter(status="closed").order_by("pk").first()
    application = Application.objects.filter(campaign=campaign).order_by("pk").first()
    own_application = Application.objects.filter(applicant__user=users["appl"]).order_by("pk").first()
    assert application and own_application
    attachment = Attachment.objects.create(
        application=own_application,
        name="学位证书.pdf",
        content_type="application/pdf",
        data=b"%PDF-1.4",
        size=8,
    )
    panel = InterviewPanel.objects.filter(campaign=campaign).order_by("pk").first()
    panel_application = Application.objects.filter(campaign=panel.campaign).order_by("pk").first()
    job = ImportJob.objects.create(
        campaign=campaign,
        stage="written",
        key="matrix0001",
        filename="成绩.xlsx",
        created_by=rsj,
        status="failed",
        errors=["第 2 行：准考证号不存在。"],
    )
    lrmx_job = ImportJob.objects.create(
        kind="lrmx", key="matrix0002", filename="张三.lrmx", created_by=rsj, status="done", result=[]
    )
    template = doctemplate_services.template_upload(
        actor=zzb,
        kind="appointment_notice",
        data=defaults.template_bytes(defaults.appointment_notice(), letterhead=False),
        filename="任职通知.docx",
    )
    notification = Notification.objects.create(
        user=zzb, kind="matrix", key="matrix:1", title="待办提醒", text="有一项待办事项。", link="/todo/"
    )
    candidate = Candidate.objects.filter(record=record).order_by("pk").first()
    probation = Probation.objects.order_by("pk").first()
    stage = (
        campaign.stages["stages"][0]["key"]
        if isinstance(campaign.stages, dict)
        else campaign.stages[0]["key"]
    )
    exit_record = ExitRecord.objects.order_by("pk").first()
    case = IncompetenceCase.objects.order_by("pk").first()
    import datetime as _dt

    from ganbu.registry.services import reward_sanction_record

    # A 警告 of a cadre of 县林业局, known a few days ago (discipline file: unit officers never see it).
    sanction = reward_sanction_record(
        actor=zzb,
        cadre=cadre,
        data={
            "kind": "sanction",
            "sanction_type": "warning",
            "decided_on": timezone.localdate() - _dt.timedelta(days=10),
            "known_on": timezone.localdate() - _dt.timedelta(days=8),
            "approving_body": "示例县监察委员会",
            "reason": "访问矩阵：违反工作纪律",
        },
    )
    proceeding = Proceeding.objects.order_by("pk").first()
    # 考核 (issue 14): an open round of 县林业局 with one entry, and a closed one whose 不称职
    # left a consequence.
    from ganbu.assessment import services as assessment_services

    today = timezone.localdate()
    assessment_round = assessment_services.round_create(
        actor=zzb, unit=forestry, year=today.year, held_on=today, kind="special"
    )
    [assessment_entry] = assessment_services.entries_add(
        actor=zzb, assessment_round=assessment_round, cadres=[cadre]
    )
    graded = (
        Cadre.objects.filter(unit__path__startswith=forestry.path, status="serving")
        .exclude(pk__in=[cadre.pk, ganbu.cadre_id])
        .exclude(assessments__year=today.year)
        .exclude(rewards_sanctions__kind="sanction")
        .order_by("pk")
        .first()
    )
    assert graded is not None
    graded_round = assessment_services.round_create(actor=zzb, unit=forestry, year=today.year, held_on=today)
    [graded_entry] = assessment_services.entries_add(
        actor=zzb, assessment_round=graded_round, cadres=[graded]
    )
    assessment_services.entry_set(
        actor=zzb, entry=graded_entry, data=assessment_services.EntryInput(final_grade="incompetent")
    )
    assessment_services.round_close(
        actor=zzb, assessment_round=graded_round, data=assessment_services.CloseInput(closed_on=today)
    )
    consequence = graded_round.consequences.get()
    from datetime import timedelta

    from ganbu.talks import services as talk_services

    # A 函询 awaiting its answer for a cadre of 县林业局 (supervision file: unit officers never see it).
    talk = talk_services.talk_record(
        actor=zzb,
        cadre=cadre,
        kind="inquiry_letter",
        held_on=timezone.localdate(),
        talkers="县纪委第一监督检查室",
        issue="访问矩阵：函询事项",
        answer_due_on=timezone.localdate() + timedelta(days=21),
    )
    from ganbu.exchanges import services as exchange_services
    from ganbu.registry.models import Unit as _Unit

    # 干部交流 (issue 15): the 县林业局 cadre seconded (挂职) to a town, and a draft rotation plan moving
    # that cadre to another 县林业局 post (unit officers of 县林业局 see both; 县民政局's see neither).
    exchange = exchange_services.exchange_record(
        actor=zzb,
        cadre=cadre,
        kind="secondment",
        start_on=timezone.localdate(),
        to_unit=_Unit.objects.filter(kind="town").order_by("pk").first(),
        host_post_title="镇长助理",
        planned_end_on=timezone.localdate() + timedelta(days=365),
    )
    exchange_plan = exchange_services.plan_create(
        actor=zzb, title="访问矩阵：交流轮岗方案", planned_on=timezone.localdate()
    )
    exchange_services.move_add(
        actor=zzb,
        plan=exchange_plan,
        cadre=cadre,
        to_post=Post.objects.filter(unit=forestry, is_active=True)
        .exclude(tenures__cadre=cadre)
        .order_by("pk")[0],
    )
    from ganbu.training import services as training_services

    # 教育培训 (issue 15): an open class of this year with one trainee of 县林业局.
    training_program = training_services.program_create(
        actor=zzb,
        title="访问矩阵：科级干部轮训",
        year=timezone.localdate().year,
        target_group="section",
        purpose="rotation",
        organizer="county_school",
        mode="off_the_job",
    )
    training_start = timezone.localdate().replace(month=1, day=1)
    training_class = training_services.class_create(
        actor=zzb,
        program=training_program,
        title="访问矩阵：科级干部轮训班",
        start_date=training_start,
        end_date=training_start + timedelta(days=4),
        total_hours=35,
        capacity=5,
    )
    [training_enrollment] = training_services.enroll(
        actor=zzb, training_class=training_class, cadre_ids=[cadre.pk]
    )
    from ganbu.petitions import services as petition_services

    # 信访举报 (issue 14): one taken in by 县委组织部, one by 县纪委监委 (each body's staff sees its own).
    petition = petition_services.petition_submit(
        content="访问矩阵：反映某干部工作作风问题。",
        about="县林业局 某干部",
        anonymous=True,
        source="127.0.0.21",
    )
    petition_dis = petition_services.petition_submit(
        content="访问矩阵：反映某干部违纪问题线索。",
        about="县林业局 某干部",
        intake_body="discipline",
        anonymous=True,
        source="127.0.0.22",
    )
    from ganbu.joint_meetings import services as meeting_services

    # 联席会议 (issue 14): held today by 县委组织部, with an attendee, an agenda item, a finding on the
    # 县林业局 cadre and a follow-up; its minutes not yet settled, so every form still applies.
    meeting = meeting_services.meeting_create(
        actor=zzb, held_on=timezone.localdate(), title="访问矩阵：联席会议"
    )
    meeting_member = meeting_services.member_add(
        actor=zzb, meeting=meeting, body="discipline", name="访问矩阵", post="县纪委副书记"
    )
    meeting_agenda = meeting_services.agenda_add(actor=zzb, meeting=meeting, title="访问矩阵：议题")
    meeting_finding = meeting_services.finding_add(
        actor=zzb, meeting=meeting, cadre=cadre, text="访问矩阵：有关情况", measure="提醒谈话"
    )
    meeting_services.meeting_mark_held(actor=zzb, meeting=meeting, held_on=timezone.localdate())
    meeting_follow_up = meeting_services.follow_up_add(
        actor=zzb, meeting=meeting, task="访问矩阵：督办", due_on=timezone.localdate(), owner_body="县纪委"
    )
    from ganbu.economic_audits import services as audit_services
    from ganbu.registry.models import Tenure as _Tenure

    # 经济责任审计 (issue 14): the 县林业局 head's departure audit, commissioned today (forms still apply).
    audit_tenure = (
        _Tenure.objects.filter(post__unit=forestry, post__kind="head", end_date__isnull=True)
        .select_related("cadre", "post")
        .order_by("pk")
        .first()
    )
    assert audit_tenure is not None
    economic_audit = audit_services.engagement_create(
        actor=zzb,
        cadre=audit_tenure.cadre,
        post=audit_tenure.post,
        tenure=audit_tenure,
        trigger="transfer",
        term_start=audit_tenure.start_date,
        term_end=timezone.localdate(),
        trigger_note="访问矩阵：拟调任",
    )
    audit_services.engagement_commission(
        actor=zzb,
        engagement=economic_audit,
        commissioned_on=timezone.localdate(),
        commissioned_by="organization",
        audit_body="县审计局",
        report_due_on=timezone.localdate() + timedelta(days=60),
    )
    log = AccessLog.objects.create(
        username="zzb", ip_address="127.0.0.1", user_agent="test", path_info="/login/"
    )
    attempt = AccessAttempt.objects.create(
        username="zzb", ip_address="127.0.0.1", user_agent="test", path_info="/login/", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(
        username="zzb", ip_address="127.0.0.1", user_agent="test", path_info="/login/"
    )

    def both(pk: int, *names: str) -> dict[str, Any]:
        return {"pk": pk, **dict.fromkeys(names, pk)}

    args: dict[str, dict[str, Any]] = {
        "-": {},
        "cadre": both(cadre.pk, "cadre_id"),
        "cadre.own": both(ganbu.cadre_id, "cadre_id"),
        "family": {"pk": cadre.pk, "member_pk": family.pk},
        "resume": {"pk": cadre.pk, "entry_pk": resume.pk},
        "unit": both(forestry.pk, "unit_id"),
        "post": both(post.pk, "post_id"),
        "document": both(document.pk, "document_id"),
        "correction": both(correction.pk),
        "ballot.draft": both(draft.pk, "ballot_id"),
        "ballot.open": both(open_ballot, "ballot_id"),
        "ballot.action": {"pk": open_ballot, "action": "close"},
        "ballot.published": both(published.pk, "ballot_id"),
        "ballot.file": {"pk": published.pk, "fmt": "docx"},
        "ballot.committee": both(committee.pk, "ballot_id"),
        "committee.voter": {"pk": committee.pk, "ballot_id": committee.pk, "voter_id": voter.pk},
        "committee.recusal": {"ballot_id": committee.pk, "voter_id": voter.pk, "item_id": committee_item.pk},
        "ballot.paper": both(paper.pk, "ballot_id"),
        "ballot.closed": both(closed.pk, "ballot_id"),
        "paper.item": {"pk": paper.pk, "ballot_id": paper.pk, "item_id": paper_item.pk},
        "record": both(record.pk, "record_id"),
        "record.action": {"pk": record.pk, "action": "withdraw"},
        "record.document": {"record_id": record.pk, "kind": "preannouncement", "fmt": "docx"},
        "record.candidate": {"record_id": record.pk, "candidate_id": candidate.pk},
        "opinion": both(opinion.pk, "request_id"),
        "probation": {"probation_id": probation.pk},
        "calendar.day": {"day": "2026-10-08"},
        "calendar.year": {"year": 2026},
        "policy.key": {"key": "ballot.min_category_size"},
        "exit": both(exit_record.pk, "exit_id"),
        "exit.kind": {"kind": "removal"},
        "case": both(case.pk, "case_id"),
        "proceeding": both(proceeding.pk, "proceeding_id"),
        "economic_audit": both(economic_audit.pk, "engagement_id"),
        "assessment.round": both(assessment_round.pk, "round_id"),
        "assessment.entry": {
            "pk": assessment_round.pk,
            "round_id": assessment_round.pk,
            "entry_pk": assessment_entry.pk,
            "entry_id": assessment_entry.pk,
        },
        "assessment.consequence": both(consequence.pk, "consequence_id"),
        "sanction": both(sanction.pk, "sanction_id"),
        "talk": both(talk.pk, "talk_id"),
        "talk.kind": {"kind": "reminder_talk"},
        "training.program": both(training_program.pk, "program_id"),
        "training.class": both(training_class.pk, "class_id"),
        "training.enrollment": both(training_enrollment.pk, "enrollment_id"),
        "exchange": both(exchange.pk, "record_id"),
        "exchange.plan": both(exchange_plan.pk, "plan_id"),
        "exchange.move": {"plan_id": exchange_plan.pk, "move_id": exchange_plan.moves.get().pk},
        "petition": {**both(petition.pk, "petition_id"), "code": petition.tracking_code},
        "petition.dis": both(petition_dis.pk, "petition_id"),
        "meeting": both(meeting.pk, "meeting_id"),
        "meeting.member": {"pk": meeting.pk, "member_id": meeting_member.pk},
        "meeting.agenda": {"pk": meeting.pk, "item_id": meeting_agenda.pk},
        "meeting.finding": {"pk": meeting.pk, "finding_id": meeting_finding.pk},
        "meeting.follow_up": {
            "pk": meeting.pk,
            "meeting_id": meeting.pk,
            "follow_up_id": meeting_follow_up.pk,
        },
        "meeting.minutes": {"kind": "joint_meeting_minutes", "source_id": meeting.pk, "fmt": "docx"},
        "campaign": both(campaign.pk, "campaign_id"),
        "campaign.action": {"pk": campaign.pk, "action": "rank"},
        "campaign.open": both(open_campaign.pk, "campaign_id"),
        "campaign.closed": both(closed_campaign.pk, "campaign_id"),
        "application": {"pk": campaign.pk, "campaign_id": campaign.pk, "application_id": application.pk},
        "application.stage": {"campaign_id": campaign.pk, "application_id": application.pk, "stage": stage},
        "campaign.stage": {"campaign_id": campaign.pk, "stage": stage},
        "application.action": {"pk": campaign.pk, "application_id": application.pk, "action": "review"},
        "panel": {"pk": campaign.pk, "campaign_id": campaign.pk, "panel_id": panel.pk},
        "judging": {"pk": panel.pk},
        "judging.sheet": {"pk": panel.pk, "application_pk": panel_application.pk},
        "import.progress": {"pk": campaign.pk, "key": job.key},
        "import.job": {"pk": campaign.pk, "campaign_id": campaign.pk, "job_id": job.pk},
        "import.lrmx": {"job_id": lrmx_job.pk},
        "template": both(template.pk),
        "template.kind": {"kind": "appointment_notice"},
        "template.file": {"kind": "appointment_notice", "which": "default"},
        "notification": both(notification.pk, "notification_id"),
        "my.campaign": both(open_campaign.pk),
        "my.application": both(own_application.pk),
        "my.attachment": {"pk": own_application.pk, "attachment_pk": attachment.pk},
        "user": both(ganbu.pk),
        "admin.app": {"app_label": "accounts"},
        "admin.catchall": {"url": "registry/cadre/"},
        "admin.ct": {"content_type_id": ContentType.objects.get_for_model(User).pk, "object_id": ganbu.pk},
        "admin.loginattempt": {"object_id": attempt.pk},
        "admin.loginlog": {"object_id": log.pk},
        "admin.loginfailure": {"object_id": failure.pk},
    }
    if notice is not None and objection is not None:
        args["notice"] = both(notice.pk, "notice_id")
        args["objection"] = {**both(objection.pk, "objection_id"), "code": objection.tracking_code}
    return Scene(users=users, tokens=tokens, codes=codes, open_ballot=open_ballot, args=args)


@pytest.fixture(scope="module")
def access_scene(django_db_setup, django_db_blocker):
    """The demo county and the scene's extra rows, committed once for the module, flushed after."""
    with django_db_blocker.unblock():
        # API bodies carry id 1 (test_access_matrix.example): the ids must start at 1 on every
        # database, and PostgreSQL's sequences keep counting through the earlier tests' rollbacks.
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
        out = io.StringIO()
        call_command("demo", "--scale", "0.1", stdout=out)
        built = _build_scene(out.getvalue())
        yield built
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
