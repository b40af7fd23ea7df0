"""Built-in layouts: each kind's filled fields as a ``ganbu.documents`` model, for PDF without LibreOffice.

Without LibreOffice the system cannot lay out a Word file as PDF, so the PDF is drawn by
``ganbu.documents.pdf`` from these documents instead. They say what the default templates say, from the
same fields; the department's own template is not used, and the page foot says so
(:data:`BUILTIN_NOTE`). Each function takes the fields made by ``ganbu.doctemplates.context``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ganbu.documents.model import Block, Document, Heading, PageBreak, Paragraph, Signatures, Table

BUILTIN_NOTE = "按系统内置版式生成（未安装 LibreOffice，未套用 Word 模板）"
CONVERSION_FAILED_NOTE = "按系统内置版式生成（LibreOffice 转换失败，未套用 Word 模板）"


def _plain(text: str) -> Paragraph:
    """A paragraph without first-line indent."""
    return Paragraph(text, indent_first_line=False)


def _signed(ctx: Mapping[str, Any], *body: Block) -> tuple[Block, ...]:
    """``body`` and the 落款 and 成文日期, right-aligned, under a blank line."""
    return (*body, _plain(""), Paragraph(ctx["issuer"], align="right"), Paragraph(ctx["date"], align="right"))


def _letterhead(ctx: Mapping[str, Any], title: str, blocks: tuple[Block, ...]) -> Document:
    """A document headed like the Word letterhead: the issuer as the title, the 文号 under it, then the title.

    The built-in layout has no red; the order of 版头 and title is kept.
    """
    return Document(
        title=ctx["issuer"],
        subtitle=ctx["doc_number"],
        blocks=(Paragraph(title, align="center", bold=True), *blocks),
    )


def _body(ctx: Mapping[str, Any]) -> tuple[Block, ...]:
    """The published text of a notice, one paragraph per line."""
    return tuple(Paragraph(text) for text in ctx["body_paragraphs"])


def _report(ctx: Mapping[str, Any], who: str, what: str) -> Paragraph:
    """Where and how the public may report on the people named."""
    return Paragraph(
        f"{who}可通过来电、来信、来访等方式，向{ctx['issuer']}反映{what}在德、能、勤、绩、廉等方面的情况和问题。"
        "反映问题要实事求是，以单位名义反映的应加盖公章，以个人名义反映的提倡署真实姓名，我们将严格保密。"
    )


def preannouncement(ctx: Mapping[str, Any]) -> Document:
    """考察预告 in the built-in layout."""
    people: Sequence[Mapping[str, str]] = ctx["candidates"]
    rows = tuple(
        (str(n), p["name"], p["gender"], p["birth_month"], p["current_post"], p["post"])
        for n, p in enumerate(people, start=1)
    )
    body = _signed(
        ctx,
        _plain(f"{ctx['unit']}："),
        *_body(ctx),
        Paragraph("考察对象及拟任职位如下："),
        Table(
            headers=("序号", "姓名", "性别", "出生年月", "现任职务", "拟任职务"),
            rows=rows,
            col_widths=(0.7, 1.2, 0.7, 1.4, 3.0, 3.0),
        ),
        Paragraph(f"考察组成员：{ctx['team_text']}。"),
        Paragraph(f"考察时间：{ctx['period']}。"),
        _report(ctx, "考察期间，干部群众", "考察对象"),
        Paragraph(f"受理电话及地址：{ctx['contact']}。"),
    )
    return _letterhead(ctx, ctx["title"], body)


def public_notice(ctx: Mapping[str, Any]) -> Document:
    """任前公示公告 in the built-in layout."""
    people: Sequence[Mapping[str, str]] = ctx["persons"]
    body = _signed(
        ctx,
        *_body(ctx),
        *(
            Paragraph(f"{p['name']}，{p['profile']}，现任{p['current_post']}，拟任{p['post']}。")
            for p in people
        ),
        Paragraph(f"公示时间：{ctx['period']}。"),
        _report(ctx, "公示期间，个人或单位", "公示对象"),
        Paragraph(f"受理电话及地址：{ctx['contact']}。"),
    )
    return _letterhead(ctx, ctx["title"], body)


def appointment_notice(ctx: Mapping[str, Any]) -> Document:
    """任职通知 in the built-in layout."""
    body = _signed(
        ctx,
        _plain(f"{ctx['unit']}："),
        Paragraph("经县委常委会研究决定："),
        *(Paragraph(line) for line in ctx["lines"]),
    )
    return _letterhead(ctx, ctx["doc_title"], body)


def _candidate(ctx: Mapping[str, Any], c: Mapping[str, Any]) -> list[Block]:
    """One candidate's section of the inspection outline."""
    blocks: list[Block] = [
        Heading(f"{c['name']}同志考察材料"),
        Heading("一、基本情况", level=2),
        Table(
            headers=("项目", "内容"),
            rows=(
                ("姓名", c["name"]),
                ("性别", c["gender"]),
                ("出生年月", c["birth_month"]),
                ("籍贯", c["native_place"]),
                ("入党时间", c["party_date"] or c["political_status"]),
                ("学历", c["education"]),
                ("现任职务", c["current_post"]),
                ("拟任职务", c["post"]),
            ),
            col_widths=(1.0, 3.0),
        ),
        Paragraph(f"{c['name']}，{c['profile']}，现任{c['current_post']}，拟任{c['post']}。"),
        Heading("二、考察工作情况", level=2),
        Paragraph(
            f"考察组（组长：{ctx['team_leader']}；成员：{ctx['team_text']}）于{ctx['period']}对{c['name']}同志"
            f"进行了考察，个别谈话{ctx['interviews']}人。"
        ),
        Heading("三、德、能、勤、绩、廉方面的主要表现", level=2),
    ]
    for heading in ("（一）德", "（二）能", "（三）勤", "（四）绩", "（五）廉"):
        blocks += [Paragraph(heading, bold=True), Paragraph("")]
    blocks += [
        Heading("四、主要缺点和不足", level=2),
        Paragraph(""),
        Heading("五、民主测评情况", level=2),
        Paragraph(c["evaluation"]),
        Heading("六、审核事项情况", level=2),
        Table(
            headers=("审核事项", "完成日期", "结论"),
            rows=tuple((k["item"], k["done_on"], k["result"]) for k in c["checks"]),
            col_widths=(3.0, 1.4, 3.0),
        ),
        Signatures(("考察组组长", "考察组成员")),
    ]
    return blocks


def inspection_outline(ctx: Mapping[str, Any]) -> Document:
    """考察材料提纲 in the built-in layout: one section per candidate, each on a new page."""
    blocks: list[Block] = []
    for number, c in enumerate(ctx["candidates"]):
        if number:
            blocks.append(PageBreak())
        blocks.extend(_candidate(ctx, c))
    return Document(title="考察材料提纲", subtitle=ctx["record_title"], blocks=tuple(blocks))


def decision_list(ctx: Mapping[str, Any]) -> Document:
    """常委会讨论决定任免干部名单 in the built-in layout."""
    rows = [
        (
            i["number"],
            i["name"],
            i["current_post"],
            f"{i['action']}{i['post']}",
            i["members"],
            i["present"],
            i["agree"],
            i["disagree"],
            i["defer"],
            i["result"],
        )
        for i in ctx["items"]
    ]
    return Document(
        title="常委会讨论决定任免干部名单",
        subtitle=f"（{ctx['decided_on']}）",
        blocks=_signed(
            ctx,
            Paragraph(
                f"{ctx['meeting']}于{ctx['decided_on']}对下列干部任免事项进行了表决。"
                f"部务会（{ctx['department_meeting_on']}）意见：{ctx['department_minutes']}。"
            ),
            Table(
                headers=(
                    "序号",
                    "姓名",
                    "现任职务",
                    "任免职务",
                    "应到",
                    "实到",
                    "同意",
                    "不同意",
                    "缓议",
                    "结果",
                ),
                rows=tuple(rows),
                col_widths=(0.7, 1.2, 2.6, 2.6, 0.8, 0.8, 0.8, 1.0, 0.8, 1.0),
            ),
            Paragraph(f"共{ctx['total']}项，通过{ctx['passed_count']}项。"),
        ),
    )


def joint_meeting_minutes(ctx: Mapping[str, Any]) -> Document:
    """会议纪要 in the built-in layout."""
    agenda = [
        Paragraph(
            f"{a['number']}．{a['title']}（{a['source']}）" + (f"：{a['detail']}" if a["detail"] else "")
        )
        for a in ctx["agenda"]
    ]
    return Document(
        title=f"{ctx['title']}纪要",
        subtitle=f"（{ctx['minutes_status']}）",
        blocks=_signed(
            ctx,
            Paragraph(
                f"{ctx['held_on']}，{ctx['county']}干部监督工作联席会议在{ctx['venue']}召开，"
                f"会议由{ctx['chair']}主持，通报{ctx['period']}干部监督有关情况。"
                f"{ctx['bodies_text']}等成员单位参加会议。"
            ),
            Heading("一、参会人员"),
            Table(
                headers=("成员单位", "姓名", "职务"),
                rows=tuple((m["body"], m["name"], m["post"]) for m in ctx["members"]),
                col_widths=(2.0, 2.0, 5.0),
            ),
            Heading("二、会议议题"),
            *agenda,
            Heading("三、干部有关情况及处理意见"),
            Table(
                headers=("序号", "姓名", "单位及职务", "有关情况", "处理意见"),
                rows=tuple(
                    (f["number"], f["name"], f["current_post"], f["text"], f["measure"])
                    for f in ctx["findings"]
                ),
                col_widths=(0.7, 1.2, 2.6, 3.5, 2.0),
            ),
            Heading("四、会议议定事项"),
            *(Paragraph(text) for text in ctx["minutes_paragraphs"]),
            Heading("五、督办事项"),
            Table(
                headers=("序号", "事项", "责任单位或责任人", "完成时限", "状态"),
                rows=tuple(
                    (u["number"], u["task"], u["owner"], u["due_on"], u["status"]) for u in ctx["follow_ups"]
                ),
                col_widths=(0.7, 4.0, 2.4, 1.7, 1.2),
            ),
        ),
    )


def talk_record(ctx: Mapping[str, Any]) -> Document:
    """谈话记录 in the built-in layout."""
    extra: list[Block] = []
    if ctx["answer_due_on"]:
        extra += [
            Heading("三、书面回复"),
            Paragraph(f"回复期限：{ctx['answer_due_on']}；回复日期：{ctx['answered_on']}。"),
            Paragraph(ctx["answer"]),
        ]
    if ctx["period"]:
        extra += [Heading("三、诫勉影响期"), Paragraph(f"影响期：{ctx['period']}（{ctx['period_basis']}）。")]
    return Document(
        title=f"{ctx['kind']}记录",
        blocks=_signed(
            ctx,
            Table(
                headers=("项目", "内容"),
                rows=(
                    ("谈话对象", ctx["name"]),
                    ("单位及职务", ctx["current_post"]),
                    ("谈话类别", ctx["kind"]),
                    ("谈话日期", ctx["held_on"]),
                    ("谈话人", f"{ctx['talkers']}（{ctx['talker_body']}）"),
                ),
                col_widths=(2.5, 7.5),
            ),
            Heading("一、谈话事由"),
            *(Paragraph(text) for text in ctx["issue_paragraphs"]),
            Heading("二、后续要求与落实"),
            Paragraph(ctx["follow_up"]),
            *extra,
        ),
    )


def audit_commission(ctx: Mapping[str, Any]) -> Document:
    """经济责任审计委托书 in the built-in layout."""
    body = _signed(
        ctx,
        _plain(f"{ctx['audit_body']}："),
        Paragraph(
            "根据《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》，现委托你单位对"
            f"{ctx['post']}{ctx['name']}同志（{ctx['role']}）{ctx['term']}任职期间履行经济责任情况进行审计"
            f"（{ctx['trigger']}）。"
        ),
        Paragraph(f"审计事由：{ctx['trigger_note']}。"),
        Paragraph(f"审计对象认定：{ctx['subject_basis']}"),
        Paragraph(
            f"请于{ctx['report_due_on']}前出具审计报告；审计通知书应在实施审计3日前送达被审计人及其所在单位。"
        ),
    )
    return _letterhead(ctx, f"关于对{ctx['name']}同志进行经济责任审计的委托书", body)


def exchange_decision(ctx: Mapping[str, Any]) -> Document:
    """交流任职决定 in the built-in layout."""
    body = _signed(
        ctx,
        Paragraph(
            f"经{ctx['meeting']}（{ctx['discussed_on']}）研究，决定对下列{ctx['count']}名同志进行交流任职："
        ),
        *(Paragraph(line) for line in ctx["lines"]),
        Paragraph(f"以上同志自{ctx['effective_on']}起任职，原任职务同时免去。"),
        Table(
            headers=("序号", "姓名", "原任职务", "交流任职", "交流方式"),
            rows=tuple(
                (m["number"], m["name"], m["from_post"], m["to_post"], m["kind"]) for m in ctx["moves"]
            ),
            col_widths=(0.7, 1.3, 3.0, 3.0, 1.2),
        ),
    )
    return _letterhead(ctx, ctx["doc_title"], body)


def training_roster(ctx: Mapping[str, Any]) -> Document:
    """培训班花名册 in the built-in layout."""
    return Document(
        title=f"{ctx['title']}学员花名册",
        subtitle=f"（{ctx['program']}）",
        blocks=(
            _plain(
                f"主办单位：{ctx['organizer']}　培训方式：{ctx['mode']}　培训时间：{ctx['period']}"
                f"（{ctx['days']}天，{ctx['total_hours']}学时）　培训地点：{ctx['place']}"
                f"　学员：{ctx['count']}人"
            ),
            Table(
                headers=("序号", "姓名", "单位", "职务", "状态", "请假学时", "结业成绩", "证书编号"),
                rows=tuple(
                    (
                        t["number"],
                        t["name"],
                        t["unit"],
                        t["post"],
                        t["status"],
                        t["absence_hours"],
                        t["result"],
                        t["certificate_no"],
                    )
                    for t in ctx["trainees"]
                ),
                col_widths=(0.6, 1.1, 1.8, 2.4, 0.9, 0.9, 1.1, 1.8),
            ),
            _plain(f"制表：{ctx['issuer']}　{ctx['today']}"),
        ),
    )


def training_certificate(ctx: Mapping[str, Any]) -> Document:
    """结业证书 in the built-in layout: one page per certificate."""
    blocks: list[Block] = []
    for n, c in enumerate(ctx["certificates"]):
        if n:
            blocks += [PageBreak(), Heading("结业证书")]
        blocks.extend(
            _signed(
                ctx,
                Paragraph(f"证书编号：{c['number']}", align="right"),
                Paragraph(
                    f"{c['name']}同志（{c['unit']}）于{ctx['period']}参加{ctx['organizer']}举办的{ctx['title']}"
                    f"（{ctx['program']}），完成规定的{c['hours']}学时学习任务，成绩{c['result']}，准予结业。"
                ),
                Paragraph("特发此证。"),
            )
        )
    return Document(title="结业证书", blocks=tuple(blocks))
