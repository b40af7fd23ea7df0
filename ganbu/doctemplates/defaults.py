"""The default Word templates, generated in code: nothing binary is kept in the repository.

Each template is first written as a :class:`ganbu.documents.model.Document` whose text holds docxtpl
placeholders, so it gets the house layout of ``ganbu.documents`` (A4, the GB/T 9704 margins, 三号 宋体
body, 二号 title, bordered tables), then rendered with python-docx. Notices and the appointment notice
also get the red 版头 of an official document: the issuer in red, the 文号 centred below it and a red line
(:func:`with_letterhead`). A department downloads the default, edits it in Word or WPS and uploads it.

docxtpl's paragraph and row tags (``{%p …%}``, ``{%tr …%}``) sit in paragraphs and table rows of their own;
the first cell of a row holds the row tag and the others stay empty.
"""

from __future__ import annotations

import io

from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from ganbu.documents import layout
from ganbu.documents.docx import BODY_FONT, TITLE_FONT, render_docx
from ganbu.documents.model import Block, Document, Heading, PageBreak, Paragraph, Signatures, Table

# 版头 (GB/T 9704 §7.2): the issuer's mark in red, the 文号 centred, a red separator line below it.
LETTERHEAD_RED = RGBColor(0xE0, 0x00, 0x00)
LETTERHEAD_SIZE = 30.0
LINE_WIDTH_EIGHTHS = 18  # 2.25 pt, in eighths of a point as Word counts border widths


def _plain(text: str) -> Paragraph:
    """A paragraph without first-line indent: a tag line, the addressee, a table caption."""
    return Paragraph(text, indent_first_line=False)


def _loop(tag: str, *body: Block, end: str = "{%p endfor %}") -> tuple[Block, ...]:
    """``body`` between a docxtpl paragraph tag and its end tag, each in a paragraph of its own."""
    return (_plain(tag), *body, _plain(end))


def _rows(loop: str, cells: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Table rows repeating ``cells`` once per record: ``{%tr for … %}``, the cells, ``{%tr endfor %}``."""
    blank = ("",) * (len(cells) - 1)
    return ((f"{{%tr {loop} %}}", *blank), cells, ("{%tr endfor %}", *blank))


def _signed(*body: Block) -> tuple[Block, ...]:
    """``body`` followed by a blank line, the issuer and the date, right-aligned (落款 and 成文日期)."""
    return (
        *body,
        _plain(""),
        Paragraph("{{ issuer }}", align="right"),
        Paragraph("{{ date }}", align="right"),
    )


_BODY = _loop("{%p for para in body_paragraphs %}", Paragraph("{{ para }}"))

_REPORT_LINE = (
    "可通过来电、来信、来访等方式，向{{ issuer }}反映{what}在德、能、勤、绩、廉等方面的情况和问题。"
    "反映问题要实事求是，以单位名义反映的应加盖公章，以个人名义反映的提倡署真实姓名，我们将严格保密。"
)


def preannouncement() -> Document:
    """考察预告: addressed to the unit, the published text, the candidates' table, the team and dates."""
    return Document(
        title="{{ title }}",
        blocks=_signed(
            _plain("{{ unit }}："),
            *_BODY,
            Paragraph("考察对象及拟任职位如下："),
            Table(
                headers=("序号", "姓名", "性别", "出生年月", "现任职务", "拟任职务"),
                rows=_rows(
                    "for c in candidates",
                    (
                        "{{ loop.index }}",
                        "{{ c.name }}",
                        "{{ c.gender }}",
                        "{{ c.birth_month }}",
                        "{{ c.current_post }}",
                        "{{ c.post }}",
                    ),
                ),
                col_widths=(0.7, 1.2, 0.7, 1.4, 3.0, 3.0),
            ),
            Paragraph("考察组成员：{{ team_text }}。"),
            Paragraph("考察时间：{{ period }}。"),
            Paragraph("考察期间，干部群众" + _REPORT_LINE.replace("{what}", "考察对象")),
            Paragraph("受理电话及地址：{{ contact }}。"),
        ),
    )


def public_notice() -> Document:
    """任前公示公告: the published text, one paragraph per person, the period and where to report."""
    return Document(
        title="{{ title }}",
        blocks=_signed(
            *_BODY,
            *_loop(
                "{%p for p in persons %}",
                Paragraph("{{ p.name }}，{{ p.profile }}，现任{{ p.current_post }}，拟任{{ p.post }}。"),
            ),
            Paragraph("公示时间：{{ period }}。"),
            Paragraph("公示期间，个人或单位" + _REPORT_LINE.replace("{what}", "公示对象")),
            Paragraph("受理电话及地址：{{ contact }}。"),
        ),
    )


def appointment_notice() -> Document:
    """任职通知: the document's title, the unit addressed, one line per appointee, issuer and date."""
    return Document(
        title="{{ doc_title }}",
        blocks=_signed(
            _plain("{{ unit }}："),
            Paragraph("经县委常委会研究决定："),
            *_loop("{%p for line in lines %}", Paragraph("{{ line }}")),
        ),
    )


def _fill_in(heading: str) -> tuple[Block, ...]:
    """A sub-heading of 主要表现 with an empty paragraph under it for the team to write in."""
    return (Paragraph(heading, bold=True), Paragraph(""))


def inspection_outline() -> Document:
    """考察材料提纲: one section per candidate, a page each, with the headings the team writes under."""
    return Document(
        title="考察材料提纲",
        subtitle="{{ record_title }}",
        blocks=_loop(
            "{%p for c in candidates %}",
            Heading("{{ c.name }}同志考察材料"),
            Heading("一、基本情况", level=2),
            Table(
                headers=("项目", "内容"),
                rows=(
                    ("姓名", "{{ c.name }}"),
                    ("性别", "{{ c.gender }}"),
                    ("出生年月", "{{ c.birth_month }}"),
                    ("籍贯", "{{ c.native_place }}"),
                    ("入党时间", "{{ c.party_date or c.political_status }}"),
                    ("学历", "{{ c.education }}"),
                    ("现任职务", "{{ c.current_post }}"),
                    ("拟任职务", "{{ c.post }}"),
                ),
                col_widths=(1.0, 3.0),
            ),
            Paragraph("{{ c.name }}，{{ c.profile }}，现任{{ c.current_post }}，拟任{{ c.post }}。"),
            Heading("二、考察工作情况", level=2),
            Paragraph(
                "考察组（组长：{{ team_leader }}；成员：{{ team_text }}）于{{ period }}"
                "对{{ c.name }}同志进行了考察，个别谈话{{ interviews }}人。"
            ),
            Heading("三、德、能、勤、绩、廉方面的主要表现", level=2),
            *_fill_in("（一）德"),
            *_fill_in("（二）能"),
            *_fill_in("（三）勤"),
            *_fill_in("（四）绩"),
            *_fill_in("（五）廉"),
            Heading("四、主要缺点和不足", level=2),
            Paragraph(""),
            Heading("五、民主测评情况", level=2),
            Paragraph("{{ c.evaluation }}"),
            Heading("六、审核事项情况", level=2),
            Table(
                headers=("审核事项", "完成日期", "结论"),
                rows=_rows("for k in c.checks", ("{{ k.item }}", "{{ k.done_on }}", "{{ k.result }}")),
                col_widths=(3.0, 1.4, 3.0),
            ),
            Signatures(("考察组组长", "考察组成员")),
            *_loop("{%p if not loop.last %}", PageBreak(), end="{%p endif %}"),
        ),
    )


def decision_list() -> Document:
    """讨论决定任免干部名单: one row per item of the vote with attendance, the three positions, the result."""
    return Document(
        title="常委会讨论决定任免干部名单",
        subtitle="（{{ decided_on }}）",
        blocks=_signed(
            Paragraph(
                "{{ meeting }}于{{ decided_on }}对下列干部任免事项进行了表决。"
                "部务会（{{ department_meeting_on }}）意见：{{ department_minutes }}。"
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
                rows=_rows(
                    "for i in items",
                    (
                        "{{ i.number }}",
                        "{{ i.name }}",
                        "{{ i.current_post }}",
                        "{{ i.action }}{{ i.post }}",
                        "{{ i.members }}",
                        "{{ i.present }}",
                        "{{ i.agree }}",
                        "{{ i.disagree }}",
                        "{{ i.defer }}",
                        "{{ i.result }}",
                    ),
                ),
                col_widths=(0.7, 1.2, 2.6, 2.6, 0.8, 0.8, 0.8, 1.0, 0.8, 1.0),
            ),
            Paragraph("共{{ total }}项，通过{{ passed_count }}项。"),
        ),
    )


def template_bytes(doc: Document, *, letterhead: bool) -> bytes:
    """The default template ``doc`` as .docx bytes, with the red 版头 above the title when asked."""
    data = render_docx(doc)
    return with_letterhead(data) if letterhead else data


def with_letterhead(data: bytes) -> bytes:
    """``data`` (a .docx whose first paragraph is the title) with a red 版头 inserted above the title.

    The issuer's mark is ``{{ issuer }}`` in large red characters; the 文号 ``{{ doc_number }}`` is centred
    below it on a paragraph whose bottom border is the red separator line.
    """
    word = open_docx(io.BytesIO(data))
    title = word.paragraphs[0]
    issuer = word.add_paragraph()
    _letterhead_line(issuer, "{{ issuer }}", LETTERHEAD_SIZE, bold=True)
    number = word.add_paragraph()
    _letterhead_line(number, "{{ doc_number }}", layout.BODY_SIZE, red=False)
    number.paragraph_format.space_after = Pt(layout.BODY_LEADING)
    _red_rule(number)
    title._p.addprevious(issuer._p)
    title._p.addprevious(number._p)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _letterhead_line(
    para: DocxParagraph, text: str, size: float, *, bold: bool = False, red: bool = True
) -> None:
    """Centre ``text`` in ``para`` in the title face (red for the issuer's mark)."""
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_before = Pt(0)
    para.paragraph_format.space_after = Pt(layout.TITLE_SPACE_AFTER)
    run = para.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if red:
        run.font.color.rgb = LETTERHEAD_RED
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), TITLE_FONT if red else BODY_FONT)


def _red_rule(para: DocxParagraph) -> None:
    """Draw the red separator line as the bottom border of ``para``."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(LINE_WIDTH_EIGHTHS))
    bottom.set(qn("w:space"), "8")
    bottom.set(qn("w:color"), str(LETTERHEAD_RED))
    borders.append(bottom)
    p_pr = para._p.get_or_add_pPr()
    # Schema order (CT_PPr): pBdr comes before shd, tabs … spacing, ind, jc; Word rejects a misordered one.
    later = next((child for child in p_pr if child.tag in _AFTER_PBDR), None)
    if later is not None:
        later.addprevious(borders)
    else:
        p_pr.append(borders)


_AFTER_PBDR = {
    qn(f"w:{tag}")
    for tag in (
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
}


def joint_meeting_minutes() -> Document:
    """会议纪要: when and where, who attended by body, the agenda, the findings per cadre, what was agreed
    and the follow-up items with owners and due dates."""
    return Document(
        title="{{ title }}纪要",
        subtitle="（{{ minutes_status }}）",
        blocks=_signed(
            Paragraph(
                "{{ held_on }}，{{ county }}干部监督工作联席会议在{{ venue }}召开，会议由{{ chair }}主持，"
                "通报{{ period }}干部监督有关情况。{{ bodies_text }}等成员单位参加会议。"
            ),
            Heading("一、参会人员"),
            Table(
                headers=("成员单位", "姓名", "职务"),
                rows=_rows("for m in members", ("{{ m.body }}", "{{ m.name }}", "{{ m.post }}")),
                col_widths=(2.0, 2.0, 5.0),
            ),
            Heading("二、会议议题"),
            *_loop(
                "{%p for a in agenda %}",
                Paragraph(
                    "{{ a.number }}．{{ a.title }}（{{ a.source }}）"
                    "{% if a.detail %}：{{ a.detail }}{% endif %}"
                ),
            ),
            Heading("三、干部有关情况及处理意见"),
            Table(
                headers=("序号", "姓名", "单位及职务", "有关情况", "处理意见"),
                rows=_rows(
                    "for f in findings",
                    (
                        "{{ f.number }}",
                        "{{ f.name }}",
                        "{{ f.current_post }}",
                        "{{ f.text }}",
                        "{{ f.measure }}",
                    ),
                ),
                col_widths=(0.7, 1.2, 2.6, 3.5, 2.0),
            ),
            Heading("四、会议议定事项"),
            *_loop("{%p for para in minutes_paragraphs %}", Paragraph("{{ para }}")),
            Heading("五、督办事项"),
            Table(
                headers=("序号", "事项", "责任单位或责任人", "完成时限", "状态"),
                rows=_rows(
                    "for u in follow_ups",
                    ("{{ u.number }}", "{{ u.task }}", "{{ u.owner }}", "{{ u.due_on }}", "{{ u.status }}"),
                ),
                col_widths=(0.7, 4.0, 2.4, 1.7, 1.2),
            ),
        ),
    )


def talk_record() -> Document:
    """谈话记录: a table of the talk's facts (who, when, by whom), then its matter, what was agreed,
    and a 函询's written answer or a 诫勉's impact period when there is one."""
    return Document(
        title="{{ kind }}记录",
        blocks=_signed(
            Table(
                headers=("项目", "内容"),
                rows=(
                    ("谈话对象", "{{ name }}"),
                    ("单位及职务", "{{ current_post }}"),
                    ("谈话类别", "{{ kind }}"),
                    ("谈话日期", "{{ held_on }}"),
                    ("谈话人", "{{ talkers }}（{{ talker_body }}）"),
                ),
                col_widths=(2.5, 7.5),
            ),
            Heading("一、谈话事由"),
            *_loop("{%p for para in issue_paragraphs %}", Paragraph("{{ para }}")),
            Heading("二、后续要求与落实"),
            Paragraph("{{ follow_up }}"),
            _plain("{%p if answer_due_on %}"),
            Heading("三、书面回复"),
            Paragraph("回复期限：{{ answer_due_on }}；回复日期：{{ answered_on }}。"),
            Paragraph("{{ answer }}"),
            _plain("{%p endif %}"),
            _plain("{%p if period %}"),
            Heading("三、诫勉影响期"),
            Paragraph("影响期：{{ period }}（{{ period_basis }}）。"),
            _plain("{%p endif %}"),
        ),
    )


def audit_commission() -> Document:
    """经济责任审计委托书: addressed to the audit body, the person, post and tenure to audit, the reason,
    the basis of the subject and the dates asked for; with the red 版头 of the commissioning body."""
    return Document(
        title="关于对{{ name }}同志进行经济责任审计的委托书",
        blocks=_signed(
            _plain("{{ audit_body }}："),
            Paragraph(
                "根据《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》，现委托你单位对"
                "{{ post }}{{ name }}同志（{{ role }}）{{ term }}任职期间履行经济责任情况进行审计"
                "（{{ trigger }}）。"
            ),
            Paragraph("审计事由：{{ trigger_note }}。"),
            Paragraph("审计对象认定：{{ subject_basis }}"),
            Paragraph(
                "请于{{ report_due_on }}前出具审计报告；审计通知书应在实施审计3日前送达被审计人及其所在单位。"
            ),
        ),
    )


def exchange_decision() -> Document:
    """交流任职决定: the meeting that decided, one 任免 line per cadre, the table of moves, the effective day;
    with the red 版头 of the body that issued the appointment document."""
    return Document(
        title="{{ doc_title }}",
        blocks=_signed(
            Paragraph("经{{ meeting }}（{{ discussed_on }}）研究，决定对下列{{ count }}名同志进行交流任职："),
            *_loop("{%p for line in lines %}", Paragraph("{{ line }}")),
            Paragraph("以上同志自{{ effective_on }}起任职，原任职务同时免去。"),
            Table(
                headers=("序号", "姓名", "原任职务", "交流任职", "交流方式"),
                rows=_rows(
                    "for m in moves",
                    (
                        "{{ m.number }}",
                        "{{ m.name }}",
                        "{{ m.from_post }}",
                        "{{ m.to_post }}",
                        "{{ m.kind }}",
                    ),
                ),
                col_widths=(0.7, 1.3, 3.0, 3.0, 1.2),
            ),
        ),
    )


def training_roster() -> Document:
    """培训班花名册: the class's facts, then one row per trainee (unit, post, status, leave, result)."""
    return Document(
        title="{{ title }}学员花名册",
        subtitle="（{{ program }}）",
        blocks=(
            _plain(
                "主办单位：{{ organizer }}　培训方式：{{ mode }}　培训时间：{{ period }}"
                "（{{ days }}天，{{ total_hours }}学时）　培训地点：{{ place }}　学员：{{ count }}人"
            ),
            Table(
                headers=("序号", "姓名", "单位", "职务", "状态", "请假学时", "结业成绩", "证书编号"),
                rows=_rows(
                    "for t in trainees",
                    (
                        "{{ t.number }}",
                        "{{ t.name }}",
                        "{{ t.unit }}",
                        "{{ t.post }}",
                        "{{ t.status }}",
                        "{{ t.absence_hours }}",
                        "{{ t.result }}",
                        "{{ t.certificate_no }}",
                    ),
                ),
                col_widths=(0.6, 1.1, 1.8, 2.4, 0.9, 0.9, 1.1, 1.8),
            ),
            _plain("制表：{{ issuer }}　{{ today }}"),
        ),
    )


def training_certificate() -> Document:
    """结业证书: a page per certificate (number, name, unit, class, dates, hours), signed by the organizer."""
    return Document(
        title="结业证书",
        blocks=_loop(
            "{%p for c in certificates %}",
            # The document's title heads the first page; every later page gets the same heading.
            *_loop("{%p if not loop.first %}", Heading("结业证书"), end="{%p endif %}"),
            Paragraph("证书编号：{{ c.number }}", align="right"),
            Paragraph(
                "{{ c.name }}同志（{{ c.unit }}）于{{ period }}参加{{ organizer }}举办的{{ title }}"
                "（{{ program }}），完成规定的{{ c.hours }}学时学习任务，成绩{{ c.result }}，准予结业。"
            ),
            Paragraph("特发此证。"),
            _plain(""),
            Paragraph("{{ issuer }}", align="right"),
            Paragraph("{{ date }}", align="right"),
            *_loop("{%p if not loop.last %}", PageBreak(), end="{%p endif %}"),
        ),
    )
