"""The audit-trail page (审计日志): events newest first with filters, diffs, and chain verification.

Each change is shown labelled, with names for the rows it refers to and labels for codes
(``ganbu.core.audit_display``); the cadre filter is a type-ahead over the cadres the trail names.

Only users with ``Cap.AUDIT_VIEW`` (auditor, administrator, department leader) see it; for anyone
else the page does not exist (404). ID numbers, family members, sanctions, proceedings and
incompetence cases are masked for readers who may not see them on the record pages (the
auditor and the administrator); the chain is still verified over the full stored content.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ganbu.core.access import Cap, require_cap
from ganbu.core.audit import audit_verify
from ganbu.core.audit_display import describe_events
from ganbu.core.selectors import AuditFilter, audit_cadre_name, audit_cadre_search, audit_event_list

from ..forms_org import AuditFilterForm
from .org_common import AuthedRequest, page_of

# Chinese names of the event types written by the services. A new service event adds its label here.
EVENT_LABELS: dict[str, str] = {
    "unit.created": "新建单位",
    "unit.updated": "修改单位信息",
    "post.created": "新增职位",
    "post.updated": "修改职位",
    "quota.set": "设定职数",
    "roster.column_set_saved": "保存花名册导出列组合",
    "roster.column_set_deleted": "删除花名册导出列组合",
    "cadre.created": "新建干部档案",
    "cadre.updated": "修改干部档案",
    "cadre.roster_imported": "Excel 导入干部信息",
    "document.issued": "登记任免文件",
    "document.item_applied": "执行任免事项",
    "family.saved": "保存家庭成员",
    "family.deleted": "删除家庭成员",
    "resume.saved": "保存简历条目",
    "resume.deleted": "删除简历条目",
    "assessment.recorded": "登记年度考核",
    "reward_sanction.recorded": "登记奖惩",
    "reserve.added": "纳入后备干部",
    "reserve.ended": "后备干部出库",
    "correction.submitted": "提交信息更正申请",
    "correction.reviewed": "审核信息更正申请",
    "api_token.created": "创建 API 令牌",
    "api_token.revoked": "吊销 API 令牌",
    "user.created": "新建用户",
    "user.password_set": "设置用户密码",
    "user.enabled": "启用用户",
    "user.disabled": "停用用户",
    "user.updated": "修改用户角色、管理范围或邮件地址",
    "user.password_reset": "重置用户密码（临时密码）",
    "user.unlocked": "解除登录锁定",
    "user.otp_enrolled": "启用两步验证",
    "user.otp_recovery_renewed": "重新生成两步验证恢复码",
    "user.otp_recovery_used": "用恢复码登录",
    "user.otp_reset": "重置两步验证",
    "demo.loaded": "载入示例数据",
    "backup.created": "备份数据",
    "backup.restored": "从备份恢复数据",
    "cadre.derived_refreshed": "按生效日期更新现任职务",
    "voting.ballot_created": "新建投票",
    "voting.item_added": "添加投票事项",
    "voting.member_added": "登记票决成员",
    "voting.attendance_set": "登记到会情况",
    "voting.credentials_issued": "发放投票码",
    "voting.paper_entered": "录入纸质计票结果",
    "voting.paper_confirmed": "监票确认计票结果",
    "voting.ballot_opened": "开始投票",
    "voting.ballot_closed": "结束投票",
    "voting.ballot_tallied": "计票",
    "voting.ballot_published": "公布投票结果",
    "voting.key_renewed": "重新生成监票人密钥份额",
    "voting.dead_versions_purged": "清除投票数据旧版本",
    "voting.member_removed": "移出票决成员",
    "voting.recusal_set": "登记回避",
    "voting.attendance_recorded": "登记应到、实到人数",
    "voting.paper_sheet_entered": "逐张录入纸质推荐票",
    "voting.paper_sheets_cleared": "清除已录入的纸质推荐票",
    "policy.value_set": "记录政策参数",
    "policy.calendar_day_set": "调整工作日历",
    "policy.calendar_day_deleted": "删除工作日历调整",
    "policy.calendar_year_completed": "确认某年工作日历录入完整",
    "policy.calendar_year_reopened": "撤销某年工作日历的完整确认",
    "cadre.status_changed": "变更干部状态",
    "user.email_set": "设置提醒邮件地址",
    "campaign.created": "新建竞争性选拔",
    "campaign.status_changed": "竞争性选拔状态变更",
    "campaign.post_added": "列出选拔职位",
    "campaign.application_submitted": "报名",
    "campaign.application_withdrawn": "退出选拔",
    "campaign.application_reviewed": "资格审查",
    "campaign.score_set": "录入成绩",
    "campaign.scores_imported": "导入成绩",
    "campaign.scores_import_retried": "重试中断的成绩导入",
    "campaign.panel_created": "组建面试考官组",
    "campaign.panel_locked": "锁定面试评分",
    "campaign.stage_advanced": "确定进入下一环节人选",
    "campaign.decided": "确定任用人选",
    "campaign.reserve_added": "列入后备干部",
    "campaign.handed_over": "转入选拔任用纪实（组织考察）",
    "campaign.sheet_submitted": "考官提交评分表",
    "campaign.attachments_added": "报名材料上传",
    "campaign.identity_verified": "资格审查时核验报名人员身份",
    "campaign.identity_resolved": "核定报名人员身份（身份冲突）",
    "exits.exit_recorded": "办理能上能下（离岗退养、改任、免职、降职、辞职、退休）",
    "exits.proceeding_opened": "登记审计或调查",
    "exits.proceeding_closed": "登记审计或调查结束",
    "exits.case_opened": "启动不称职调整程序",
    "exits.case_concluded": "登记不称职考察结论",
    "exits.case_adjusted": "不称职调整程序结案（已调整）",
    "selection.proposed": "选拔任用动议",
    "selection.step": "选拔任用环节",
    "selection.talk_survey_added": "登记谈话调研推荐",
    "selection.ballot_linked": "关联投票",
    "selection.override_granted": "批准规则例外",
    "selection.inspection_started": "开始考察",
    "selection.check_recorded": "登记考察审核事项",
    "selection.opinion_requested": "征求意见",
    "selection.opinion_answered": "答复征求意见",
    "selection.objection_received": "收到群众反映",
    "selection.objection_resolved": "办结群众反映",
    "selection.probation_concluded": "试用期满结论",
    "todo.reminders_sent": "生成待办提醒",
    "todo.notification_read": "阅读提醒",
    "todo.notifications_read_all": "全部提醒标为已读",
    "doctemplate.uploaded": "上传文书模板",
    "doctemplate.activated": "启用文书模板",
    "doctemplate.reset": "文书模板恢复默认",
    "audit.chain_keyed": "审计链启用密钥签名",
    "interop.lrmx_imported": "导入任免审批表文件",
    # 考核 (issue 14)
    "assessment.round_created": "新建考核",
    "assessment.entry_added": "列入考核对象",
    "assessment.entry_set": "登记考核评分与等次",
    "assessment.entry_removed": "移出考核对象",
    "assessment.ballot_linked": "关联考核的民主测评",
    "assessment.round_closed": "确定考核等次",
    "assessment.consequence_handled": "办理考核结果运用",
    # 谈话与诫勉
    "talk.recorded": "登记谈话、函询",
    "talk.held": "登记谈话情况",
    "talk.inquiry_answered": "登记函询的书面回复",
    "talk.admonished": "诫勉",
    # 教育培训 (issue 15)
    "training.program_created": "登记培训项目",
    "training.class_created": "开设培训班次",
    "training.enrolled": "报名参训",
    "training.attendance_recorded": "登记培训请假",
    "training.withdrawn": "请假超过七分之一，作退学处理",
    "training.attendance_imported": "导入培训请假登记",
    "training.class_closed": "登记培训班次结业",
    # 干部交流与交流轮岗方案 (issue 15)
    "exchanges.record_created": "登记干部交流",
    "exchanges.secondment_ended": "登记挂职期满返回",
    "exchanges.plan_created": "拟定交流轮岗方案",
    "exchanges.move_added": "方案添加交流事项",
    "exchanges.move_removed": "方案移除交流事项",
    "exchanges.plan_discussed": "登记交流轮岗方案的讨论情况",
    "exchanges.plan_withdrawn": "撤回交流轮岗方案",
    "exchanges.plan_carried_out": "实施交流轮岗方案",
    # 处分
    "reward_sanction.followup_updated": "登记处分的复核、申诉和新的违纪违法行为",
    "reward_sanction.new_violation_settled": "处分影响期内新的违纪违法行为已处理",
    # 信访举报
    "petitions.received": "收到信访举报",
    "petitions.assigned": "交办信访举报",
    "petitions.cadres_set": "确定信访举报涉及的干部",
    "petitions.verified": "登记信访举报的核查情况",
    "petitions.concluded": "办结信访举报",
    # 联席会议
    "joint_meetings.meeting_planned": "安排联席会议",
    "joint_meetings.member_added": "登记联席会议参会人员",
    "joint_meetings.member_removed": "删除联席会议参会人员",
    "joint_meetings.agenda_added": "增加联席会议议题",
    "joint_meetings.agenda_removed": "删除联席会议议题",
    "joint_meetings.finding_added": "登记联席会议对干部的研判意见",
    "joint_meetings.finding_removed": "删除联席会议对干部的研判意见",
    "joint_meetings.meeting_held": "登记联席会议召开",
    "joint_meetings.minutes_settled": "联席会议纪要定稿",
    "joint_meetings.follow_up_added": "布置联席会议督办事项",
    "joint_meetings.follow_up_done": "办结联席会议督办事项",
    # 经济责任审计
    "economic_audits.created": "登记经济责任审计",
    "economic_audits.commissioned": "委托经济责任审计",
    "economic_audits.notice_served": "送达审计通知书",
    "economic_audits.started": "实施经济责任审计",
    "economic_audits.reported": "出具经济责任审计报告",
    "economic_audits.follow_up_added": "布置审计整改事项",
    "economic_audits.follow_up_done": "办结审计整改事项",
    "economic_audits.closed": "经济责任审计整改完成",
}

MSG_CHAIN_OK = (
    "审计链完整：已逐条校验 {checked} 条事件，未发现改动、删除或调换。链头序号 {seq}，链头哈希 {hash}。"
)
MSG_CHAIN_CHECKPOINTS = "并与服务器上的 {count} 个签名检查点核对一致（最近的事件没有被删除）。"
MSG_CHAIN_NO_CHECKPOINTS = (
    "服务器上还没有签名检查点：删除最近的事件（回滚）要有检查点才能发现，请运维人员按部署说明定期写入检查点。"
)
MSG_CHAIN_BROKEN = "审计链校验未通过（断点：第 {seq} 号事件）：{message}"
MSG_CHAIN_BROKEN_TAIL = "审计链校验未通过：{message}"


def event_label(event_type: str) -> str:
    """The Chinese name of an event type, or the identifier itself for a type not yet named."""
    return EVENT_LABELS.get(event_type, event_type)


@login_required
@require_GET
def audit_list(request: AuthedRequest) -> HttpResponse:
    """The audit trail, newest first, paginated in the database, with filters."""
    require_cap(request.user, Cap.AUDIT_VIEW)
    form = AuditFilterForm(
        request.GET or None, event_types=sorted(EVENT_LABELS.items(), key=lambda kv: kv[0])
    )
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    filters = AuditFilter(
        event_type=data.get("event_type") or "",
        actor=data.get("actor") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        cadre_id=data.get("cadre_id"),
        cadre_name=data.get("cadre_name") or "",
    )
    page, query = page_of(request, audit_event_list(user=request.user, filters=filters))
    rows = describe_events(list(page), EVENT_LABELS, user=request.user)
    chosen = audit_cadre_name(user=request.user, cadre_id=filters.cadre_id)
    if chosen:  # the picker shows the chosen cadre's name in the box, not the id
        form.fields["cadre_id"].widget.attrs["data-picker-label"] = chosen
    return render(
        request,
        "web/org/audit_list.html",
        {"form": form, "page": page, "query": query, "rows": rows, "chosen_cadre": chosen},
    )


@login_required
@require_GET
def audit_picker_cadres(request: AuthedRequest) -> JsonResponse:
    """Type-ahead for the page's cadre filter: cadres named in the trail, by name or pinyin initials.

    The same contract as the registry's picker (``static/ganbu/picker.js``), for the users who read
    the trail: an auditor sees every change and may filter by any cadre the trail names.
    """
    require_cap(request.user, Cap.AUDIT_VIEW)
    cadres = audit_cadre_search(user=request.user, term=request.GET.get("q", "")[:50], limit=20)
    results = [
        {"id": c.pk, "text": f"{c.name}（{c.unit.name}）", "name": c.name, "unit": c.unit.name}
        for c in cadres
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def audit_verify_view(request: AuthedRequest) -> HttpResponse:
    """Walk the whole hash chain and report, in Chinese, that it is intact or where it breaks."""
    require_cap(request.user, Cap.AUDIT_VIEW)
    report = audit_verify()
    if report.ok:
        marks = (
            MSG_CHAIN_CHECKPOINTS.format(count=report.checkpoints)
            if report.checkpoints
            else MSG_CHAIN_NO_CHECKPOINTS
        )
        messages.success(
            request,
            MSG_CHAIN_OK.format(checked=report.checked, seq=report.head_seq, hash=report.head_hash) + marks,
        )
    else:
        problem = report.problem
        assert problem is not None
        template = MSG_CHAIN_BROKEN if problem.event_id is not None else MSG_CHAIN_BROKEN_TAIL
        messages.error(request, template.format(seq=problem.seq, message=problem.message))
    return redirect("web:audit-list")
