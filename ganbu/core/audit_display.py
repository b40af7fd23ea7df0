"""The audit trail in an officer's words: labelled changes, names instead of ids, codes as labels.

Services snapshot what they change as ``before``/``after`` dictionaries whose keys are model field
names (``status``) or names of their own (``issued_total``, ``notice_id``), and whose values may be
codes (``file_review``) or database ids (``candidates: [634, 635]``). The audit page shows each key
by its Chinese label, each code by its Chinese label and each referenced row by its name, read for
a whole page at once: one query per kind of row referenced (a fixed number, whatever the page
holds). The stored events are never changed (they are hash-chained); only their display is.

Sensitive content is masked for readers who may not see it on the record pages (issue 11): one
table, :data:`SENSITIVE_RULES`, names which values of which events are sensitive and which part
of the record (``core.access.Sensitive``) they belong to; ``core.access.may_see`` decides, as for
the record pages. ID numbers show as ``3****************X``, the rest as 「（已隐去）」. The chain is
verified over the full stored content; masking changes only what a page or ``ganbu audit tail``
prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, Q

from .access import Sensitive, may_see
from .models import AuditEvent

# Chinese labels of the snapshot keys that are not field names of the event's target model.
KEY_LABELS: dict[str, str] = {
    # registry and documents
    "note": "审核意见",
    "items": "任免事项",
    "number": "文号",
    "issued_on": "发文日期",
    "on": "日期",
    "fields": "字段",
    "document": "任免文件",
    "kind_label": "类别",
    "ended_posts": "免去的职务",
    "new_post": "新任职位",
    "new_rank": "新职级",
    "rank": "职级",
    "basis": "依据",
    "effective_on": "生效日期",
    "decided_on": "决定日期",
    "ended_on": "结束日期",
    "started_on": "开始日期",
    "done_on": "完成日期",
    "held_on": "日期",
    "inspected_on": "考察日期",
    "inspectors": "考察组",
    "reason": "事由",
    "confirmed": "认定不称职",
    "evaluation": "民主测评",
    "outcome": "结果",
    "step": "环节",
    "status": "状态",
    "kind": "类别",
    "body": "单位类别",
    "body_name": "征求意见单位",
    "addressee_id": "答复人",
    "answer": "答复意见",
    "request_id": "征求意见",
    # people
    "cadre": "干部",
    "cadre_id": "干部",
    "user": "用户",
    "users": "用户",
    "username": "用户名",
    "name": "名称",
    "email": "提醒邮件地址",
    "role": "角色",
    "scope_unit": "管理范围",
    "is_superuser": "超级用户",
    "prefix": "令牌前缀",
    "revoked_at": "吊销时间",
    "read_at": "阅读时间",
    "created": "新建",
    "new": "新登记",
    "count": "数量",
    "rows": "行数",
    "value": "值",
    "key": "参数",
    "effective_from": "起始日期",
    "day": "日期",
    "year": "年份",
    "holidays": "放假天数",
    "workdays": "调休上班天数",
    # selection
    "posts": "职位",
    "post": "职位",
    "record_id": "选拔任用纪实",
    "ballot_id": "投票",
    "notice_id": "任前公示",
    "candidate_id": "考察对象",
    "candidates": "考察对象",
    "proposed": "任用建议人选",
    "passed": "通过人选",
    "appointed": "任职人选",
    "probations": "试用期",
    "probation_id": "试用期",
    "objection_id": "群众反映",
    "problems": "反映问题",
    "talk_surveys": "谈话调研推荐",
    "participants": "参加人数",
    "interviews": "个别谈话人数",
    "team": "考察组人数",
    "audit_required": "须经济责任审计",
    "members": "票决成员人数",
    "rule": "规则",
    "finding": "审查结果",
    "findings": "审查结果",
    "exceptional": "破格",
    # voting
    "item_id": "投票事项",
    "voter_id": "票决成员",
    "attended": "到会",
    "recused": "回避事项数",
    "category": "投票人类别",
    "issued": "发出",
    "issued_total": "累计发放投票码",
    "returned": "收回",
    "counted": "计票张数",
    "void": "无效",
    "expected": "应到人数",
    "present": "实到人数",
    "voters": "投票人数",
    "recusals_found": "系统核查出的回避",
    "credentials_issued": "发放的投票码",
    "credentials_used": "已使用的投票码",
    "participations": "已投票人数",
    "sheets": "选票张数",
    "key_holders": "监票人密钥份数",
    "key_threshold": "计票所需密钥份数",
    "purged": "已核实清除",
    "tables": "清理的数据表",
    "tables_skipped": "未能清理的数据表",
    "dead_remaining": "残留旧版本",
    "channel": "投票方式",
    "anonymous": "无记名",
    "papers_entered": "录入的纸质票",
    "cleared": "清除张数",
    "recovery_codes_left": "剩余恢复码（个）",
    "sheets_removed": "删除的选票张数",
    # campaigns
    "application_id": "报名",
    "panel_id": "面试考官组",
    "stage": "环节",
    "stages": "环节",
    "next": "下一环节",
    "places": "职位数",
    "judges": "考官",
    "scores": "成绩",
    "absent": "缺考",
    "decided": "确定任用",
    "pool": "后备人选",
    "added": "新增",
    # the Excel cadre import's summary (interop.roster)
    "updated": "更新",
    "unchanged": "无变化",
    # document templates
    "filename": "文件名",
    "size": "文件大小（字节）",
    "bytes": "文件大小（字节）",
    "active_template_id": "启用的模板",
    # 教育培训 (issue 15)
    "absence_limit": "请假上限（学时，总学时的七分之一）",
    "certificates": "颁发结业证书数",
    "trainees": "报名学员",
    # the demo's summary
    "accounts_created": "创建的演示账号",
    "accounts_skipped": "已存在而跳过的账号",
    "assessments": "年度考核",
    "cadres": "干部",
    "county_units": "县直单位",
    "document_items": "任免事项",
    "documents": "任免文件",
    "family_members": "家庭成员",
    "forestry_stations": "林业站",
    "leaders": "担任领导职务",
    "quotas": "职数",
    "rank_records": "职级记录",
    "related_family_members": "本身是在册干部的家庭成员",
    "reserve_cadres": "后备干部",
    "reserve_memberships": "后备干部记录",
    "resume_entries": "简历条目",
    "rewards_sanctions": "奖惩",
    "scale": "规模",
    "seed": "随机种子",
    "serving": "在职",
    "tenures": "任职记录",
    "towns": "镇",
    "units": "单位",
    "women": "女干部",
    # assessment, talks, petitions, joint meetings, economic audits (issue 14): keys of events whose
    # target is another model (a round's entry, a meeting's item, an engagement's follow-up)
    "entry": "考核对象",
    "ballot": "民主测评",
    "grades": "考核等次",
    "consequences": "考核结果运用",
    "team_grade": "领导班子等次",
    "exit_record": "能上能下办理记录",
    "morality": "德",
    "ability": "能",
    "diligence": "勤",
    "performance": "绩",
    "integrity": "廉",
    "achievement_text": "实绩情况",
    "achievement_score": "实绩评分",
    "proposed_grade": "拟定等次",
    "final_grade": "确定等次",
    "blocker_kind": "不得辞退情形",
    "blocker_start": "情形起始日期",
    "blocker_until": "情形截止日期",
    "blocker_basis": "不得辞退情形的依据",
    "constraint": "受处分影响的等次限制",
    "period": "影响期",
    "talk_id": "谈话记录",
    "assignee_id": "承办人",
    "cadre_ids": "涉及的干部",
    "intake_body": "受理机关",
    "conclusion": "办理结论",
    "notes_length": "核查情况（字数）",
    "agenda_id": "议题",
    "member_id": "参会人员",
    "finding_id": "研判意见",
    "follow_up_id": "督办事项",
    "owner_id": "责任人",
    "owner_body": "责任单位",
    "minutes_chars": "会议纪要（字数）",
    "minutes_on": "纪要定稿日期",
    "measure": "处理措施",
    "source": "议题来源",
    "source_id": "议题来源记录",
    "title": "名称",
    "task": "事项",
    "item": "整改事项",
    "description": "内容",
    "due_on": "完成时限",
    "result": "办理结果",
    "previous": "原日期",
    "trigger": "审计类型",
    "regulation": "适用规定",
    "term_start": "审计期间起",
    "term_end": "审计期间止",
    "audit_body": "审计机关",
    "commissioned_by": "委托机关",
    "commissioned_on": "委托日期",
    "report_due_on": "要求完成日期",
    "served_on": "审计通知书送达日期",
    "notice_served_on": "审计通知书送达日期",
    "reported_on": "审计报告日期",
    "report_number": "审计报告文号",
    "closed_on": "整改完成日期",
    "proceeding": "审计程序",
}

# How a referenced row is named: its ``str()``, read with the related rows that ``str()`` uses, so
# naming a page of rows takes one query per model.
NAMING: dict[str, tuple[str, ...]] = {
    "registry.Cadre": (),
    "registry.Unit": (),
    "registry.Post": ("unit",),
    "registry.Quota": ("unit",),
    "registry.AppointmentDocument": (),
    "registry.DocumentItem": ("cadre", "post__unit"),
    "registry.Tenure": ("cadre", "post__unit"),
    "accounts.User": (),
    "selection.SelectionRecord": (),
    "selection.PublicNotice": (),
    "selection.Candidate": ("cadre", "post__unit"),
    "selection.Probation": ("candidate__cadre", "candidate__post__unit"),
    "selection.Objection": (),
    "selection.OpinionRequest": (),
    "voting.Ballot": (),
    "voting.BallotItem": (),
    "voting.Voter": ("user",),
    "campaigns.Campaign": (),
    "campaigns.CampaignPost": ("post__unit",),
    "campaigns.Applicant": (),
    "campaigns.Application": ("applicant", "campaign"),
    "campaigns.InterviewPanel": (),
    "exits.ExitRecord": ("cadre",),
    "exits.Proceeding": ("cadre",),
    "exits.IncompetenceCase": ("cadre",),
    "doctemplates.DocumentTemplate": (),
}

# Snapshot keys of the services' own whose values are ids (one, or a list) of rows of a model.
REFERENCES: dict[str, str] = {
    "cadre": "registry.Cadre",
    "cadre_id": "registry.Cadre",
    "candidates": "registry.Cadre",
    "proposed": "registry.Cadre",
    "passed": "registry.Cadre",
    "appointed": "registry.Cadre",
    "trainees": "registry.Cadre",
    "scope_unit": "registry.Unit",
    "addressee_id": "accounts.User",
    "record_id": "selection.SelectionRecord",
    "ballot_id": "voting.Ballot",
    "notice_id": "selection.PublicNotice",
    "candidate_id": "selection.Candidate",
    "probation_id": "selection.Probation",
    "objection_id": "selection.Objection",
    "request_id": "selection.OpinionRequest",
    "item_id": "voting.BallotItem",
    "voter_id": "voting.Voter",
    "application_id": "campaigns.Application",
    "panel_id": "campaigns.InterviewPanel",
    "active_template_id": "doctemplates.DocumentTemplate",
}

# Where a key's codes are labelled when the key is not a field of the event's target model:
# (event type, key) → (model label, field name).
EVENT_CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    ("selection.step", "step"): ("selection.SelectionRecord", "step"),
    ("selection.proposed", "step"): ("selection.SelectionRecord", "step"),
    ("selection.check_recorded", "kind"): ("selection.InspectionCheck", "kind"),
    ("selection.ballot_linked", "kind"): ("voting.Ballot", "kind"),
    ("selection.step", "kind"): ("voting.Ballot", "kind"),
    ("selection.opinion_requested", "body"): ("selection.OpinionRequest", "body"),
    ("selection.opinion_answered", "answer"): ("selection.OpinionRequest", "answer"),
    ("exits.case_adjusted", "kind"): ("exits.ExitRecord", "kind"),
    ("exits.proceeding_opened", "kind"): ("exits.Proceeding", "kind"),
    ("exits.case_opened", "step"): ("exits.IncompetenceCase", "step"),
    ("exits.case_concluded", "step"): ("exits.IncompetenceCase", "step"),
    ("exits.case_adjusted", "step"): ("exits.IncompetenceCase", "step"),
    ("campaign.application_reviewed", "status"): ("campaigns.Application", "status"),
    ("campaign.application_withdrawn", "status"): ("campaigns.Application", "status"),
    ("campaign.created", "kind"): ("campaigns.Campaign", "kind"),
    ("campaign.scores_import_retried", "status"): ("jobs.ImportJob", "status"),
    ("policy.calendar_day_set", "kind"): ("policy.CalendarDay", "kind"),
    ("policy.calendar_day_deleted", "kind"): ("policy.CalendarDay", "kind"),
    ("doctemplate.uploaded", "kind"): ("doctemplates.DocumentTemplate", "kind"),
    ("doctemplate.activated", "kind"): ("doctemplates.DocumentTemplate", "kind"),
    ("doctemplate.reset", "kind"): ("doctemplates.DocumentTemplate", "kind"),
}

EMPTY = "（空）"
MASKED = "（已隐去）"


@dataclass(frozen=True)
class SensitiveRule:
    """One kind of sensitive content in audit events, and the part of the record it belongs to.

    ``target_type`` limits the rule to events about one model ("" = any event). ``keys`` are the
    snapshot keys it masks; empty means the whole event: every value, the target's name, the
    reason and the cadre it concerns. ``only_if`` limits it to events whose before or after
    snapshot has that (key, value), e.g. a 处分 rather than a 奖励.
    """

    part: Sensitive
    target_type: str = ""
    keys: frozenset[str] = frozenset()
    only_if: tuple[str, str] | None = None

    def applies(self, event: AuditEvent) -> bool:
        """Whether this rule covers ``event``."""
        if self.target_type and event.target_type != self.target_type:
            return False
        if self.only_if is None:
            return True
        key, value = self.only_if
        return any(snapshot.get(key) == value for snapshot in _snapshots(event))


# What the record pages guard, as it appears in the audit trail. A service that writes a new kind
# of sensitive value into its events adds a rule here (test_audit_masking checks the known ones).
SENSITIVE_RULES: tuple[SensitiveRule, ...] = (
    # 身份证号 of a cadre (cadre.created, cadre.updated, corrections) or anyone else.
    SensitiveRule(Sensitive.ID_NUMBER, keys=frozenset({"id_number"})),
    # 家庭成员: family.saved / family.deleted — names, relations, work units of relatives.
    SensitiveRule(Sensitive.FAMILY, target_type="registry.FamilyMember"),
    # 处分 (a reward stays visible, as on the record page).
    SensitiveRule(Sensitive.SUPERVISION, target_type="registry.RewardSanction", only_if=("kind", "sanction")),
    # 审计、纪律审查、监察调查、司法程序: exits.proceeding_opened / _closed.
    SensitiveRule(Sensitive.SUPERVISION, target_type="exits.Proceeding"),
    # 不称职调整: exits.case_opened / _concluded / _adjusted.
    SensitiveRule(Sensitive.INCOMPETENCE, target_type="exits.IncompetenceCase"),
)

# Rows named in other events' values that are wholly sensitive: shown by name only to those who
# may see them.
SENSITIVE_ROWS: dict[str, Sensitive] = {
    rule.target_type: rule.part for rule in SENSITIVE_RULES if rule.target_type and rule.only_if is None
}


def mask_id_number(value: str) -> str:
    """An ID number with all but its first and last characters hidden: ``3****************X``."""
    text = str(value)
    if len(text) <= 2:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 2) + text[-1]


class Viewer:
    """Who reads the trail, and so which sensitive parts are shown to them (``core.access.may_see``).

    ``None`` as the user is nobody in particular (``ganbu audit tail``): every sensitive part masked.
    """

    def __init__(self, user: Any) -> None:
        self.user = user

    def sees(self, part: Sensitive, cadre_id: int | None) -> bool:
        """Whether this reader may see ``part`` of the record of cadre ``cadre_id``."""
        return self.user is not None and may_see(self.user, part, cadre_id)

    def hidden_keys(self, event: AuditEvent) -> tuple[bool, dict[str, bool]]:
        """``(whole, keys)``: whether the whole event is masked, else the masked keys (True: an ID number)."""
        keys: dict[str, bool] = {}
        for rule in SENSITIVE_RULES:
            if not rule.applies(event) or self.sees(rule.part, event.cadre_id):
                continue
            if not rule.keys:
                return True, {}
            keys.update(dict.fromkeys(rule.keys, rule.part is Sensitive.ID_NUMBER))
        return False, keys


def hidden_event_q(user: Any) -> Q:
    """The events whose whole content is masked for ``user``: a filter, for the cadre filter.

    Why: filtering the trail by a cadre must not tell a reader which hidden events (a discipline
    review, a family member, a sanction) concern that cadre, when the rows themselves hide it.
    """
    q = Q(pk__in=[])
    for rule in SENSITIVE_RULES:
        if rule.keys or may_see(user, rule.part):
            continue
        part = Q(target_type=rule.target_type)
        if rule.only_if is not None:
            key, value = rule.only_if
            part &= Q(**{f"after__{key}": value}) | Q(**{f"before__{key}": value})
        q |= part
    return q


def masked_summary(event: AuditEvent, viewer: Viewer | None = None) -> tuple[str, str]:
    """The event's target name and reason as ``viewer`` (default: nobody in particular) may read them."""
    whole, _ = (viewer or Viewer(None)).hidden_keys(event)
    if whole:
        return MASKED, MASKED if event.reason else ""
    return event.target_repr, event.reason


# The row's own database id: internal, and the event's target is shown by name already.
HIDDEN_KEYS = frozenset({"id"})


@dataclass(frozen=True)
class DiffRow:
    """One field of an event's before/after values, labelled, with names and labels for codes."""

    field: str
    label: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class EventRow:
    """An audit event ready to show: its Chinese type, target, the cadre's name, reason and diff.

    ``target_repr``, ``reason``, ``cadre_name`` and the diff are masked as the reader may see them;
    ``cadre_hidden`` says the cadre the event concerns is itself not shown.
    """

    event: AuditEvent
    label: str
    target_label: str
    target_repr: str
    reason: str
    cadre_name: str
    cadre_hidden: bool
    diff: list[DiffRow]


@dataclass(frozen=True)
class TargetFields:
    """What is known about the fields of one target model: Chinese names and coded-value labels."""

    model_label: str
    labels: dict[str, str]
    choices: dict[str, dict[str, str]]
    references: dict[str, str]

    def reference(self, key: str) -> str | None:
        """The model a key's ids refer to: the target's foreign key, else the services' own keys.

        Only models the page knows how to name (:data:`NAMING`) count; other ids stay as they are.
        """
        label = self.references.get(key) or REFERENCES.get(key)
        return label if label in NAMING else None


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def target_fields(target_type: str) -> TargetFields:
    """Field names and choice labels for a model label such as ``registry.Cadre`` (no queries)."""
    model = _model(target_type)
    labels = dict(KEY_LABELS)
    if model is None:
        return TargetFields(model_label=target_type, labels=labels, choices={}, references={})
    choices: dict[str, dict[str, str]] = {}
    references: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        labels[field.name] = str(field.verbose_name)
        labels.setdefault(field.attname, str(field.verbose_name))
        if field.choices:
            choices[field.name] = {str(k): str(v) for k, v in field.flatchoices}
        related = field.related_model
        if field.is_relation and related is not None and not isinstance(related, str):
            references[field.name] = references[field.attname] = related._meta.label
    return TargetFields(
        model_label=str(model._meta.verbose_name), labels=labels, choices=choices, references=references
    )


def _choices_of(model_label: str, field_name: str) -> dict[str, str]:
    model = _model(model_label)
    if model is None:
        return {}
    field = model._meta.get_field(field_name)
    return {str(k): str(v) for k, v in getattr(field, "flatchoices", [])}


def _ids(value: Any) -> list[int]:
    """The ids in a referenced value (one id or a list of them); other values hold none."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _snapshots(event: AuditEvent) -> Iterable[dict[str, Any]]:
    return [s for s in (event.before, event.after) if isinstance(s, dict)]


def referenced_names(
    events: Sequence[AuditEvent], viewer: Viewer | None = None
) -> dict[tuple[str, int], str]:
    """The names of every row the events refer to, one query per kind of row.

    Rows since deleted are missing from the answer (the page then shows the id). Wholly sensitive
    rows (:data:`SENSITIVE_ROWS`) are named 「（已隐去）」 unless ``viewer`` may see them.
    """
    wanted: dict[str, set[int]] = defaultdict(set)
    known: dict[str, TargetFields] = {}
    for event in events:
        if event.target_type not in known:
            known[event.target_type] = target_fields(event.target_type)
        fields = known[event.target_type]
        if event.cadre_id:
            wanted["registry.Cadre"].add(event.cadre_id)
        for snapshot in _snapshots(event):
            for key, value in snapshot.items():
                label = fields.reference(key)
                if label is not None:
                    wanted[label].update(_ids(value))
    names: dict[tuple[str, int], str] = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None or not ids:
            continue
        rows = model._default_manager.filter(pk__in=ids)
        if NAMING[label]:
            rows = rows.select_related(*NAMING[label])
        part = SENSITIVE_ROWS.get(label)
        for row in rows:
            hidden = part is not None and not (viewer and viewer.sees(part, getattr(row, "cadre_id", None)))
            names[label, row.pk] = MASKED if hidden else str(row)
    return names


def _show(
    value: Any, coded: dict[str, str] | None, reference: str | None, names: dict[tuple[str, int], str]
) -> str:
    """A before/after value as text: names for ids, labels for codes, 「（空）」 for nothing."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if reference is not None and _ids(value):
        shown = [names.get((reference, i), f"（已删除的记录 {i}）") for i in _ids(value)]
        return "、".join(shown)
    if isinstance(value, list):
        return "\n".join(_show(v, coded, None, names) for v in value)
    if coded and str(value) in coded:
        return coded[str(value)]
    return str(value)


def _masked(value: Any, shown: str, id_number: bool) -> str:
    """A masked value: an ID number keeps its first and last characters, the rest is hidden."""
    if shown == EMPTY:  # that there is nothing there gives nothing away
        return shown
    if id_number and isinstance(value, str):
        return mask_id_number(value)
    return MASKED


def event_diff(
    event: AuditEvent,
    fields: TargetFields,
    names: dict[tuple[str, int], str],
    viewer: Viewer | None = None,
) -> list[DiffRow]:
    """The fields of an event's before and after snapshots, side by side, changed ones marked.

    Values ``viewer`` may not see are masked (``viewer=None``: nothing is masked, for callers
    that show the trail to no one, such as tests of the labels).
    """
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    whole, hidden = viewer.hidden_keys(event) if viewer is not None else (False, {})
    rows = []
    for key in dict.fromkeys([*before, *after]):
        b, a = before.get(key), after.get(key)
        if key in HIDDEN_KEYS:
            continue
        coded = fields.choices.get(key)
        if (event.event_type, key) in EVENT_CHOICES:  # the event knows best what its key holds
            coded = _choices_of(*EVENT_CHOICES[event.event_type, key])
        reference = fields.reference(key)
        shown_b = _show(b, coded, reference, names) if key in before else ""
        shown_a = _show(a, coded, reference, names) if key in after else ""
        if whole or key in hidden:
            id_number = hidden.get(key, False)
            shown_b = _masked(b, shown_b, id_number) if key in before else ""
            shown_a = _masked(a, shown_a, id_number) if key in after else ""
        rows.append(
            DiffRow(
                field=key,
                label=fields.labels.get(key, key),
                before=shown_b,
                after=shown_a,
                changed=event.before is not None and event.after is not None and b != a,
            )
        )
    return rows


def describe_events(
    events: Sequence[AuditEvent], event_labels: dict[str, str], *, user: Any
) -> list[EventRow]:
    """The page's events for ``user``: labelled diffs and names, sensitive content masked as the
    record pages would (:data:`SENSITIVE_RULES`), the names read in a fixed number of queries."""
    events = list(events)
    viewer = Viewer(user)
    names = referenced_names(events, viewer)
    known: dict[str, TargetFields] = {}
    rows = []
    for event in events:
        if event.target_type not in known:
            known[event.target_type] = target_fields(event.target_type)
        fields = known[event.target_type]
        whole, _ = viewer.hidden_keys(event)
        target_repr, reason = masked_summary(event, viewer)
        cadre_name = names.get(("registry.Cadre", event.cadre_id), "") if event.cadre_id else ""
        rows.append(
            EventRow(
                event=event,
                label=event_labels.get(event.event_type, event.event_type),
                target_label=fields.model_label,
                target_repr=target_repr,
                reason=reason,
                cadre_name=MASKED if whole and event.cadre_id else cadre_name,
                cadre_hidden=whole and bool(event.cadre_id),
                diff=event_diff(event, fields, names, viewer),
            )
        )
    return rows
