"""Dates, texts, 简历 and 入党时间 (docs/lrmx.md §4–§6): the normalization and the structured views."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganbu.interop.lrmx import (
    FamilyMember,
    FileRefused,
    Parsed,
    Party,
    Record,
    ResumeLine,
    as_json,
    format_party,
    format_resume,
    normalize_record,
    parse_month,
    parse_party,
    parse_resume,
    read_any,
    read_lrm,
    read_lrmx,
    write_lrm,
    write_lrmx,
    write_zip,
)
from ganbu.interop.lrmx.text import normalize_day, normalize_month
from ganbu.interop.tests.lrmx_strategies import PHOTOS


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("198003", (1980, 3)),
        ("1980.03", (1980, 3)),
        ("1980.3", (1980, 3)),
        ("19800315", (1980, 3)),
        ("1980.03.15", (1980, 3)),
        ("1980-03", (1980, 3)),
        ("1980-03-15", (1980, 3)),
        ("1980/03", (1980, 3)),
        ("1980年3月", (1980, 3)),
        ("1980．03", (1980, 3)),
        (" 198003 ", (1980, 3)),
        ("", None),
        ("不详", None),
        ("198013", None),
        ("19800230", None),
        ("1980", None),
        ("19803", None),
    ],
)
def test_parse_month_accepts_every_form_seen(text: str, month: tuple[int, int] | None) -> None:
    assert parse_month(text) == month


def test_dates_normalize_to_canonical_forms_and_keep_what_does_not_parse() -> None:
    assert normalize_month("1980.03.15") == ("198003", True)
    assert normalize_day("2024.06.30") == ("20240630", True)
    assert normalize_day("2024.06") == ("202406", True)
    assert normalize_day("") == ("", True)
    assert normalize_month("不详") == ("不详", False)


def test_a_date_that_does_not_parse_is_kept_with_a_warning() -> None:
    parsed = read_lrmx("<Person><ChuShengNianYue>八十年代</ChuShengNianYue></Person>".encode())
    assert parsed.record.birth == "八十年代"
    assert parsed.warnings == ("出生年月“八十年代”不是可识别的日期，已按原样保留",)


def test_normalize_record_applies_the_record_rules() -> None:
    messy = Record(
        name=" 张\u3000三 ",
        id_number="１１０１０５１９４９１２３１００２x",
        birth="1980.3",
        calc_date="2024-06-30",
        resume="a  \r\nb<br/>c&#xD;&#xA;d\r",
        family=(FamilyMember(), FamilyMember(name="李 四", birth="1950.1")),
        extra=(("Foo", " x\u00a0"),),
    )
    assert normalize_record(messy) == Record(
        name="张三",
        id_number="11010519491231002X",
        birth="198003",
        calc_date="20240630",
        resume="a\nb\nc\nd",
        family=(FamilyMember(name="李四", birth="195001"),),
        extra=(("Foo", "x"),),
    )


RESUME = (
    "1998.09--2002.07  某某大学经济学院经济学专业学习\r\n"
    "2002.07—2006.03\t某某县财政局科员\r\n"
    "200603-201105  某某乡党委委员、副乡长，\r\n"
    "    后任乡长\r\n"
    "         （其间：2008.09--2011.06在某某大学在职研究生学习）\r\n"
    "2011.05至2016.09  某某镇党委书记\r\n"
    "2016.09--至今  某某县某某局局长\r\n"
    "2020.01～  某某县委常委"
)


def test_parse_resume_reads_separators_paddings_and_continuations() -> None:
    assert parse_resume(RESUME) == [
        ResumeLine("199809", "200207", "某某大学经济学院经济学专业学习"),
        ResumeLine("200207", "200603", "某某县财政局科员"),
        ResumeLine(
            "200603",
            "201105",
            "某某乡党委委员、副乡长，后任乡长（其间：2008.09--2011.06在某某大学在职研究生学习）",
        ),
        ResumeLine("201105", "201609", "某某镇党委书记"),
        ResumeLine("201609", "", "某某县某某局局长"),
        ResumeLine("202001", "", "某某县委常委"),
    ]


def test_format_resume_writes_the_standard_layout() -> None:
    text = format_resume([ResumeLine("199809", "200207", "学习"), ResumeLine("201609", "", "镇长")])
    assert text == "1998.09--2002.07  学习\n2016.09--         镇长"


def test_text_before_the_first_dated_line_is_kept() -> None:
    assert parse_resume("个人简历：\n2001.01--2002.01  科员") == [
        ResumeLine("", "", "个人简历："),
        ResumeLine("200101", "200201", "科员"),
    ]


month = st.builds(lambda y, m: f"{y:04d}{m:02d}", st.integers(1950, 2030), st.integers(1, 12))
body = st.text("某县镇党委书记科员学习0123456789（）、：", min_size=1, max_size=20)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(ResumeLine, month, st.one_of(st.just(""), month), body), max_size=8))
def test_resume_round_trip(lines: list[ResumeLine]) -> None:
    assert parse_resume(format_resume(lines)) == lines


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("197204", Party(cpc=True, cpc_date="197204")),
        ("1972.04", Party(cpc=True, cpc_date="197204")),
        ("民建", Party(parties=("民建",), party_dates=("",))),
        ("无党派", Party(parties=("无党派",), party_dates=("",))),
        ("民建；民盟", Party(parties=("民建", "民盟"), party_dates=("", ""))),
        ("200108；民建", Party(cpc=True, cpc_date="200108", parties=("民建",), party_dates=("",))),
        ("民建2001.08", Party(parties=("民建",), party_dates=("200108",))),
        ("民建200108", Party(parties=("民建",), party_dates=("200108",))),
        ("(民建)", Party(parties=("民建",), party_dates=("",))),
        ("（民建、民盟）", Party(parties=("民建", "民盟"), party_dates=("", ""))),
        ("", Party()),
        ("中共党员", Party(cpc=True)),
        ("abc", Party(recognized=False)),
    ],
)
def test_parse_party_reads_every_form_of_section_6(text: str, party: Party) -> None:
    assert parse_party(text) == party


@settings(max_examples=100, deadline=None)
@given(
    st.booleans(),
    st.one_of(st.just(""), month),
    st.lists(
        st.tuples(st.sampled_from(["民建", "民盟", "九三", "致公", "无党派"]), st.one_of(st.just(""), month))
    ),
)
def test_party_round_trip(cpc: bool, date: str, others: list[tuple[str, str]]) -> None:
    party = Party(
        cpc=cpc or bool(date),
        cpc_date=date,
        parties=tuple(n for n, _ in others),
        party_dates=tuple(d for _, d in others),
    )
    assert parse_party(format_party(party)) == party


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (Record(name="王䶮"), "姓名中的“䶮”字无法用 GBK 编码写入 .lrm 文件，请改用 .lrmx 格式导出"),
        (Record(rewards='获"优秀"称号'), '奖惩情况中含有“"”，.lrm 格式无法保存，请改用 .lrmx 格式导出'),
        (Record(ft_degree="学士#硕士"), "全日制教育学位中含有“#”，.lrm 格式无法保存，请改用 .lrmx 格式导出"),
        (
            Record(family=(FamilyMember(name="张@三"),)),
            "家庭成员姓名中含有“@”，.lrm 格式无法保存，请改用 .lrmx 格式导出",
        ),
    ],
)
def test_write_lrm_refuses_what_it_cannot_carry(record: Record, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        write_lrm(record)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b'"a","b"', "文件不是完整的 .lrm 文件：应有 33 项，只有 2 项"),
        (b"<Person/>", "文件是 XML 格式，看起来是 .lrmx 文件，请按 .lrmx 文件导入"),
        (b"\xef\xbb\xbf<Person/>", "文件是 XML 格式，看起来是 .lrmx 文件，请按 .lrmx 文件导入"),
        (b"\xff\xfe\x00\xd8", "文件不是 GBK 编码的 .lrm 文件（内容无法按 GBK 解码）"),
        (b"hello", "文件不是 .lrm（任免审批表 2.0）格式：内容应以双引号开始和结束"),
    ],
)
def test_read_lrm_refuses_what_is_not_an_lrm(data: bytes, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        read_lrm(data)
    assert refused.value.message == message


def test_lrm_with_extra_fields_is_read_with_a_warning() -> None:
    lrm, _ = write_lrm(Record(name="张三"))
    parsed = read_lrm(lrm[:-1] + b'","extra"')
    assert parsed.record.name == "张三"
    assert parsed.warnings == (".lrm 文件有 34 项，多于 33 项，多出的内容已忽略",)


def test_lrmx_file_fed_to_read_any_as_lrm_sniffs_nothing_and_refuses() -> None:
    [result] = read_any([("张三.lrm", write_lrmx(Record(name="张三")))])
    assert result.error == "文件是 XML 格式，看起来是 .lrmx 文件，请按 .lrmx 文件导入"


def test_lrm_content_in_an_lrmx_file_is_pointed_out() -> None:
    lrm, _ = write_lrm(Record(name="张三"))
    with pytest.raises(FileRefused) as refused:
        read_lrmx(lrm)
    assert "GBK" in refused.value.message or ".lrm" in refused.value.message


def test_write_zip_makes_names_safe_and_unique_keeping_pairs() -> None:
    data = write_zip(
        [
            ("张三.lrm", b"1"),
            ("张三.pic", b"2"),
            ("张三.lrm", b"3"),
            ("张三.pic", b"4"),
            ("../../evil:name?.lrmx", b"5"),
            ("", b"6"),
        ]
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [
        "张三.lrm",
        "张三.pic",
        "张三(2).lrm",
        "张三(2).pic",
        "evil_name_.lrmx",
        "文件",
    ]
    assert all(info.flag_bits & 0x800 for info in archive.infolist()[:4])  # UTF-8 names
    assert archive.read("张三(2).pic") == b"4"


def test_write_zip_output_reads_back_with_read_any() -> None:
    records = [
        Record(name="张三", version="3.2.1.16"),
        Record(name="张三", photo=PHOTOS[0], version="3.2.1.16"),
    ]
    lrm, pic = write_lrm(records[1])
    entries = [(f"{r.name}.lrmx", write_lrmx(r)) for r in records] + [("张三.lrm", lrm), ("张三.pic", pic)]
    results = read_any([("导出.zip", write_zip(entries))])
    assert [r.error for r in results] == ["", "", ""]
    assert [r.parsed.record.photo for r in results if r.parsed] == [b"", PHOTOS[0], PHOTOS[0]]


def test_zip_entry_names_in_gbk_are_decoded() -> None:
    # Chinese Windows zip tools write GBK names without the UTF-8 flag: build one by swapping the name's
    # bytes for a placeholder of the same length (local header and central directory both hold it).
    gbk = "张三.lrmx".encode("gbk")
    placeholder = b"a" * (len(gbk) - 5) + b".lrmx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(placeholder.decode(), write_lrmx(Record(name="张三")))
    raw = buffer.getvalue().replace(placeholder, gbk)
    [result] = read_any([("旧.zip", raw)])
    assert result.filename == "旧.zip/张三.lrmx"
    assert result.parsed is not None and result.parsed.record.name == "张三"


def test_as_json_gives_the_photo_as_type_and_size() -> None:
    parsed = Parsed(
        Record(name="张三", photo=PHOTOS[2], family=(FamilyMember(name="李四"),)), "lrmx", ("注意",)
    )
    data = as_json(parsed)
    assert data["format"] == "lrmx" and data["warnings"] == ["注意"]
    assert data["record"]["photo"] == {"type": "png", "bytes": len(PHOTOS[2])}
    assert data["record"]["family"][0]["name"] == "李四"
    assert data["record"]["name"] == "张三"


def test_lrm_in_utf8_is_read_with_a_warning() -> None:
    lrm, _ = write_lrm(Record(name="张三丰", resume="2001.01--         某某县科员"))
    text = lrm.decode("gbk")
    for data in (b"\xef\xbb\xbf" + text.encode(), text.encode()):
        parsed = read_lrm(data)
        assert parsed.record.name == "张三丰"
        assert parsed.warnings == ("文件是 UTF-8 编码（.lrm 标准为 GBK 编码），已按 UTF-8 读取，请核对内容",)


def test_full_width_digits_in_resume_dates() -> None:
    assert parse_resume("１９９８．０９--２００２．０７  学习") == [ResumeLine("199809", "200207", "学习")]


def test_safe_name_avoids_device_names_and_overlong_names() -> None:
    from ganbu.interop.lrmx import safe_name

    assert safe_name("CON.lrmx") == "_CON.lrmx"
    assert safe_name("com1") == "_com1"
    assert safe_name("张" * 200 + ".lrmx") == "张" * 80 + ".lrmx"
    assert safe_name("a/./b/../c\x00.lrmx") == "a/b/c_.lrmx"
