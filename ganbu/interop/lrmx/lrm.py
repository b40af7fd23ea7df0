"""The legacy ``.lrm`` (任免审批表 2.0) record and its ``.pic`` photo (docs/lrmx.md §8, §13 quirk 11).

A ``.lrm`` is one GBK text record of 33 double-quoted fields joined by ``","`` (split on the three
characters, never on a bare comma). Fields 9 and 10 hold the four education values as
``全日制#全日制@在职#在职``; fields 20–24 hold the family as parallel ``@``-joined lists (writers pad them
to 7 slots); fields 12–15 are unknown and always empty (ignored on reading, written empty).

What ``.lrm`` cannot carry: 身份证号, the ``Version``, unknown (extra) elements, and the reform-era
fields 到龄年月 / 改革前任职年龄界限; the photo travels in the sibling ``.pic`` file (raw image bytes).

Writing: the text is encoded in GBK, as every reader expects. A character GBK cannot encode (some rare
name characters are only in GB 18030 or Unicode), an ASCII double quote ``"`` inside a value (it would
end the field), or a ``#``/``@`` inside an education or family value would corrupt the
record; :func:`write_lrm` refuses them with a :class:`FileRefused` naming the field and the character
(export ``.lrmx`` instead), rather than silently replacing them.
Reading decodes as GB 18030 (a superset of GBK and GB 2312).
"""

from __future__ import annotations

from .errors import FileRefused
from .limits import FAMILY_MAX, MAX_FILE_BYTES
from .photo import check_photo
from .record import LABELS, FamilyMember, Parsed, Record
from .text import clean_text, normalize_member, normalize_value

__all__ = ["LRM_FIELDS", "read_lrm", "write_lrm"]

LRM_FIELDS = 33
_FAMILY_SLOTS = 7
# Index → record attribute for the plain fields (§8); 9, 10 and 20–24 are composite, 12–15 unknown.
_PLAIN: dict[int, str] = {
    0: "name",
    1: "gender",
    2: "birth",
    3: "ethnicity",
    4: "native_place",
    5: "party",
    6: "health",
    7: "birthplace",
    8: "work_start",
    11: "professional_title",
    16: "specialty",
    17: "resume",
    18: "rewards",
    19: "assessments",
    25: "current_post",
    26: "proposed_post",
    27: "proposed_removal",
    28: "reason",
    29: "submitting_unit",
    30: "calc_date",
    31: "filled_by",
    32: "fill_date",
}
_EDUCATION = {
    9: (("ft_education", "ft_degree"), ("ip_education", "ip_degree")),
    10: (("ft_education_school", "ft_degree_school"), ("ip_education_school", "ip_degree_school")),
}
_FAMILY = {20: "relation", 21: "name", 22: "birth", 23: "political_status", 24: "work_unit_post"}
_FAMILY_LABELS = {"relation": "称谓", "name": "姓名", "birth": "出生年月", "political_status": "政治面貌"}
_FAMILY_LABELS["work_unit_post"] = "工作单位及职务"
CARRIED = tuple(sorted(set(_PLAIN.values()) | {a for p in _EDUCATION.values() for q in p for a in q}))
"""Record attributes a ``.lrm`` carries, besides ``family`` and (through the ``.pic``) ``photo``."""


_UTF8 = "文件是 UTF-8 编码（.lrm 标准为 GBK 编码），已按 UTF-8 读取，请核对内容"


def _decode(data: bytes, warnings: list[str]) -> str:
    """GBK first (GB 18030 decoding, which every GBK file passes); UTF-8 only with a BOM or when the
    bytes are not GBK at all, with a warning (a GBK text is never re-read as UTF-8: "联通" is valid both)."""
    if data[:3] == b"\xef\xbb\xbf":
        warnings.append(_UTF8)
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise FileRefused(
                "文件不是 GBK 编码的 .lrm 文件（内容无法按 GBK 解码）", detail=str(exc)
            ) from exc
        warnings.append(_UTF8)
        return text


def _split_fields(data: bytes, warnings: list[str]) -> list[str]:
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"文件过大（{len(data) / 1024 / 1024:.1f} MB），单个任免审批表文件不能超过 10 MB")
    text = _decode(data, warnings).strip()
    if not text:
        raise FileRefused("文件是空的")
    if text.startswith("<"):
        raise FileRefused("文件是 XML 格式，看起来是 .lrmx 文件，请按 .lrmx 文件导入")
    if not (text.startswith('"') and text.endswith('"')):
        raise FileRefused("文件不是 .lrm（任免审批表 2.0）格式：内容应以双引号开始和结束")
    parts = text[1:-1].split('","')
    if len(parts) < LRM_FIELDS:
        raise FileRefused(f"文件不是完整的 .lrm 文件：应有 {LRM_FIELDS} 项，只有 {len(parts)} 项")
    return parts


def read_lrm(data: bytes, pic: bytes | None = None) -> Parsed:
    """Read a ``.lrm`` record and, if given, its ``.pic`` photo (checked by :func:`check_photo`)."""
    warnings: list[str] = []
    parts = _split_fields(data, warnings)
    if len(parts) > LRM_FIELDS:
        warnings.append(f".lrm 文件有 {len(parts)} 项，多于 {LRM_FIELDS} 项，多出的内容已忽略")
    values = {attr: normalize_value(attr, parts[i], warnings) for i, attr in _PLAIN.items()}
    for index, ((ft_a, ft_b), (ip_a, ip_b)) in _EDUCATION.items():
        full_time, _, in_service = parts[index].partition("@")
        for (first, second), text in (((ft_a, ft_b), full_time), ((ip_a, ip_b), in_service)):
            a, _, b = text.partition("#")
            values[first] = clean_text(a)
            values[second] = clean_text(b)
    columns = {attr: parts[i].split("@") for i, attr in _FAMILY.items()}
    rows = max(len(c) for c in columns.values())
    if rows > FAMILY_MAX * 4:
        raise FileRefused(f"家庭成员栏有 {rows} 项，文件内容异常，未予读取")
    members = []
    for row in range(rows):
        cells = {attr: (col[row] if row < len(col) else "") for attr, col in columns.items()}
        member = normalize_member(FamilyMember(**cells), warnings)
        if not member.is_empty():
            members.append(member)
    if len(members) > FAMILY_MAX:
        raise FileRefused(f"家庭成员有 {len(members)} 人，超过 {FAMILY_MAX} 人，文件内容异常，未予读取")
    photo = pic or b""
    if photo:
        check_photo(photo)
    record = Record(**values, family=tuple(members), photo=photo, extra=())
    return Parsed(record=record, format="lrm", warnings=tuple(dict.fromkeys(warnings)))


def _check(label: str, value: str, forbidden: tuple[str, ...]) -> str:
    for mark in forbidden:
        if mark in value:
            raise FileRefused(f"{label}中含有“{mark}”，.lrm 格式无法保存，请改用 .lrmx 格式导出")
    try:
        value.encode("gbk")
    except UnicodeEncodeError as exc:
        char = value[exc.start]
        raise FileRefused(
            f"{label}中的“{char}”字无法用 GBK 编码写入 .lrm 文件，请改用 .lrmx 格式导出",
            detail=f"U+{ord(char):04X}",
        ) from exc
    return value.replace("\r\n", "\n").replace("\n", "\r\n")


def write_lrm(record: Record) -> tuple[bytes, bytes]:
    """The ``.lrm`` bytes (GBK) and the ``.pic`` bytes (the photo as it is; empty when there is none)."""
    parts = [""] * LRM_FIELDS
    sep = ('"',)
    for index, attr in _PLAIN.items():
        parts[index] = _check(LABELS[attr], getattr(record, attr), sep)
    for index, ((ft_a, ft_b), (ip_a, ip_b)) in _EDUCATION.items():
        values = [_check(LABELS[a], getattr(record, a), (*sep, "#", "@")) for a in (ft_a, ft_b, ip_a, ip_b)]
        parts[index] = f"{values[0]}#{values[1]}@{values[2]}#{values[3]}"
    members = [m for m in record.family if not m.is_empty()]
    slots = max(_FAMILY_SLOTS, len(members))
    for index, attr in _FAMILY.items():
        label = f"家庭成员{_FAMILY_LABELS[attr]}"
        cells = [_check(label, getattr(m, attr), (*sep, "@", "\n")) for m in members]
        parts[index] = "@".join(cells + [""] * (slots - len(cells)))
    text = '"' + '","'.join(parts) + '"'
    return text.encode("gbk"), record.photo
