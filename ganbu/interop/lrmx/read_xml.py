"""Reading a ``.lrmx`` (任免审批表 3.x XML) file: bytes → :class:`~ganbu.interop.lrmx.record.Parsed`.

Tolerant of every quirk of docs/lrmx.md §13, strict about safety:

- the size is checked before anything else (:data:`~ganbu.interop.lrmx.limits.MAX_FILE_BYTES`);
- the bytes must be valid in the declared encoding (UTF-8 by default; a UTF-8 or UTF-16 BOM is honoured,
  a ``gb2312``/``gbk``/``gb18030`` declaration too); a GBK ``.lrm``-style file labelled UTF-8 is refused;
- a ``<!DOCTYPE`` or ``<!ENTITY`` anywhere refuses the file (no DTD, no entity, no external reference:
  XXE and billion laughs never reach the parser), and lxml runs with ``resolve_entities=False``,
  ``no_network=True``, ``load_dtd=False``;
- malformed XML from exporters that do not escape (§5, §13 quirk 10: a bare ``&`` or ``<`` in a text)
  is repaired (the stray character escaped), then lxml's recovering parser is the last resort, and the
  result carries a Chinese warning; a truncated file is never "recovered": it is refused;
- elements are looked up by name in any order (§3), whitespace-only and self-closing elements are
  empty, duplicated elements keep the first value, unknown elements are kept in ``record.extra``,
  every ``JiaTingChengYuan`` is read and all-empty ``Item`` rows are skipped (§7), ``<br/>`` inside a
  text (as markup or escaped) is a line break (§5);
- more than :data:`FAMILY_MAX` family members or :data:`EXTRA_MAX` unknown elements refuse the file
  (flooding), and libxml2's own limits (nesting depth 256, no huge text nodes) stay on.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .errors import FileRefused
from .limits import EXTRA_MAX, FAMILY_MAX, MAX_FILE_BYTES
from .photo import check_photo, decode_photo
from .record import ELEMENTS, FAMILY_ELEMENTS, FamilyMember, Parsed, Record
from .text import clean_text, normalize_member, normalize_value

__all__ = ["read_lrmx"]

_ATTR = {element: attr for element, attr, _ in ELEMENTS if element != "JiaTingChengYuan"}
_MEMBER_ATTR = {element: attr for element, attr, _ in FAMILY_ELEMENTS}
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_GB = ("gb2312", "gbk", "gb18030", "gb_2312", "cp936", "x-gbk")
_STRAY_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")
_STRAY_LT = re.compile(r"<(?![A-Za-z_/!?])")
_OPEN_BR = re.compile(r"<br\s*>", re.IGNORECASE)
_ERR_TAG_NOT_FINISHED = 77
_ERR_DOCUMENT_EMPTY = 4
_TOO_BIG = "文件过大（{size}），单个任免审批表文件不能超过 {limit}"
_RECOVERED = "文件中有未转义的特殊字符（& 或 <），已按容错方式读取，请核对内容"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(data: bytes) -> None:
    """Refuse a file above :data:`MAX_FILE_BYTES` before reading it."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(_TOO_BIG.format(size=_mb(len(data)), limit=_mb(MAX_FILE_BYTES)))


def _parser(*, recover: bool = False) -> Any:
    return etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        recover=recover,
    )


def _decode(data: bytes) -> tuple[bytes, str]:
    """The document as UTF-8 bytes without BOM (what lxml is given) and as text (for the safety checks)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused("文件声明为 UTF-16 编码，但内容不是有效的 UTF-16", detail=str(exc)) from exc
        return text.encode("utf-8"), text
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    declared = _DECLARED.match(data[:200])
    encoding = declared[1].decode("ascii").lower() if declared else "utf-8"
    if encoding in _GB:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileRefused("文件声明为 GBK 编码，但内容不是有效的 GBK 文本", detail=str(exc)) from exc
        return text.encode("utf-8"), text
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "文件声明为 UTF-8 编码，但内容不是有效的 UTF-8（可能是 GBK 编码的 .lrm 文件被改了扩展名）",
            detail=str(exc),
        ) from exc


def _refuse_unsafe(payload: bytes) -> None:
    if b"<!DOCTYPE" in payload or b"<!ENTITY" in payload or b"<!doctype" in payload:
        raise FileRefused(
            "文件含有文档类型定义或实体声明（DOCTYPE/ENTITY），任免审批表不应含有，出于安全原因不予读取",
            detail="DOCTYPE refused",
        )


def _parse(payload: bytes, text: str, warnings: list[str]) -> Any:
    """The root element; strict first, then the repairs of §13 quirk 10, never for a truncated file."""
    parser = _parser()
    try:
        return etree.fromstring(payload, parser)
    except etree.XMLSyntaxError as exc:
        errors = list(parser.error_log) or [exc]
    first = errors[0]
    line = getattr(first, "line", None) or getattr(first, "lineno", 0) or 0
    types = {getattr(e, "type", None) for e in errors}
    if _ERR_DOCUMENT_EMPTY in types:
        raise FileRefused("文件不是 XML 格式的任免审批表", detail=str(getattr(first, "message", first)))
    if _ERR_TAG_NOT_FINISHED in types or not text.rstrip().endswith(">"):
        lines = text.rstrip().count("\n") + 1
        message = str(getattr(first, "message", ""))
        raise FileRefused(f"文件内容不完整（XML 在第 {lines} 行中断）", detail=message)
    repaired = _STRAY_AMP.sub("&amp;", text.replace("&nbsp;", "\xa0"))
    repaired = _OPEN_BR.sub("<br/>", _STRAY_LT.sub("&lt;", repaired))
    if repaired != text:
        try:
            root = etree.fromstring(repaired.encode("utf-8"), _parser())
        except etree.XMLSyntaxError:
            try:
                root = etree.fromstring(repaired.encode("utf-8"), _parser(recover=True))
            except etree.XMLSyntaxError:
                root = None
        if root is not None:
            warnings.append(_RECOVERED)
            return root
    raise FileRefused(
        f"文件不是有效的 XML（第 {line} 行格式错误）", detail=str(getattr(first, "message", first))
    )


def _text_of(element: Any) -> str:
    """An element's text; child ``<br/>`` elements are line breaks, other markup is flattened."""
    if len(element) == 0:
        text = element.text
        return text if text is not None else ""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag.rpartition("}")[2].lower() == "br":
            parts.append("\n")
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _family(container: Any, warnings: list[str]) -> list[FamilyMember]:
    members = []
    for item in container:
        if not isinstance(item.tag, str):
            continue
        values: dict[str, str] = {}
        for cell in item:
            if isinstance(cell.tag, str):
                attr = _MEMBER_ATTR.get(cell.tag.rpartition("}")[2])
                if attr is not None and attr not in values:
                    values[attr] = _text_of(cell)
        member = normalize_member(FamilyMember(**values), warnings)
        if not member.is_empty():
            members.append(member)
    return members


def read_lrmx(data: bytes) -> Parsed:
    """Read one ``.lrmx`` file; :class:`FileRefused` (Chinese message) when it cannot be taken."""
    check_size(data)
    if not data or data.isspace():
        raise FileRefused("文件是空的")
    payload, text = _decode(data)
    _refuse_unsafe(payload)
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        if head.startswith('"'):
            raise FileRefused("文件不是 XML 格式，看起来是 .lrm（任免审批表 2.0）文件，请按 .lrm 文件导入")
        raise FileRefused("文件不是 XML 格式的任免审批表")
    warnings: list[str] = []
    root = _parse(payload, text, warnings)
    tag = root.tag.rpartition("}")[2] if isinstance(root.tag, str) else "?"
    if tag != "Person":
        raise FileRefused(f"文件不是任免审批表：根元素是 <{tag}>，应为 <Person>")
    values: dict[str, str] = {}
    family: list[FamilyMember] = []
    extra: list[tuple[str, str]] = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        name = child.tag.rpartition("}")[2]
        if name == "JiaTingChengYuan":
            family.extend(_family(child, warnings))
            continue
        attr = _ATTR.get(name)
        if attr is None:
            extra.append((name, clean_text(_text_of(child))))
            continue
        raw = _text_of(child)
        if attr in values:
            if raw.strip() and not values[attr].strip():
                values[attr] = raw
            elif raw.strip() and clean_text(raw) != clean_text(values[attr]):
                warnings.append(f"文件中“{name}”出现了不止一次，已取第一个")
            continue
        values[attr] = raw
    if len(family) > FAMILY_MAX:
        raise FileRefused(f"家庭成员有 {len(family)} 人，超过 {FAMILY_MAX} 人，文件内容异常，未予读取")
    if len(extra) > EXTRA_MAX:
        raise FileRefused(
            f"文件中有 {len(extra)} 个本系统不认识的项目，超过 {EXTRA_MAX} 个，文件内容异常，未予读取"
        )
    photo = decode_photo(values.pop("photo", ""))
    if photo:
        check_photo(photo)
    fields = {attr: normalize_value(attr, raw, warnings) for attr, raw in values.items()}
    if extra:
        names = "、".join(dict.fromkeys(name for name, _ in extra))
        warnings.append(f"文件中有本系统不认识的项目（{names}），已原样保留，导出时写回")
    record = Record(**fields, family=tuple(family), photo=photo, extra=tuple(extra))
    return Parsed(record=record, format="lrmx", warnings=tuple(dict.fromkeys(warnings)))
