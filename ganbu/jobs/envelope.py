"""The envelope of an uploaded .xlsx, checked before openpyxl sees it (the upload's request does this).

Moved from ``ganbu.campaigns.excel.check_file`` so that every Excel import (scores, cadres) refuses
a zip or shared-strings bomb the same way, in about 20 ms and 0.1 MB. Each import passes its own
limits and the words of its messages; the defaults are the score import's (decision 0012).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from ganbu.core.errors import ServiceError

_XLSX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_READ_CHUNK = 64 * 1024

MSG_TOO_LARGE = "文件 {size} 超过 {limit} 的上限，请分成几个文件导入。"
MSG_NOT_XLSX = (
    "文件不是 Excel 工作簿（.xlsx）。旧版 .xls、CSV、WPS 表格（.et）、启用宏的 .xlsm 或设置了打开密码的文件，"
    "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再上传。"
)
MSG_BROKEN = "文件无法作为 Excel 工作簿打开（已损坏或不完整），请在 Excel 或 WPS 中打开并重新保存后再上传。"
MSG_UNPACKED = "文件解压后超过 {limit} 的上限，不是一张{what}，已拒绝。"
MSG_SHARED_STRINGS = "文件中不同的文字超过 {limit} 条的上限，不是一张{what}，已拒绝。"


@dataclass(frozen=True)
class Limits:
    """The limits of one kind of sheet, and what it is called in messages (“成绩表”, “干部信息表”)."""

    max_bytes: int = 10 * 1024 * 1024
    max_members: int = 1000
    max_unpacked: int = 50 * 1024 * 1024
    max_shared_strings: int = 200_000
    what: str = "成绩表"
    msg_too_large: str = ""
    """The message of a file too large, with ``{size}``; by default made from the limit."""
    msg_unpacked: str = ""
    msg_shared_strings: str = ""

    def too_large(self, size: int) -> str:
        """The message of a file of ``size`` bytes over ``max_bytes``."""
        template = self.msg_too_large or MSG_TOO_LARGE.replace("{limit}", _mb(self.max_bytes))
        return template.format(size=size_text(size))

    def unpacked(self) -> str:
        """The message of an archive unpacking to more than ``max_unpacked``."""
        return self.msg_unpacked or MSG_UNPACKED.format(limit=_mb(self.max_unpacked), what=self.what)

    def shared_strings(self) -> str:
        """The message of a sheet with more than ``max_shared_strings`` distinct strings."""
        return self.msg_shared_strings or MSG_SHARED_STRINGS.format(
            limit=self.max_shared_strings, what=self.what
        )


def size_text(size: int) -> str:
    """A file size for messages."""
    return f"{size / 1024 / 1024:.1f} MB"


def _mb(size: int) -> str:
    """A limit in whole MB for messages."""
    return f"{size // (1024 * 1024)} MB"


def check_xlsx(data: bytes, limits: Limits | None = None) -> None:
    """Refuse a file too large, not an .xlsx archive, or a zip or strings bomb (``ServiceError`` on ``file``).

    Only the archive's directory is read for the sizes (``zipfile`` never returns more than a
    member's declared size, so openpyxl cannot be fed more than was checked); the shared-strings
    part is then streamed through expat and its strings counted, stopping at the limit. Neither
    step holds more than one 64 KB chunk of the unpacked file.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ServiceError({"file": [limits.too_large(len(data))]})
    if not data.startswith(b"PK\x03\x04"):
        raise ServiceError({"file": [MSG_NOT_XLSX]})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise ServiceError({"file": [MSG_NOT_XLSX]})
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ServiceError({"file": [MSG_NOT_XLSX]})
            if sum(i.file_size for i in infos) > limits.max_unpacked:
                raise ServiceError({"file": [limits.unpacked()]})
            types = archive.getinfo("[Content_Types].xml")
            manifest = archive.read(types) if types.file_size <= 1024 * 1024 else b""
            if _XLSX_MAIN_PART not in manifest:
                raise ServiceError({"file": [MSG_NOT_XLSX]})
            for name in _shared_strings_parts(manifest, names):
                with archive.open(name) as stream:
                    _count_shared_strings(stream, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError):
        raise ServiceError({"file": [MSG_BROKEN]}) from None


def _shared_strings_parts(manifest: bytes, names: set[str]) -> set[str]:
    """The archive's shared-strings parts: those the content types declare, and any named so."""
    parts = {n for n in names if n.lower().endswith("sharedstrings.xml")}
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.endswith(" Override") and attrs.get("ContentType") == _SHARED_STRINGS_TYPE:
            parts.add(attrs.get("PartName", "").lstrip("/"))

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _no_doctype
    try:
        parser.Parse(manifest, True)
    except expat.ExpatError:
        raise ServiceError({"file": [MSG_BROKEN]}) from None
    return parts & names


def _no_doctype(*args: Any) -> None:
    """A workbook's parts have no DTD: one is refused (no entities can be declared or expanded)."""
    raise ServiceError({"file": [MSG_BROKEN]})


def _count_shared_strings(stream: Any, limits: Limits) -> None:
    """Stream a shared-strings part: refuse it when it declares or holds more strings than the limit.

    The root's ``uniqueCount`` is checked first (an honest bomb is refused after one chunk); the
    ``<si>`` elements are counted too, since the attribute is optional and may lie.
    """
    limit = limits.max_shared_strings
    message = limits.shared_strings()
    count = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal count
        local = tag.rsplit(" ", 1)[-1]
        if local == "si":
            count += 1
            if count > limit:
                raise ServiceError({"file": [message]})
        elif local == "sst":
            declared = attrs.get("uniqueCount", "")
            if declared.isdigit() and int(declared) > limit:
                raise ServiceError({"file": [message]})

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    try:
        while chunk := stream.read(_READ_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ServiceError({"file": [MSG_BROKEN]}) from None
