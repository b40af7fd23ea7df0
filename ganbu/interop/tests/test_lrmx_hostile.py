"""The corpus of hostile and broken files (issue 12 §6): each is refused with a clear Chinese message.

Small files are committed in ``corpus/hostile`` (made by ``corpus/make_corpus.py``); large ones are
generated here (``lrmx_hostile_files``). Every refusal is a :class:`FileRefused` (never another
exception), and ``read_any`` reports it for the file without raising.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ganbu.interop.lrmx import (
    FileRefused,
    Record,
    check_photo,
    read_any,
    read_lrm,
    read_lrmx,
    write_lrm,
    write_lrmx,
)
from ganbu.interop.lrmx.limits import MAX_FILE_BYTES
from ganbu.interop.tests.lrmx_hostile_files import bomb_png, lrmx_with_photo, zip_bomb, zip_of

HOSTILE = Path(__file__).parent / "corpus" / "hostile"
UNSAFE = "文件含有文档类型定义或实体声明（DOCTYPE/ENTITY），任免审批表不应含有，出于安全原因不予读取"
EXPECTED = {
    "xxe_file.lrmx": UNSAFE,
    "xxe_external_dtd.lrmx": UNSAFE,
    "xxe_parameter_entity.lrmx": UNSAFE,
    "billion_laughs.lrmx": UNSAFE,
    "truncated.lrmx": "文件内容不完整（XML 在第 5 行中断）",
    "gbk_labelled_utf8.lrmx": (
        "文件声明为 UTF-8 编码，但内容不是有效的 UTF-8（可能是 GBK 编码的 .lrm 文件被改了扩展名）"
    ),
    "wrong_root_html.lrmx": "文件不是任免审批表：根元素是 <html>，应为 <Person>",
    "empty.lrmx": "文件是空的",
    "not_xml.lrmx": "文件不是 XML 格式的任免审批表",
    "photo_not_an_image.lrmx": "照片不是有效的图片（无法识别或内容已损坏）",
    "photo_bad_base64.lrmx": "照片内容不是有效的 Base64 编码，无法读取照片",
}


def refusal(data: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        read_lrmx(data)
    return refused.value.message


def test_every_committed_hostile_file_has_an_expectation() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_in_chinese(name: str) -> None:
    data = (HOSTILE / name).read_bytes()
    assert refusal(data) == EXPECTED[name]
    [result] = read_any([(name, data)])
    assert (result.parsed, result.error) == (None, EXPECTED[name])


def test_xxe_never_reads_the_file() -> None:
    # Even past the DOCTYPE refusal, the text of /etc/passwd must not appear anywhere.
    data = (HOSTILE / "xxe_file.lrmx").read_bytes()
    [result] = read_any([("x.lrmx", data)])
    assert "root:" not in result.error and result.parsed is None


def test_undeclared_entity_without_doctype_stays_literal_text() -> None:
    parsed = read_lrmx(b"<Person><XingMing>&xxe;</XingMing></Person>")
    assert parsed.record.name == "&xxe;"
    assert parsed.warnings == ("文件中有未转义的特殊字符（& 或 <），已按容错方式读取，请核对内容",)


def test_thirty_megabyte_photo_is_refused_before_parsing() -> None:
    data = lrmx_with_photo(b"\xff\xd8\xff" + b"\x00" * (30 * 1024 * 1024))
    assert len(data) > MAX_FILE_BYTES
    assert refusal(data) == "文件过大（40.0 MB），单个任免审批表文件不能超过 10.0 MB"


def test_photo_over_the_photo_limit_is_refused() -> None:
    big = lrmx_with_photo(b"\xff\xd8\xff" + b"\x00" * (3 * 1024 * 1024))
    assert refusal(big) == "照片过大（3.0 MB），照片不能超过 2.0 MB"


def test_decompression_bomb_png_is_refused_without_decoding() -> None:
    assert refusal(lrmx_with_photo(bomb_png())) == "照片尺寸异常，可能是恶意构造的图片，未予读取"
    with pytest.raises(FileRefused) as refused:
        check_photo(bomb_png(6000, 6000))  # above our pixel limit, below Pillow's own
    assert refused.value.message == "照片尺寸异常（6000×6000 像素），可能是恶意构造的图片，未予读取"


def test_photo_of_another_image_type_is_refused() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 5)).save(buffer, "GIF")
    with pytest.raises(FileRefused) as refused:
        check_photo(buffer.getvalue())
    assert refused.value.message == "照片不是 JPEG 或 PNG 图片（是 GIF 格式）"


def test_pic_that_is_not_an_image_is_refused() -> None:
    lrm, _ = write_lrm(Record(name="张三"))
    with pytest.raises(FileRefused) as refused:
        read_lrm(lrm, b"MZ\x90\x00 not a photo")
    assert refused.value.message == "照片不是有效的图片（无法识别或内容已损坏）"


def test_zip_bomb_is_refused_whole() -> None:
    [result] = read_any([("批量.zip", zip_bomb())])
    assert result.filename == "批量.zip" and result.parsed is None
    assert result.error.startswith("压缩包中的文件（张三.lrmx）压缩比异常（")
    assert result.error.endswith("倍），可能是“压缩炸弹”，未予读取")


@pytest.mark.parametrize(
    "evil", ["../../etc/cron.d/张三.lrmx", "/etc/张三.lrmx", "C:/Windows/张三.lrmx", "a\\..\\..\\b.lrmx"]
)
def test_zip_with_path_traversal_is_refused_whole(evil: str) -> None:
    good = write_lrmx(Record(name="李四"))
    [result] = read_any([("批量.zip", zip_of([("李四.lrmx", good), (evil, good)]))])
    assert result.parsed is None
    assert result.error.startswith("压缩包中有不安全的文件路径（")
    assert result.error.endswith("），可能是恶意构造的压缩包，未予读取")


def test_zip_with_too_many_entries_is_refused() -> None:
    archive = zip_of([(f"{i}.lrmx", b"") for i in range(5001)])
    [result] = read_any([("多.zip", archive)])
    assert result.error == "压缩包中文件过多（5001 个），一个压缩包不能超过 5000 个文件"


def test_broken_zip_is_refused() -> None:
    [result] = read_any([("坏.zip", b"PK\x03\x04 broken")])
    assert result.error == "压缩包已损坏，或不是 zip 格式的压缩包"


VALID = write_lrmx(
    Record(name="张三", resume="2001.09--2005.07  某某大学学习\n2005.07--         科员", version="3.2.1.6")
)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(VALID)), st.binary(max_size=8), st.integers(0, len(VALID)))
def test_damaged_files_raise_nothing_but_file_refused(cut: int, noise: bytes, at: int) -> None:
    """Truncations and byte garbage of a valid file: a record or a FileRefused, never another error."""
    for data in (VALID[:cut], VALID[:at] + noise + VALID[at:]):
        try:
            read_lrmx(data)
        except FileRefused as refused:
            assert refused.message and refused.message.isascii() is False
        try:
            read_lrm(data)
        except FileRefused as refused:
            assert refused.message


def test_deeply_nested_elements_are_refused() -> None:
    data = b"<Person>" + b"<a>" * 5000 + b"x" + b"</a>" * 5000 + b"</Person>"
    assert refusal(data).startswith("文件不是有效的 XML（第 1 行格式错误）")


def test_flood_of_family_rows_is_refused() -> None:
    item = "<Item><XingMing>某</XingMing></Item>".encode()
    data = b"<Person><JiaTingChengYuan>" + item * 51 + b"</JiaTingChengYuan></Person>"
    assert refusal(data) == "家庭成员有 51 人，超过 50 人，文件内容异常，未予读取"


def test_flood_of_unknown_elements_is_refused() -> None:
    data = b"<Person>" + b"<Unknown>x</Unknown>" * 101 + b"</Person>"
    assert refusal(data) == "文件中有 101 个本系统不认识的项目，超过 100 个，文件内容异常，未予读取"


GOOD_ZIP = zip_of([("张三.lrmx", VALID), ("李四.lrmx", VALID)])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(GOOD_ZIP)), st.binary(min_size=1, max_size=16), st.integers(0, len(GOOD_ZIP)))
def test_damaged_zips_never_raise(cut: int, noise: bytes, at: int) -> None:
    """A truncated or garbled archive gives one result per file or archive, each a record or an error."""
    for data in (GOOD_ZIP[:cut], GOOD_ZIP[:at] + noise + GOOD_ZIP[at + len(noise) :]):
        for result in read_any([("批量.zip", data)]):
            assert (result.parsed is None) == bool(result.error)


@settings(max_examples=150, deadline=None)
@given(st.text("&<>;#x某aB/!?- \n", max_size=30))
def test_unescaped_markup_characters_in_a_text_never_raise_another_error(raw: str) -> None:
    """Broken exporters' texts (§13 quirk 10): repaired with a warning, or refused in Chinese."""
    data = f"<Person><XingMing>张三</XingMing><JianLi>{raw}</JianLi></Person>".encode()
    try:
        parsed = read_lrmx(data)
    except FileRefused as refused:
        assert refused.message.startswith(("文件不是", "文件内容不完整", "文件含有"))
    else:
        assert parsed.record.name in {"张三", ""}
