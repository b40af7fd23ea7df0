"""The geometry of the 干部任免审批表, shared by the .docx and the .pdf renderer.

:func:`form_pages` turns a form's texts (:mod:`.content`) into pages; each page is a title (page 1 only),
one grid of cells and, on the last page, the 填表人 / 填表时间 line. A grid is column widths, row heights
and the cells placed on them with their spans, font sizes and paragraphs, all in points. The PDF draws
the grid line by line at these coordinates; the .docx builds a table with the same columns, exact row
heights and merged cells. Every decision about what fits (font size of the 简历, where it continues) is
taken here, once, with one width measure (:func:`text_width`), so the two files look alike.

The standard two-page layout:

- page 1: 姓名 / 性别 / 出生年月（岁） / 照片 (the photo spans four rows), 民族 / 籍贯 / 出生地, 入党时间 /
  参加工作时间 / 健康状况, 专业技术职务 / 熟悉专业有何专长, 学历学位 (全日制教育 and 在职教育, each with its
  毕业院校系及专业), 现任职务, 拟任职务, 拟免职务, then the 简历 to the foot of the page. The 简历's font
  shrinks as it grows, from 14 pt down to 9 pt (rmb_helper's steps, ``docs/lrmx.md`` §5, stopping at a
  size still read on paper); what does not fit at 9 pt continues on page 2 under 「简历（续）」.
- page 2: 奖惩情况, 年度考核结果, 任免理由, 家庭主要成员及重要社会关系 (称谓, 姓名, 年龄, 政治面貌,
  工作单位及职务; at least six rows, as on the paper form), 呈报单位 (dated), 审批机关意见 and
  行政机关任免意见 side by side (each sealed and dated), then 填表人 and 填表时间 under the grid. Space
  left over goes to the boxes that are written in by hand. Text that cannot fit shrinks to 9 pt and, if it
  still does not fit, the grid continues on a further page: no line is ever dropped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ganbu.documents.appointment_form.content import FormContent, ResumeEntry

CM = 72 / 2.54  # points in a centimetre

PAGE_WIDTH = 21.0 * CM
PAGE_HEIGHT = 29.7 * CM
MARGIN_TOP = 2.0 * CM
# The .docx uses a smaller bottom margin than this, so Word's own rounding never pushes a row over.
MARGIN_BOTTOM = 1.8 * CM
MARGIN_LEFT = 2.3 * CM
MARGIN_RIGHT = 2.1 * CM
GRID_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TITLE_HEIGHT = 1.6 * CM
TAIL_HEIGHT = 0.9 * CM

TITLE = "干部任免审批表"
TITLE_SIZE = 22.0  # 二号
LABEL_SIZE = 12.0  # 小四
VALUE_SIZE = 12.0
TAIL_SIZE = 12.0
LEADING = 1.3  # line pitch as a multiple of the font size
MIN_VALUE_SIZE = 7.0  # a long name or post shrinks to this before it wraps out of its box
ONE_LINE_MIN_SIZE = 9.0  # a short value shrinks to this to stay on one line before it wraps
RESUME_SIZES = (14.0, 13.0, 12.0, 11.0, 10.5, 10.0, 9.5, 9.0)
TEXT_SIZES = (12.0, 11.0, 10.5, 10.0, 9.5, 9.0)
PAD_X = 3.0
FIT_SLACK = 3.0
PAD_Y = 2.0
RESUME_PAD = 5.0
# Width of a 简历 line's dates (``1998.09--2002.07``) and the gap after them, in ems.
RESUME_DATES_EM = 8.5
RESUME_GAP_EM = 1.0
PHOTO_BOX = (3.6 * CM, 4.9 * CM)  # the most a photo may take (LrmxToWord's 3.6 × 4.9 cm)
STAMP = "（盖章）"
DATE_BLANKS = "年　　月　　日"

# Page 1 columns: label, value, label, value, label, value, photo.
PAGE1_COLUMNS = tuple(w * CM for w in (2.0, 2.2, 1.9, 2.1, 2.0, 2.4, 4.0))
PAGE1_TOP_ROWS = tuple(h * CM for h in (1.35, 1.35, 1.35, 1.35, 1.35, 1.35, 1.3, 1.2, 1.2))
# Page 2 columns: label, 称谓, 姓名, 年龄, 政治面貌, and 工作单位及职务 split where 行政机关任免意见 begins.
PAGE2_COLUMNS = tuple(w * CM for w in (2.0, 1.6, 2.0, 1.2, 2.2, 1.8, 5.8))
FAMILY_MIN_ROWS = 6
FAMILY_ROW = 0.85 * CM
FAMILY_ROW_MIN = 0.7 * CM
FAMILY_HEADER = 0.9 * CM
REWARDS_MIN = 2.4 * CM
ASSESSMENTS_MIN = 1.9 * CM
REASON_MIN = 1.6 * CM
SUBMITTING_MIN = 2.8 * CM
APPROVAL_MIN = 3.6 * CM

_CLOSING = set("，。；：、！？）》」』】〕,.;:!?)]%")


@dataclass(frozen=True)
class Para:
    """One paragraph of a cell. ``lead`` is a 简历 line's dates, set in a column of ``lead_width``
    points at the left; ``hang`` puts text without dates in the text column too (a 其间 note, or the
    continued part of an entry split over pages)."""

    text: str
    lead: str = ""
    hang: bool = False


@dataclass(frozen=True)
class Cell:
    """A box of the grid: its place and spans, and what it holds.

    ``role`` is ``"label"`` (printed words of the form), ``"value"`` (the cadre's data) or ``"photo"``.
    ``foot`` is printed at the bottom right (the seal and date places of the approval boxes).
    """

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    paras: tuple[Para, ...] = ()
    size: float = VALUE_SIZE
    align: str = "center"  # "left" or "center"
    valign: str = "middle"  # "top" or "middle"
    role: str = "value"
    foot: str = ""
    lead_width: float = 0.0
    pad_x: float = PAD_X
    photo: bytes = b""

    @property
    def leading(self) -> float:
        """The line pitch of the cell's text."""
        return self.size * LEADING


@dataclass(frozen=True)
class Grid:
    """Column widths and row heights (points) and the cells placed on them."""

    columns: tuple[float, ...]
    rows: tuple[float, ...]
    cells: tuple[Cell, ...]

    def box(self, cell: Cell) -> tuple[float, float, float, float]:
        """``(x, y, width, height)`` of a cell from the grid's top left, y growing downwards."""
        x = sum(self.columns[: cell.col])
        y = sum(self.rows[: cell.row])
        width = sum(self.columns[cell.col : cell.col + cell.colspan])
        height = sum(self.rows[cell.row : cell.row + cell.rowspan])
        return x, y, width, height

    @property
    def height(self) -> float:
        """The grid's total height."""
        return sum(self.rows)


def photo_box(width: float, height: float) -> tuple[float, float]:
    """The room a photo may take in a cell of ``width`` × ``height``: :data:`PHOTO_BOX`, less the cell's
    padding when the cell is smaller. Both renderers fit the photo in it keeping its proportions."""
    return min(PHOTO_BOX[0], width - 2 * PAD_X - 4), min(PHOTO_BOX[1], height - 6)


@dataclass(frozen=True)
class Page:
    """One printed page: an optional title above the grid and an optional line below it."""

    grid: Grid
    title: str = ""
    tail: str = ""

    @property
    def grid_top(self) -> float:
        """Distance from the top edge of the paper to the top of the grid."""
        return MARGIN_TOP + (TITLE_HEIGHT if self.title else 0.0)


# ---------------------------------------------------------------- measuring and wrapping


def char_width(char: str, size: float) -> float:
    """The width one character takes: an em for Chinese, a generous 0.6 em for Latin letters and digits.

    One measure for both renderers: 宋体 in Word sets Latin at half an em and WenQuanYi at up to 0.6, so
    a line measured here fits in either.
    """
    return size * (0.6 if ord(char) < 0x2000 else 1.0)


def text_width(text: str, size: float) -> float:
    """The width of a line of text by :func:`char_width`."""
    return sum(char_width(c, size) for c in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``, between any two characters as Chinese is.

    Closing punctuation never starts a line: it is kept at the end of the line before, a half-character
    overhang Word allows too. Explicit newlines are kept. An empty text is one empty line.
    """
    lines: list[str] = []
    for part in text.split("\n"):
        current = ""
        used = 0.0
        for char in part:
            w = char_width(char, size)
            if current and used + w > width + 0.01 and char not in _CLOSING:
                lines.append(current)
                current, used = "", 0.0
            current += char
            used += w
        lines.append(current)
    return lines


def para_lines(para: Para, width: float, size: float, lead_width: float) -> list[str]:
    """The lines a paragraph takes in a text column of ``width`` points."""
    text_column = width - lead_width if (para.lead or para.hang) else width
    return wrap(para.text, max(text_column, size), size)


def cell_lines(cell: Cell, width: float) -> int:
    """How many lines the cell's paragraphs take at its size, in a box ``width`` points wide."""
    inner = width - 2 * cell.pad_x
    return sum(len(para_lines(p, inner, cell.size, cell.lead_width)) for p in cell.paras)


def _fits(paras: Sequence[Para], width: float, height: float, size: float, lead_width: float = 0.0) -> bool:
    """Whether the paragraphs fit a box of ``width`` × ``height`` points (padding included) at ``size``."""
    # A little room to spare: Word's and the reader's fonts are not all exactly the measure's widths.
    lines = sum(len(para_lines(p, width - 2 * PAD_X - FIT_SLACK, size, lead_width)) for p in paras)
    return lines * size * LEADING <= height - 2 * PAD_Y + 0.01


def fitted_size(paras: Sequence[Para], width: float, height: float, start: float, smallest: float) -> float:
    """The largest size from ``start`` down to ``smallest`` (half-point steps) at which the text fits."""
    size = start
    while size > smallest and not _fits(paras, width, height, size):
        size -= 0.5
    return max(size, smallest)


def _paras(text: str) -> tuple[Para, ...]:
    """A text's lines as paragraphs."""
    return tuple(Para(line) for line in text.split("\n")) if text else ()


def _label(
    row: int,
    col: int,
    text: str,
    width: float,
    *,
    rowspan: int = 1,
    colspan: int = 1,
    height: float | None = None,
) -> Cell:
    """A label cell, its size reduced until its lines fit the box (wrapping a label would garble it)."""
    size = LABEL_SIZE
    lines = text.split("\n")
    longest = max(text_width(line, 1.0) for line in lines)

    def too_big(size: float) -> bool:
        too_tall = height is not None and len(lines) * size * LEADING > height - 2 * PAD_Y
        return longest * size > width - 2 * PAD_X or too_tall

    while size > MIN_VALUE_SIZE and too_big(size):
        size -= 0.5
    return Cell(row, col, rowspan, colspan, _paras(text), size=size, role="label")


def _value(
    grid_columns: Sequence[float],
    rows: Sequence[float],
    row: int,
    col: int,
    text: str,
    *,
    colspan: int = 1,
    align: str = "center",
) -> Cell:
    """A value cell whose text shrinks until it fits its box.

    A short text (a name, a place, a month) shrinks a little rather than break inside a word: each of its
    lines is kept whole down to :data:`ONE_LINE_MIN_SIZE`; below that it wraps like any text.
    """
    width = sum(grid_columns[col : col + colspan])
    height = rows[row]
    paras = _paras(text)
    inner = width - 2 * PAD_X - FIT_SLACK
    longest = max((text_width(p.text, 1.0) for p in paras), default=0.0)
    if longest and longest * ONE_LINE_MIN_SIZE <= inner:
        size = VALUE_SIZE
        while longest * size > inner:
            size -= 0.5
        if len(paras) * size * LEADING <= height - 2 * PAD_Y + 0.01:
            return Cell(row, col, 1, colspan, paras, size=size, align=align)
    size = fitted_size(paras, width, height, VALUE_SIZE, MIN_VALUE_SIZE)
    return Cell(row, col, 1, colspan, paras, size=size, align=align)


# ---------------------------------------------------------------- page 1


def _resume_paras(entries: Sequence[ResumeEntry]) -> list[Para]:
    """The 简历 as paragraphs: dates in the lead column, a 其间 note or undated line hung under the text."""
    return [Para(e.text, lead=e.dates, hang=not e.dates) for e in entries]


def resume_lead_width(size: float) -> float:
    """The width of the dates column of the 简历 at ``size``: ``1998.09--2002.07`` and a gap.

    Measured on the fonts, not by :func:`char_width`: the dates are digits and narrow dots and dashes,
    8 em in 宋体 and 8.4 em in WenQuanYi; the generous measure would leave a gaping column.
    """
    return (RESUME_DATES_EM + RESUME_GAP_EM) * size


def _split_resume(paras: Sequence[Para], width: float, height: float) -> tuple[float, list[Para], list[Para]]:
    """The 简历's font size, the paragraphs printed on page 1, and those continued on page 2.

    The largest size of :data:`RESUME_SIZES` at which everything fits is used. When nothing fits even at
    the smallest, page 1 takes as many whole entries as it can at that size (and part of an entry only if
    a single entry is taller than the box), and the rest continues.
    """
    inner = width - 2 * RESUME_PAD
    for size in RESUME_SIZES:
        lead = resume_lead_width(size)
        count = sum(len(para_lines(p, inner, size, lead)) for p in paras)
        if count * size * LEADING <= height - 2 * PAD_Y + 0.01:
            return size, list(paras), []
    size = RESUME_SIZES[-1]
    lead = resume_lead_width(size)
    room = int((height - 2 * PAD_Y + 0.01) // (size * LEADING))
    first: list[Para] = []
    rest = list(paras)
    while rest:
        lines = para_lines(rest[0], inner, size, lead)
        if len(lines) <= room:
            first.append(rest.pop(0))
            room -= len(lines)
            continue
        if not first and room > 0:
            head, tail = _split_para(rest[0], lines, room)
            first.append(head)
            rest[0] = tail
        break
    return size, first, rest


def _split_para(para: Para, lines: Sequence[str], keep: int) -> tuple[Para, Para]:
    """A paragraph cut after ``keep`` of its wrapped ``lines``; the rest hangs in the text column."""
    head = "".join(lines[:keep])
    return Para(head, lead=para.lead, hang=para.hang), Para(para.text[len(head) :], hang=True)


def _page1(content: FormContent) -> tuple[Page, float, list[Para]]:
    """Page 1, the 简历's size, and the 简历 paragraphs left over for page 2."""
    cols = PAGE1_COLUMNS
    resume_height = PAGE_HEIGHT - MARGIN_TOP - TITLE_HEIGHT - MARGIN_BOTTOM - sum(PAGE1_TOP_ROWS)
    rows = (*PAGE1_TOP_ROWS, resume_height)
    resume_width = sum(cols[1:])
    size, first, rest = _split_resume(_resume_paras(content.resume), resume_width, resume_height)
    photo_cell = Cell(
        0, 6, rowspan=4, role="photo", photo=content.photo, paras=() if content.photo else (Para("照片"),)
    )
    cells = [
        _label(0, 0, "姓名", cols[0]),
        _value(cols, rows, 0, 1, content.name),
        _label(0, 2, "性别", cols[2]),
        _value(cols, rows, 0, 3, content.gender),
        _label(0, 4, "出生年月\n（岁）", cols[4]),
        _value(cols, rows, 0, 5, content.birth),
        photo_cell,
        _label(1, 0, "民族", cols[0]),
        _value(cols, rows, 1, 1, content.ethnicity),
        _label(1, 2, "籍贯", cols[2]),
        _value(cols, rows, 1, 3, content.native_place),
        _label(1, 4, "出生地", cols[4]),
        _value(cols, rows, 1, 5, content.birthplace),
        _label(2, 0, "入党\n时间", cols[0]),
        _value(cols, rows, 2, 1, content.party),
        _label(2, 2, "参加工作\n时间", cols[2]),
        _value(cols, rows, 2, 3, content.work_start),
        _label(2, 4, "健康状况", cols[4]),
        _value(cols, rows, 2, 5, content.health),
        _label(3, 0, "专业技术\n职务", cols[0]),
        _value(cols, rows, 3, 1, content.professional_title, colspan=2),
        _label(3, 3, "熟悉专业\n有何专长", cols[3]),
        _value(cols, rows, 3, 4, content.specialty, colspan=2),
        _label(4, 0, "学历\n学位", cols[0], rowspan=2),
        _label(4, 1, "全日制\n教育", cols[1]),
        _value(cols, rows, 4, 2, content.ft_education, colspan=2),
        _label(4, 4, "毕业院校\n系及专业", cols[4]),
        _value(cols, rows, 4, 5, content.ft_school, colspan=2, align="left"),
        _label(5, 1, "在职\n教育", cols[1]),
        _value(cols, rows, 5, 2, content.ip_education, colspan=2),
        _label(5, 4, "毕业院校\n系及专业", cols[4]),
        _value(cols, rows, 5, 5, content.ip_school, colspan=2, align="left"),
        _label(6, 0, "现任职务", cols[0] + cols[1], colspan=2),
        _value(cols, rows, 6, 2, content.current_post, colspan=5, align="left"),
        _label(7, 0, "拟任职务", cols[0] + cols[1], colspan=2),
        _value(cols, rows, 7, 2, content.proposed_post, colspan=5, align="left"),
        _label(8, 0, "拟免职务", cols[0] + cols[1], colspan=2),
        _value(cols, rows, 8, 2, content.proposed_removal, colspan=5, align="left"),
        _label(9, 0, "简\n\n\n\n历", cols[0]),
        Cell(
            9,
            1,
            colspan=6,
            paras=tuple(first),
            size=size,
            align="left",
            valign="top",
            lead_width=resume_lead_width(size),
            pad_x=RESUME_PAD,
        ),
    ]
    return Page(Grid(cols, rows, tuple(cells)), title=TITLE), size, rest


# ---------------------------------------------------------------- page 2 and after


@dataclass
class _Block:
    """A band of rows of the later pages, kept together on one page (text bands may be split)."""

    kind: str  # "text", "family", "submitting", "approval"
    label: str = ""
    paras: list[Para] = field(default_factory=list)
    size: float = VALUE_SIZE
    min_height: float = 0.0
    lead_width: float = 0.0
    pad_x: float = PAD_X
    valign: str = "middle"
    family: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    family_row: float = FAMILY_ROW
    min_rows: int = FAMILY_MIN_ROWS  # blank rows the family table is padded to
    grow: float = 0.0  # share of the page's spare height this band takes
    extra: float = 0.0
    text: str = ""  # the 呈报单位

    def text_height(self) -> float:
        """Height the band's text needs."""
        inner = GRID_WIDTH - PAGE2_COLUMNS[0] - 2 * self.pad_x
        lines = sum(len(para_lines(p, inner, self.size, self.lead_width)) for p in self.paras)
        return lines * self.size * LEADING + 2 * PAD_Y

    def height(self) -> float:
        """The band's height before spare space is shared out."""
        if self.kind == "text":
            return max(self.min_height, self.text_height()) + self.extra
        if self.kind == "family":
            return FAMILY_HEADER + max(len(self.family), self.min_rows) * self.family_row + self.extra
        return self.min_height + self.extra


def _later_blocks(content: FormContent, resume_size: float, resume_rest: list[Para]) -> list[_Block]:
    """The bands of page 2 in print order, the 简历's continuation first."""
    blocks: list[_Block] = []
    if resume_rest:
        blocks.append(
            _Block(
                "text",
                "简历\n（续）",
                list(resume_rest),
                size=resume_size,
                lead_width=resume_lead_width(resume_size),
                pad_x=RESUME_PAD,
                valign="top",
            )
        )
    blocks += [
        _Block("text", "奖惩\n情况", list(_paras(content.rewards)), min_height=REWARDS_MIN, grow=0.4),
        _Block("text", "年度\n考核\n结果", list(_paras(content.assessments)), min_height=ASSESSMENTS_MIN),
        _Block("text", "任免\n理由", list(_paras(content.reason)), min_height=REASON_MIN, grow=0.1),
        _Block(
            "family",
            family=[
                (r.relation, r.name, r.age, r.political_status, r.work_unit_post) for r in content.family
            ],
        ),
        _Block("submitting", text=content.submitting_unit, min_height=SUBMITTING_MIN, grow=0.2),
        _Block("approval", min_height=APPROVAL_MIN, grow=0.3),
    ]
    return blocks


def _shrink_to_fit(blocks: list[_Block], room: float) -> None:
    """Make the bands fit one page if shrinking the text (not the 简历's) and the family rows can."""
    adjustable = [b for b in blocks if b.kind == "text" and b.lead_width == 0.0]
    families = [b for b in blocks if b.kind == "family"]
    for family_row in (FAMILY_ROW, FAMILY_ROW_MIN):
        for block in families:
            block.family_row = family_row
        for size in TEXT_SIZES:
            for block in adjustable:
                block.size = size
            if sum(b.height() for b in blocks) <= room:
                return
    # More than a page whatever the sizes: print at the normal sizes and let the grid run on.
    for block in adjustable:
        block.size = TEXT_SIZES[0]
    for block in families:
        block.family_row = FAMILY_ROW


def _paginate(blocks: list[_Block], room: float) -> list[list[_Block]]:
    """The bands on pages of ``room`` points; a text band taller than what is left is split by paragraph
    (by line within a paragraph taller than a page), its continuation labelled 「（续）」."""
    pages: list[list[_Block]] = [[]]
    left = room
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        height = block.height()
        if height <= left + 0.01:
            pages[-1].append(block)
            left -= height
            continue
        if block.kind == "text" and left >= 2 * block.size * LEADING + 2 * PAD_Y:
            head, tail = _split_block(block, left)
            if head is not None:
                pages[-1].append(head)
                queue.insert(0, tail)
                pages.append([])
                left = room
                continue
        rows_fit = int((left - FAMILY_HEADER + 0.01) // block.family_row)
        if block.kind == "family" and rows_fit >= 2 and len(block.family) > rows_fit:
            # A family table longer than the page (rare: files cap it near ten) goes on under its header.
            head_rows, rest_rows = block.family[:rows_fit], block.family[rows_fit:]
            pages[-1].append(_Block(**{**block.__dict__, "family": head_rows, "min_rows": len(head_rows)}))
            queue.insert(0, _Block(**{**block.__dict__, "family": rest_rows, "min_rows": len(rest_rows)}))
            pages.append([])
            left = room
            continue
        if not pages[-1]:  # a band taller than a whole page that cannot be split: give it the page
            pages[-1].append(block)
            pages.append([])
            left = room
            continue
        pages.append([])
        left = room
        queue.insert(0, block)
    return [page for page in pages if page]


def _split_block(block: _Block, height: float) -> tuple[_Block | None, _Block]:
    """``block`` cut so that its first part fits ``height``: whole paragraphs, or lines of one."""
    inner = GRID_WIDTH - PAGE2_COLUMNS[0] - 2 * block.pad_x
    room = int((height - 2 * PAD_Y + 0.01) // (block.size * LEADING))
    head: list[Para] = []
    rest = list(block.paras)
    while rest and room > 0:
        lines = para_lines(rest[0], inner, block.size, block.lead_width)
        if len(lines) <= room:
            head.append(rest.pop(0))
            room -= len(lines)
            continue
        first, second = _split_para(rest[0], lines, room)
        head.append(first)
        rest[0] = second
        room = 0
    if not head:
        return None, block
    continued = block.label if block.label.endswith("（续）") else block.label.split("\n")[0] + "\n（续）"
    first_block = _Block(**{**block.__dict__, "paras": head, "min_height": 0.0, "extra": 0.0})
    second_block = _Block(**{**block.__dict__, "paras": rest, "label": continued})
    return first_block, second_block


def _grid_for(blocks: Sequence[_Block]) -> Grid:
    """The grid of one later page from its bands."""
    cols = PAGE2_COLUMNS
    rows: list[float] = []
    cells: list[Cell] = []
    label_width = cols[0]
    value_width = sum(cols[1:])
    for block in blocks:
        r = len(rows)
        if block.kind == "text":
            height = block.height()
            rows.append(height)
            cells.append(_label(r, 0, block.label, label_width, height=height))
            cells.append(
                Cell(
                    r,
                    1,
                    colspan=6,
                    paras=tuple(block.paras),
                    size=block.size,
                    align="left",
                    valign="top" if block.lead_width else _valign(block, value_width),
                    lead_width=block.lead_width,
                    pad_x=block.pad_x,
                )
            )
        elif block.kind == "family":
            count = max(len(block.family), block.min_rows)
            row_height = block.family_row + block.extra / (count + 1)
            rows.append(FAMILY_HEADER + block.extra / (count + 1))
            rows.extend([row_height] * count)
            cells.append(_label(r, 0, "家庭\n主要\n成员\n及重要\n社会\n关系", label_width, rowspan=count + 1))
            headers = ("称谓", "姓名", "年龄", "政治面貌", "工作单位及职务")
            spans = (1, 1, 1, 1, 2)
            col = 1
            for header, span in zip(headers, spans, strict=True):
                cells.append(_label(r, col, header, sum(cols[col : col + span]), colspan=span))
                col += span
            blank = ("",) * len(spans)
            for index in range(count):
                member = block.family[index] if index < len(block.family) else blank
                col = 1
                for position, (value, span) in enumerate(zip(member, spans, strict=True)):
                    cells.append(
                        _value(
                            cols,
                            rows,
                            r + 1 + index,
                            col,
                            value,
                            colspan=span,
                            align="left" if position == 4 else "center",
                        )
                    )
                    col += span
        elif block.kind == "submitting":
            rows.append(block.height())
            cells.append(_label(r, 0, "呈报\n单位", label_width))
            paras = _paras(block.text)
            cells.append(
                Cell(
                    r,
                    1,
                    colspan=6,
                    paras=paras,
                    size=fitted_size(paras, value_width, block.height() / 2, VALUE_SIZE, MIN_VALUE_SIZE),
                    align="left",
                    valign="top",
                    foot=f"{STAMP}\n{DATE_BLANKS}",
                )
            )
        else:
            rows.append(block.height())
            cells.append(_label(r, 0, "审批\n机关\n意见", label_width))
            cells.append(Cell(r, 1, colspan=4, valign="top", foot=f"{STAMP}\n{DATE_BLANKS}"))
            cells.append(_label(r, 5, "行政\n机关\n任免\n意见", cols[5]))
            cells.append(Cell(r, 6, valign="top", foot=f"{STAMP}\n{DATE_BLANKS}"))
    return Grid(cols, tuple(rows), tuple(cells))


def _valign(block: _Block, width: float) -> str:
    """Short texts sit in the middle of their box, longer ones start at the top."""
    lines = sum(len(para_lines(p, width - 2 * block.pad_x, block.size, 0.0)) for p in block.paras)
    return "middle" if lines <= 2 else "top"


def tail_text(content: FormContent) -> str:
    """The line under the last grid: 填表人 and 填表时间."""
    filled_on = content.fill_date or f"　　　　{DATE_BLANKS}"
    return f"填表人：{content.filled_by or '　' * 6}　　　　填表时间：{filled_on}"


def form_pages(content: FormContent) -> list[Page]:
    """The pages of one form: page 1, page 2 and, only when the text needs them, further pages."""
    first, resume_size, rest = _page1(content)
    room = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM - TAIL_HEIGHT
    blocks = _later_blocks(content, resume_size, rest)
    _shrink_to_fit(blocks, room)
    pages = [first]
    groups = _paginate(blocks, room)
    for number, group in enumerate(groups):
        last = number == len(groups) - 1
        spare = room - sum(b.height() for b in group)
        if last and spare > 0:
            weights = [b.grow for b in group]
            total = sum(weights) or 1.0
            for block, weight in zip(group, weights, strict=True):
                block.extra += math.floor(spare * weight / total * 10) / 10
        pages.append(Page(_grid_for(group), tail=tail_text(content) if last else ""))
    return pages


# ---------------------------------------------------------------- the batch's cover list


COVER_TITLE = "干部任免审批表目录"
COVER_COLUMNS = tuple(w * CM for w in (1.1, 2.2, 4.9, 4.2, 4.2))
COVER_ROW = 1.3 * CM
COVER_ROWS_PER_PAGE = 17


def cover_pages(items: Sequence[tuple[str, str, str, str]], title: str = COVER_TITLE) -> list[Page]:
    """The list printed before a batch: 序号, 姓名, 现任职务, 拟任职务, 拟免职务, one row per form."""
    scale = GRID_WIDTH / sum(COVER_COLUMNS)
    cols = tuple(w * scale for w in COVER_COLUMNS)
    pages = []
    headers = ("序号", "姓名", "现任职务", "拟任职务", "拟免职务")
    for start in range(0, max(len(items), 1), COVER_ROWS_PER_PAGE):
        chunk = items[start : start + COVER_ROWS_PER_PAGE]
        rows = (COVER_ROW,) * (len(chunk) + 1)
        cells = [_label(0, c, h, cols[c]) for c, h in enumerate(headers)]
        for index, item in enumerate(chunk, start=1):
            values = (str(start + index), *item)
            for c, value in enumerate(values):
                cells.append(_value(cols, rows, index, c, value, align="left" if c >= 2 else "center"))
        pages.append(Page(Grid(cols, rows, tuple(cells)), title=title))
    return pages
