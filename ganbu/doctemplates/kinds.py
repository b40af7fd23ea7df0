"""The registry of document kinds: what each one is, what it is made from, its fields, and how it is made.

This is the contract with the department: a template may use exactly the fields listed here (an upload
using any other name is refused), each documented in Chinese with an example, and ``docs/doctemplates.md``
prints the same tables. A field is text unless it has ``items``, in which case it is a list of records
with those fields (``{%tr for c in candidates %}`` … ``{{ c.name }}``), or a list of texts when its example
is a tuple.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ganbu.documents.model import Document

from . import context, context_allocation, context_supervision, defaults, fallback
from .choices import DocKind
from .sources import (
    SOURCE_AUDIT,
    SOURCE_JOINT_MEETING,
    SOURCE_RECORD,
    SOURCE_ROTATION_PLAN,
    SOURCE_TALK,
    SOURCE_TRAINING_CLASS,
)


@dataclass(frozen=True)
class Field:
    """One field a template may use: its name, what it holds (Chinese) and an example value.

    An ``example`` that is a tuple makes the field a list of texts; ``items`` makes it a list of records
    having those fields.
    """

    name: str
    label: str
    example: str | tuple[str, ...] = ""
    items: tuple[Field, ...] = ()

    def sample(self) -> Any:
        """The example value: text, a list of texts, or two example records."""
        if self.items:
            return [{f.name: f.sample() for f in self.items} for _ in range(2)]
        if isinstance(self.example, tuple):
            return list(self.example)
        return self.example

    @property
    def type_label(self) -> str:
        """文字, 文字列表 or 列表, for the documentation tables."""
        if self.items:
            return "列表"
        return "文字列表" if isinstance(self.example, tuple) else "文字"


# Makes the fields from the kind's source object (a selection record, a joint meeting …) and, for the
# per-candidate kinds, a candidate id.
Builder = Callable[[Any, int | None], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """A kind of document.

    ``source`` names what it is made from (``sources.SOURCES``: a selection record, a joint meeting …);
    ``build`` makes the fields from such an object (raising ``context.DocumentNotReady`` before its step);
    ``default`` is the default template as a document model whose text holds the placeholders, and
    ``letterhead`` puts the red 版头 (issuer, 文号, red line) above it; ``fallback`` lays the filled
    fields out for the built-in PDF when LibreOffice is not installed. ``per_candidate`` kinds accept
    a candidate id to print one person only.
    """

    key: DocKind
    description: str
    ready_when: str
    fields: tuple[Field, ...]
    build: Builder
    default: Callable[[], Document]
    fallback: Callable[[Mapping[str, Any]], Document]
    letterhead: bool = True
    per_candidate: bool = False
    source: str = SOURCE_RECORD

    @property
    def label(self) -> str:
        """The Chinese name of the kind."""
        return str(self.key.label)

    def field_names(self) -> frozenset[str]:
        """The top-level names a template may use."""
        return frozenset(f.name for f in self.fields)

    def sample_context(self) -> dict[str, Any]:
        """Example values of every field, used to test-render an uploaded template."""
        return {f.name: f.sample() for f in self.fields}


def _base(*, issuer: str, date: str, doc_number: str) -> tuple[Field, ...]:
    """The fields every kind gives, with kind-specific wording for issuer, date and 文号."""
    return (
        Field("county", "县名：单位树最上层单位的名称", "示例县"),
        Field("issuer", issuer, "中共示例县委组织部"),
        Field("doc_number", doc_number, "〔2024〕　号"),
        Field("date", date, "2024年8月19日"),
        Field("today", "生成文书的日期", "2024年8月20日"),
    )


def _common(*, issuer: str, date: str, doc_number: str) -> tuple[Field, ...]:
    """The fields every kind made from a selection record gives: :func:`_base` and the record's."""
    return (
        *_base(issuer=issuer, date=date, doc_number=doc_number),
        Field("record_title", "选拔任用纪实的名称", "县财政局副局长选拔"),
        Field("unit", "拟任单位（主送单位）", "县财政局"),
    )


ORG_ISSUER = "落款（发文机关）：中共＋县名＋委组织部"
BLANK_NUMBER = (
    "发文字号：系统不为本文书编号，给出待填写的「〔年份〕　号」，"
    "可在模板中写上发文代字，如 示组字{{ doc_number }}"
)

PERSON: tuple[Field, ...] = (
    Field("name", "姓名", "赵甲"),
    Field("gender", "性别", "男"),
    Field("ethnicity", "民族", "汉族"),
    Field("birth_month", "出生年月", "1985年3月"),
    Field("age", "年龄（周岁，按文书日期计算）", "39"),
    Field("native_place", "籍贯", "示例县"),
    Field("political_status", "政治面貌", "中共党员"),
    Field("party_date", "入党时间（非中共党员为空）", "2008年6月"),
    Field("work_start", "参加工作时间", "2010年7月"),
    Field("education", "最高学历", "大学"),
    Field("school", "毕业院校系及专业（全日制优先）", "示范大学经济学专业"),
    Field(
        "current_post",
        "现任职务：文书日期当天担任的职务（按任职记录；任职通知为发文前一天），没有职务的为「所在单位＋干部」",
        "县财政局预算股股长",
    ),
    Field("post", "拟任职务", "县财政局副局长"),
    Field(
        "profile",
        "简要情况：性别、民族、出生年月、籍贯、学历、入党时间（或政治面貌）、参加工作时间，用「，」连接",
        "男，汉族，1985年3月生，示例县人，大学学历，2008年6月加入中国共产党，2010年7月参加工作",
    ),
)


def _notice(title: str, body: str, start: str, end: str) -> tuple[Field, ...]:
    """The fields of a published notice (考察预告, 任前公示), with examples for the kind."""
    return (
        Field("title", "公告标题（发布时填写）", title),
        Field("body", "公告正文（发布时填写，原样）", body),
        Field("body_paragraphs", "公告正文按行分成的段落", (body,)),
        Field("start_date", "起始日期", start),
        Field("end_date", "截止日期", end),
        Field("period", "起止日期：某年某月某日至某年某月某日", f"{start}至{end}"),
        Field("contact", "受理电话及地址", "县委组织部干部科 0000-1234567"),
    )


KINDS: dict[str, Kind] = {
    DocKind.PREANNOUNCEMENT: Kind(
        key=DocKind.PREANNOUNCEMENT,
        description="在考察对象所在单位发布的干部考察预告：考察对象、拟任职位、考察组成员、考察时间和受理方式。",
        ready_when="发布考察预告后",
        fields=(
            *_common(issuer=ORG_ISSUER, date="成文日期：考察预告的起始日期", doc_number=BLANK_NUMBER),
            *_notice("干部考察预告", "县委组织部拟对赵甲、孙乙进行考察。", "2024年8月19日", "2024年8月23日"),
            Field("team", "考察组成员", ("王考察", "刘考察")),
            Field("team_text", "考察组成员，用「、」连接", "王考察、刘考察"),
            Field("candidates", "考察对象（每人一项，字段见下）", items=PERSON),
            Field("candidate_names", "考察对象姓名，用「、」连接", "赵甲、孙乙"),
            Field("posts_text", "拟任职位，用「、」连接", "县财政局副局长"),
        ),
        build=context.preannouncement,
        default=defaults.preannouncement,
        fallback=fallback.preannouncement,
    ),
    DocKind.PUBLIC_NOTICE: Kind(
        key=DocKind.PUBLIC_NOTICE,
        description="常委会票决通过后发布的任前公示公告：公示对象的简要情况、拟任职务、公示时间和受理方式。",
        ready_when="发布任前公示后",
        fields=(
            *_common(issuer=ORG_ISSUER, date="成文日期：公示的起始日期", doc_number=BLANK_NUMBER),
            *_notice("任前公示", "经县委研究，现将拟任职干部予以公示。", "2024年9月11日", "2024年9月20日"),
            Field("persons", "公示对象：常委会通过的人选（每人一项，字段见下）", items=PERSON),
            Field("person_names", "公示对象姓名，用「、」连接", "赵甲"),
        ),
        build=context.public_notice,
        default=defaults.public_notice,
        fallback=fallback.public_notice,
    ),
    DocKind.APPOINTMENT_NOTICE: Kind(
        key=DocKind.APPOINTMENT_NOTICE,
        description="办理任职时下发的任职通知：按登记的任职文件，写明每人的任职、试用期和同时免去的职务。",
        ready_when="办理任职（登记任职文件）后",
        fields=(
            *_common(
                issuer="落款（发文机关）：任职文件的发文机关",
                date="成文日期：任职文件的发文日期",
                doc_number="发文字号：任职文件的文号",
            ),
            Field("doc_title", "任职文件的标题", "关于赵甲同志任职的通知"),
            Field("decided_on", "常委会研究决定的日期", "2024年9月10日"),
            Field(
                "appointees",
                "任职人员（每人一项，字段见下）",
                items=(
                    *PERSON,
                    Field(
                        "probation",
                        "试用期：试用期一年（起止日期），不实行试用期的为空",
                        "试用期一年（2024年9月23日至2025年9月23日）",
                    ),
                    Field("removed", "同一文件免去的职务，用「、」连接，没有的为空", "县财政局预算股股长"),
                    Field(
                        "line",
                        "任免表述：某某同志任某职（试用期），免去其某职务",
                        "赵甲同志任县财政局副局长，试用期一年（2024年9月23日至2025年9月23日）；免去其县财政局预算股股长职务。",
                    ),
                ),
            ),
            Field("appointee_names", "任职人员姓名，用「、」连接", "赵甲"),
            Field(
                "lines",
                "每人一条的任免表述（同 appointees 的 line）",
                ("赵甲同志任县财政局副局长，试用期一年（2024年9月23日至2025年9月23日）。",),
            ),
        ),
        build=context.appointment_notice,
        default=defaults.appointment_notice,
        fallback=fallback.appointment_notice,
    ),
    DocKind.INSPECTION_OUTLINE: Kind(
        key=DocKind.INSPECTION_OUTLINE,
        description=(
            "考察组撰写考察材料用的提纲：每名考察对象的基本情况、考察组和考察时间、凡提四必等审核事项的结论、"
            "民主测评结果，以及德、能、勤、绩、廉和主要缺点和不足的标题，供考察组填写。"
        ),
        ready_when="开始考察后",
        fields=(
            *_common(
                issuer=ORG_ISSUER,
                date="成文日期：考察结束日期（未结束的为开始日期）",
                doc_number=BLANK_NUMBER,
            ),
            Field("team_leader", "考察组组长", "王考察"),
            Field("team", "考察组成员", ("王考察", "刘考察")),
            Field("team_text", "考察组成员，用「、」连接", "王考察、刘考察"),
            Field("started_on", "考察开始日期", "2024年8月20日"),
            Field("finished_on", "考察结束日期（未结束的为「（考察尚未结束）」）", "2024年8月28日"),
            Field("period", "考察起止日期", "2024年8月20日至2024年8月28日"),
            Field("interviews", "个别谈话人数", "25"),
            Field("materials", "考察材料（综合分析意见，考察结束时填写）", "综合分析意见"),
            Field(
                "candidates",
                "考察对象（每人一项；下载时可只选一人），字段见下",
                items=(
                    *PERSON,
                    Field(
                        "checks",
                        "审核事项（每项一行）：item 事项、done_on 完成日期、"
                        "result 结论（未完成的为「尚未完成」）",
                        items=(
                            Field("item", "审核事项", "审核干部人事档案"),
                            Field("done_on", "完成日期", "2024年8月22日"),
                            Field("result", "结论", "未发现问题"),
                        ),
                    ),
                    Field(
                        "evaluation",
                        "民主测评结果（一句话；未测评或未计票的也写明）",
                        "民主测评有效票8张，其中优秀8票（100.00%）、称职0票（0.00%）、基本称职0票（0.00%）、不称职0票（0.00%）。",
                    ),
                    Field(
                        "evaluation_rows",
                        "民主测评各等次（每等次一行）：grade 等次、votes 票数、share 比例",
                        items=(
                            Field("grade", "等次", "优秀"),
                            Field("votes", "票数", "8"),
                            Field("share", "比例", "100.00%"),
                        ),
                    ),
                ),
            ),
            Field("candidate_names", "考察对象姓名，用「、」连接", "赵甲、孙乙"),
        ),
        build=context.inspection_outline,
        default=defaults.inspection_outline,
        fallback=fallback.inspection_outline,
        letterhead=False,
        per_candidate=True,
    ),
    DocKind.DECISION_LIST: Kind(
        key=DocKind.DECISION_LIST,
        description="常委会票决后的讨论决定任免干部名单：每个表决事项的应到、实到人数，同意、不同意、缓议票数和结果。",
        ready_when="常委会票决完成后",
        fields=(
            *_common(issuer=ORG_ISSUER, date="成文日期：常委会决定日期", doc_number=BLANK_NUMBER),
            Field("meeting", "常委会票决的名称", "县委常委会票决"),
            Field("decided_on", "常委会决定日期", "2024年9月10日"),
            Field("department_meeting_on", "部务会日期", "2024年9月5日"),
            Field("department_minutes", "部务会意见", "同意提交县委常委会"),
            Field(
                "items",
                "表决事项（每项一行），字段见下",
                items=(
                    Field("number", "序号", "1"),
                    *PERSON,
                    Field("action", "任免：拟任或拟免", "拟任"),
                    Field("members", "应到会成员人数（不含回避的）", "9"),
                    Field("present", "实到人数", "9"),
                    Field("agree", "同意票数", "7"),
                    Field("disagree", "不同意票数", "0"),
                    Field("defer", "缓议票数", "0"),
                    Field("result", "表决结果：通过或未通过", "通过"),
                ),
            ),
            Field("total", "表决事项数", "1"),
            Field("passed_count", "通过的事项数", "1"),
        ),
        build=context.decision_list,
        default=defaults.decision_list,
        fallback=fallback.decision_list,
        letterhead=False,
    ),
    DocKind.JOINT_MEETING_MINUTES: Kind(
        key=DocKind.JOINT_MEETING_MINUTES,
        description=(
            "干部监督工作联席会议的会议纪要：会议时间地点、各成员单位参会人员、会议议题、干部有关情况及处理意见、"
            "会议议定事项和督办事项（责任单位或责任人、完成时限）。"
        ),
        ready_when="会议登记召开后（纪要定稿前为草稿）",
        fields=(
            *_base(
                issuer=ORG_ISSUER,
                date="成文日期：纪要定稿日期（未定稿的为会议日期）",
                doc_number=BLANK_NUMBER,
            ),
            Field("title", "会议名称", "2026年上半年干部监督工作联席会议"),
            Field("held_on", "会议日期", "2026年1月15日"),
            Field("period", "通报期间", "2025年7月1日至2025年12月31日"),
            Field("venue", "会议地点", "县委组织部会议室"),
            Field("chair", "主持人", "县委常委、组织部部长王某"),
            Field("minutes_status", "纪要状态：纪要已定稿或纪要草稿（尚未定稿）", "纪要已定稿"),
            Field("minutes", "会议议定事项（纪要正文，原样）", "会议议定：对钱一进行函询。"),
            Field("minutes_paragraphs", "纪要正文按行分成的段落", ("会议议定：对钱一进行函询。",)),
            Field(
                "members",
                "参会人员（每人一项）：body 成员单位、name 姓名、post 职务",
                items=(
                    Field("body", "成员单位（纪检、监察、信访、审计、公安、检察、法院、组织部）", "纪检"),
                    Field("name", "姓名", "李纪"),
                    Field("post", "职务", "县纪委副书记"),
                ),
            ),
            Field(
                "members_text", "参会人员（职务＋姓名），用「、」连接", "县纪委副书记李纪、县审计局局长周审"
            ),
            Field("bodies_text", "参会的成员单位，用「、」连接", "纪检、审计"),
            Field(
                "agenda",
                "会议议题（每项一行）：number 序号、source 来源、title 议题、detail 情况、cadre 涉及干部",
                items=(
                    Field("number", "序号", "1"),
                    Field("source", "来源：信访举报、函询、经济责任审计或其他议题", "信访举报"),
                    Field("title", "议题", "关于钱一同志的信访举报"),
                    Field("detail", "情况", "反映收受礼金"),
                    Field("cadre", "涉及干部姓名（没有的为空）", "钱一"),
                ),
            ),
            Field(
                "findings",
                "干部有关情况及处理意见（每人一项）：number 序号、name 姓名、unit 单位、"
                "current_post 现任职务、text 有关情况、measure 处理意见",
                items=(
                    Field("number", "序号", "1"),
                    Field("name", "姓名", "钱一"),
                    Field("unit", "单位", "县财政局"),
                    Field("current_post", "现任职务（没有职务的为「所在单位＋干部」）", "县财政局副局长"),
                    Field("text", "有关情况", "群众反映收受礼金"),
                    Field("measure", "处理意见", "函询"),
                ),
            ),
            Field(
                "follow_ups",
                "督办事项（每项一行）：number 序号、task 事项、owner 责任单位或责任人、"
                "due_on 完成时限、status 状态",
                items=(
                    Field("number", "序号", "1"),
                    Field("task", "事项", "核查钱一收受礼金问题"),
                    Field("owner", "责任单位或责任人", "县纪委"),
                    Field("due_on", "完成时限", "2026年3月31日"),
                    Field("status", "状态：未办结或已办结", "未办结"),
                ),
            ),
        ),
        build=context_supervision.joint_meeting_minutes,
        default=defaults.joint_meeting_minutes,
        fallback=fallback.joint_meeting_minutes,
        letterhead=False,
        source=SOURCE_JOINT_MEETING,
    ),
    DocKind.TALK_RECORD: Kind(
        key=DocKind.TALK_RECORD,
        description=(
            "谈话（任前廉政谈话、提醒谈话、函询、诫勉、纪委书记谈话）的记录：谈话对象、谈话人、日期、事由、"
            "后续要求，函询的书面回复，诫勉的影响期。"
        ),
        ready_when="谈话进行（函询发出、诫勉决定）后",
        fields=(
            *_base(
                issuer="落款：谈话人所在机关（如示例县纪委监委；单位党组织谈话为该单位党组织）",
                date="成文日期：谈话日期",
                doc_number=BLANK_NUMBER,
            ),
            Field("kind", "谈话类别：任前廉政谈话、提醒谈话、函询、诫勉或纪委书记谈话", "提醒谈话"),
            Field("status", "状态：已谈话、待回复、已回复或已诫勉", "已谈话"),
            Field("name", "谈话对象姓名", "钱一"),
            Field("unit", "谈话对象所在单位（登记时）", "县财政局"),
            Field("current_post", "谈话对象现任职务（没有职务的为「所在单位＋干部」）", "县财政局副局长"),
            Field("held_on", "谈话日期（函询为发函日期，诫勉为决定日期）", "2026年3月2日"),
            Field("talkers", "谈话人", "刘明（县纪委副书记）"),
            Field("talker_body", "谈话人所在机关", "县纪委监委"),
            Field("issue", "谈话事由（原样）", "群众反映其在项目验收中把关不严。"),
            Field("issue_paragraphs", "谈话事由按行分成的段落", ("群众反映其在项目验收中把关不严。",)),
            Field("follow_up", "后续要求与落实", "一个月内提交书面说明。"),
            Field("answer_due_on", "函询的回复期限（不是函询的为空）", "2026年3月23日"),
            Field("answer", "函询的书面回复（未回复的为空）", "本人已如实说明有关情况。"),
            Field("answered_on", "函询的回复日期（未回复的为空）", "2026年3月20日"),
            Field(
                "period",
                "诫勉的影响期：某年某月某日至某年某月某日（不是诫勉的为空）",
                "2026年3月2日至2026年9月1日",
            ),
            Field("period_basis", "诫勉影响期的依据（不是诫勉的为空）", "本县政策值：诫勉影响期6个月"),
        ),
        build=context_supervision.talk_record,
        default=defaults.talk_record,
        fallback=fallback.talk_record,
        letterhead=False,
        source=SOURCE_TALK,
    ),
    DocKind.AUDIT_COMMISSION: Kind(
        key=DocKind.AUDIT_COMMISSION,
        description=(
            "委托审计机关进行经济责任审计的委托书：审计对象、所任职务和任职期间、审计类型和事由、审计对象认定、"
            "要求完成日期和审计通知书送达要求（审计实施前三日送达）。"
        ),
        ready_when="登记委托审计后",
        fields=(
            *_base(
                issuer="落款（发文机关）：委托机关（中共＋县名＋委组织部，或中共＋县名＋纪律检查委员会）",
                date="成文日期：委托日期",
                doc_number=BLANK_NUMBER,
            ),
            Field("name", "审计对象姓名", "钱一"),
            Field("unit", "审计对象所在单位", "县财政局"),
            Field("post", "所任职务（单位＋职务）", "县财政局局长"),
            Field("role", "正副职", "主要领导干部"),
            Field("term", "审计期间：某年某月某日至某年某月某日", "2021年3月1日至2026年2月28日"),
            Field("trigger", "审计类型：离任审计（及离任方式）或任中审计", "离任审计：交流"),
            Field("trigger_note", "审计事由", "拟交流任职"),
            Field("subject_basis", "审计对象认定（依据的规定和条文）", "县直单位主要负责人"),
            Field("audit_body", "审计机关（主送）", "县审计局"),
            Field("commissioned_on", "委托日期", "2026年3月2日"),
            Field("report_due_on", "要求完成日期", "2026年5月31日"),
            Field("notice_served_on", "审计通知书送达日期（未送达的为空）", "2026年3月5日"),
        ),
        build=context_supervision.audit_commission,
        default=defaults.audit_commission,
        fallback=fallback.audit_commission,
        source=SOURCE_AUDIT,
    ),
    DocKind.EXCHANGE_DECISION: Kind(
        key=DocKind.EXCHANGE_DECISION,
        description=(
            "交流轮岗方案实施时的交流任职决定：讨论决定的会议和日期、每名交流干部的任免表述（任某职，免去其原任职务）、"
            "交流事项表和起任日期。只管一个单位范围的干部下载的决定只列其范围内的干部。"
        ),
        ready_when="方案实施（登记任免文件）后",
        fields=(
            *_base(
                issuer="落款（发文机关）：方案实施时任免文件的发文机关",
                date="成文日期：任免文件的发文日期",
                doc_number="发文字号：任免文件的文号",
            ),
            Field("title", "交流轮岗方案的名称", "2026年春季乡镇班子交流"),
            Field("doc_title", "任免文件的标题", "关于交流任职的通知"),
            Field("discussed_on", "讨论决定的日期", "2026年2月20日"),
            Field("meeting", "讨论决定的会议", "县委常委会"),
            Field("effective_on", "起任日期（方案的实施日期）", "2026年3月2日"),
            Field("note_paragraphs", "方案说明按行分成的段落", ("统筹推进乡镇与县直单位干部交流。",)),
            Field(
                "moves",
                "交流事项（每人一项）：number 序号、name 姓名、from_post 原任职务、to_post 交流任职、"
                "kind 交流方式、line 任免表述",
                items=(
                    Field("number", "序号", "1"),
                    Field("name", "姓名", "石丁"),
                    Field("from_post", "原任职务（单位＋职务；没有的为「—」）", "石桥镇副镇长"),
                    Field("to_post", "交流任职（单位＋职务）", "县农业农村局副局长"),
                    Field("kind", "交流方式：调任、转任或轮岗", "转任"),
                    Field(
                        "line",
                        "任免表述：某某同志任某职，免去其某职务（交流方式）",
                        "石丁同志任县农业农村局副局长，免去其石桥镇副镇长职务（转任）。",
                    ),
                ),
            ),
            Field(
                "lines",
                "每人一条的任免表述（同 moves 的 line）",
                ("石丁同志任县农业农村局副局长，免去其石桥镇副镇长职务（转任）。",),
            ),
            Field("names_text", "交流干部姓名，用「、」连接", "石丁、农丙"),
            Field("count", "交流干部人数", "2"),
        ),
        build=context_allocation.exchange_decision,
        default=defaults.exchange_decision,
        fallback=fallback.exchange_decision,
        source=SOURCE_ROTATION_PLAN,
    ),
    DocKind.TRAINING_ROSTER: Kind(
        key=DocKind.TRAINING_ROSTER,
        description=(
            "培训班次的学员花名册：班次和培训项目、主办单位、培训方式、起止日期、天数和学时、培训地点，"
            "每名学员的单位、职务、状态、请假学时、结业成绩和结业证书编号。只管一个单位范围的干部下载的花名册只列其范围内的学员。"
        ),
        ready_when="随时（报名前为空表）",
        fields=(
            *_base(issuer=ORG_ISSUER, date="成文日期：开班日期", doc_number=BLANK_NUMBER),
            Field("title", "班次名称", "中层干部轮训第一期"),
            Field("program", "培训项目", "2025年中层干部轮训"),
            Field("year", "年度", "2025"),
            Field("purpose", "培训类别：轮训、任职培训或专题培训", "轮训"),
            Field("organizer", "主办单位", "县委党校"),
            Field("mode", "培训方式：脱产培训、网络培训或在职培训", "脱产培训"),
            Field("start_date", "开班日期", "2025年3月3日"),
            Field("end_date", "结业日期", "2025年3月7日"),
            Field("period", "培训时间：某年某月某日至某年某月某日", "2025年3月3日至2025年3月7日"),
            Field("days", "天数", "5"),
            Field("total_hours", "总学时", "70"),
            Field("capacity", "计划人数", "30"),
            Field("place", "培训地点", "县委党校"),
            Field("status", "班次状态：未结业或已结业", "已结业"),
            Field("closed_on", "结业登记日期（未结业的为空）", "2025年3月10日"),
            Field(
                "trainees",
                "学员（每人一行）：number 序号、name 姓名、unit 单位、post 职务、status 状态、"
                "absence_hours 请假学时、result 结业成绩、hours_credited 认定学时、"
                "certificate_no 结业证书编号",
                items=(
                    Field("number", "序号", "1"),
                    Field("name", "姓名", "甲培训"),
                    Field("unit", "报名时所在单位", "县财政局"),
                    Field("post", "现任职务（没有职务的为「所在单位＋干部」）", "县财政局预算股股长"),
                    Field("status", "状态：在学、已结业、退学或未参训", "已结业"),
                    Field("absence_hours", "请假学时", "3.5"),
                    Field("result", "结业成绩（有考试成绩的附分数；未结业的为空）", "合格（85分）"),
                    Field("hours_credited", "认定学时（未结业的为空）", "66.5"),
                    Field("certificate_no", "结业证书编号（没有的为空）", "2025培字第001-001号"),
                ),
            ),
            Field("count", "学员人数", "3"),
            Field("completed_count", "已结业人数", "2"),
        ),
        build=context_allocation.training_roster,
        default=defaults.training_roster,
        fallback=fallback.training_roster,
        letterhead=False,
        source=SOURCE_TRAINING_CLASS,
    ),
    DocKind.TRAINING_CERTIFICATE: Kind(
        key=DocKind.TRAINING_CERTIFICATE,
        description=(
            "培训班次结业后颁发的结业证书：每名取得证书的学员一页，写明证书编号、姓名、单位、班次、培训时间、"
            "完成的学时和成绩，由主办单位落款。只管一个单位范围的干部下载的只有其范围内学员的证书。"
        ),
        ready_when="班次登记结业后（成绩为优秀或合格的学员有证书）",
        fields=(
            *_base(
                issuer="落款：主办单位（县委党校等，写上县名，如示例县委党校）",
                date="成文日期：结业登记日期",
                doc_number=BLANK_NUMBER,
            ),
            Field("title", "班次名称", "中层干部轮训第一期"),
            Field("program", "培训项目", "2025年中层干部轮训"),
            Field("year", "年度", "2025"),
            Field("purpose", "培训类别：轮训、任职培训或专题培训", "轮训"),
            Field("organizer", "主办单位", "县委党校"),
            Field("mode", "培训方式：脱产培训、网络培训或在职培训", "脱产培训"),
            Field("start_date", "开班日期", "2025年3月3日"),
            Field("end_date", "结业日期", "2025年3月7日"),
            Field("period", "培训时间：某年某月某日至某年某月某日", "2025年3月3日至2025年3月7日"),
            Field("days", "天数", "5"),
            Field("total_hours", "总学时", "70"),
            Field("capacity", "计划人数", "30"),
            Field("place", "培训地点", "县委党校"),
            Field("status", "班次状态：已结业", "已结业"),
            Field("closed_on", "结业登记日期", "2025年3月10日"),
            Field(
                "certificates",
                "结业证书（每人一项，每项一页）：number 证书编号、name 姓名、unit 单位、post 职务、"
                "hours 完成学时、result 成绩",
                items=(
                    Field("number", "结业证书编号", "2025培字第001-001号"),
                    Field("name", "姓名", "甲培训"),
                    Field("unit", "报名时所在单位", "县财政局"),
                    Field("post", "现任职务（没有职务的为「所在单位＋干部」）", "县财政局预算股股长"),
                    Field("hours", "完成学时（认定学时）", "66.5"),
                    Field("result", "成绩：优秀或合格（有考试成绩的附分数）", "合格（85分）"),
                ),
            ),
            Field("names_text", "取得证书的学员姓名，用「、」连接", "甲培训、乙培训"),
            Field("count", "证书份数", "2"),
        ),
        build=context_allocation.training_certificate,
        default=defaults.training_certificate,
        fallback=fallback.training_certificate,
        letterhead=False,
        source=SOURCE_TRAINING_CLASS,
    ),
}


def kind_get(key: str) -> Kind | None:
    """The kind named ``key``, or ``None``."""
    return KINDS.get(key)
