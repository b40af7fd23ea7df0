"""Quirk fixtures (docs/lrmx.md §13), fictitious data: each quirk read into the normalized record."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from ganbu.interop.lrmx import (
    FamilyMember,
    Record,
    parse_party,
    parse_resume,
    read_any,
    read_lrm,
    read_lrmx,
    write_lrm,
    write_lrmx,
)

QUIRKS = Path(__file__).parent / "corpus" / "quirks"


def test_quirks_file_reads_every_quirk_normalized() -> None:
    data = (QUIRKS / "quirks.lrmx").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and "\u00a0".encode() in data
    parsed = read_lrmx(data)
    record = parsed.record
    assert record.name == "李某某"  # padding space removed
    assert record.id_number == "11010519491231002X"  # lower-case x, surrounding spaces
    assert record.native_place == "山东 乐陵"  # NBSP became a space
    assert record.birthplace == ""  # self-closing
    assert (record.health, record.professional_title) == ("健康", "")  # whitespace around / only
    assert (record.birth, record.work_start) == ("197503", "199708")  # YYYY.MM, YYYY-MM
    assert (record.calc_date, record.fill_date) == ("20240630", "20240630")  # YYYY.MM.DD, YYYYMMDD
    assert record.party == "1998.07；民建"  # composite kept as text …
    assert parse_party(record.party).cpc_date == "199807"  # … and parsed on demand
    assert (record.retirement_due, record.pre_reform_age_limit) == ("203512", "改革前任职年龄界限为60岁")
    assert record.rewards == "2015年获某某县优秀共产党员称号\n2018年获嘉奖"  # escaped <br/>
    assert record.resume.splitlines()[:2] == [  # <br/> markup, literal &#xD; + newline as one break
        "1993.09--1997.07  某某大学经济学院经济学专业学习",
        "1997.08——2003.05\t某某县财政局科员",
    ]
    assert [(e.start, e.end) for e in parse_resume(record.resume)] == [
        ("199309", "199707"),
        ("199708", "200305"),
        ("200305", "201105"),
        ("201105", ""),
    ]
    assert parse_resume(record.resume)[2].text.endswith("（其间：2005.09--2008.07在某某大学在职研究生学习）")
    assert record.family == (  # two JiaTingChengYuan, padded and self-closing Items skipped
        FamilyMember("妻子", "王某某", "197605", "中共党员", "某某县第一中学教师"),
        FamilyMember("父亲", "李某", "194802", "群众", "已去世"),
    )
    assert record.photo.startswith(b"\xff\xd8")  # wrapped base64
    assert record.extra == (("ZhengZhiMianMao", "中共党员"),)
    assert record.version == "3.2.1.6"
    assert parsed.warnings == ("文件中有本系统不认识的项目（ZhengZhiMianMao），已原样保留，导出时写回",)


def test_quirks_file_written_back_keeps_everything() -> None:
    record = read_lrmx((QUIRKS / "quirks.lrmx").read_bytes()).record
    again = write_lrmx(record, reform_fields=True)
    assert read_lrmx(again).record == record
    text = again.decode("utf-8-sig")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\r\n<Person>\r\n')
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    assert text.index("<ZhengZhiMianMao>") < text.index("<Version>3.2.1.6</Version>")  # extra before Version
    assert "<DaoLingNianYue>203512</DaoLingNianYue>" in text
    assert "DaoLingNianYue" not in write_lrmx(record).decode("utf-8-sig")


def test_unescaped_ampersand_and_less_than_are_recovered_with_a_warning() -> None:
    parsed = read_lrmx((QUIRKS / "unescaped_amp_lt.lrmx").read_bytes())
    assert parsed.record.name == "周某"
    assert parsed.record.resume.splitlines() == [
        "2001.09--2005.07  某某学院计算机科学&技术专业学习",
        "2005.07--         某某县科技局科员(工资<3000)",
    ]
    assert parsed.warnings == ("文件中有未转义的特殊字符（& 或 <），已按容错方式读取，请核对内容",)


def test_filled_lrm_with_pic() -> None:
    lrm = (QUIRKS / "filled.lrm").read_bytes()
    pic = (QUIRKS / "filled.pic").read_bytes()
    parsed = read_lrm(lrm, pic)
    record = parsed.record
    assert parsed.format == "lrm" and parsed.warnings == ()
    assert (record.name, record.gender, record.birth, record.ethnicity) == ("陈某某", "女", "198011", "回族")
    assert (record.party, record.work_start, record.health) == ("200106", "200207", "健康")
    assert (record.ft_education, record.ft_degree, record.ip_education, record.ip_degree) == (
        "大学",
        "管理学学士",
        "中央党校研究生",
        "",
    )
    assert (record.ft_education_school, record.ft_degree_school) == (
        "某某大学管理学院行政管理专业",
        "某某大学",
    )
    assert record.ip_education_school == "中央党校经济管理专业"
    assert record.professional_title == "经济师" and record.specialty == "公共管理"
    assert (
        record.resume
        == "1998.09--2002.07  某某大学管理学院行政管理专业学习\n2002.07--         某某县民政局科员"
    )
    assert record.family == (
        FamilyMember("丈夫", "张某", "197902", "中共党员", "某某县水利局干部"),
        FamilyMember("女儿", "张某某", "200805", "群众", "某某县第二中学学生"),
    )
    assert (record.current_post, record.proposed_post, record.reason) == (
        "某某县民政局科员",
        "某某县民政局副局长",
        "工作需要",
    )
    assert (record.submitting_unit, record.calc_date, record.filled_by, record.fill_date) == (
        "中共某某县委组织部",
        "20240701",
        "孙某",
        "20240701",
    )
    assert record.photo == pic
    # written back: GBK, 33 fields, family padded to 7 slots, fields 12–15 empty
    again, again_pic = write_lrm(record)
    fields = again.decode("gbk")[1:-1].split('","')
    assert len(fields) == 33 and fields[12:16] == ["", "", "", ""]
    assert fields[20] == "丈夫@女儿@@@@@" and again_pic == pic
    assert read_lrm(again, again_pic).record == record


def test_read_any_pairs_lrm_with_its_pic_in_a_zip_and_ignores_mac_junk() -> None:
    from ganbu.interop.tests.lrmx_hostile_files import zip_of

    lrm = (QUIRKS / "filled.lrm").read_bytes()
    pic = (QUIRKS / "filled.pic").read_bytes()
    lrmx = (QUIRKS / "quirks.lrmx").read_bytes()
    archive = zip_of(
        [
            ("批次/陈某某.lrm", lrm),
            ("批次/陈某某.PIC", pic),
            ("批次/李某某.lrmx", lrmx),
            ("__MACOSX/批次/._李某某.lrmx", b"junk"),
            ("批次/.DS_Store", b"junk"),
        ]
    )
    results = read_any([("批次.zip", archive), ("王五.lrm", lrm), ("王五.jpg", pic), ("孤单.pic", pic)])
    by_name = {r.filename: r for r in results}
    assert set(by_name) == {"批次.zip/批次/陈某某.lrm", "批次.zip/批次/李某某.lrmx", "王五.lrm", "孤单.pic"}
    paired = by_name["批次.zip/批次/陈某某.lrm"]
    assert paired.parsed is not None and paired.parsed.record.photo == pic and paired.pic == pic
    assert by_name["王五.lrm"].parsed is not None and by_name["王五.lrm"].parsed.record.photo == pic
    assert by_name["批次.zip/批次/李某某.lrmx"].data == lrmx
    assert by_name["孤单.pic"].error == "照片文件没有同名的 .lrm 文件，未导入"


def test_png_with_alpha_is_accepted_as_it_is() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 50), (10, 20, 30, 0)).save(buffer, "PNG")
    record = Record(name="张三", photo=buffer.getvalue(), version="3.2.1.16")
    assert read_lrmx(write_lrmx(record)).record.photo == buffer.getvalue()


def test_declared_gbk_and_utf16_with_bom_are_read() -> None:
    xml = '<?xml version="1.0" encoding="{}"?>\r\n<Person><XingMing>张三</XingMing></Person>'
    assert read_lrmx(xml.format("gb2312").encode("gbk")).record.name == "张三"
    assert read_lrmx(xml.format("GBK").encode("gbk")).record.name == "张三"
    assert read_lrmx(xml.format("utf-16").encode("utf-16")).record.name == "张三"  # with its BOM
    assert read_lrmx(xml.format("UTF-8").encode("utf-8")).record.name == "张三"


def test_br_markup_inside_a_text_is_a_line_break() -> None:
    text = "2015年嘉奖<br/>2018年记三等功<br>2019年嘉奖"
    parsed = read_lrmx(f"<Person><JiangChengQingKuang>{text}</JiangChengQingKuang></Person>".encode())
    assert parsed.record.rewards == "2015年嘉奖\n2018年记三等功\n2019年嘉奖"
