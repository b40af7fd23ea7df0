"""Many files at once: ``.zip`` expansion with limits, ``.lrm``/``.pic`` pairing, and ``.zip`` writing.

:func:`read_any` takes what an officer uploads or names on the command line (``.lrmx``, ``.xml``,
``.lrm`` with its ``.pic``/``.jpg``, ``.zip`` of any of these; docs/lrmx.md §2 "Batches") and returns one
:class:`FileResult` per person file, never raising for one bad file. A ``.zip`` is expanded in memory
(never onto disk) within the limits of :mod:`~ganbu.interop.lrmx.limits`: the archive's size, the count
of entries, each entry's size, the total uncompressed size and the compression ratio (a zip bomb is
refused whole). An entry whose path is absolute or climbs with ``..`` refuses the archive whole (a
crafted archive). ``__MACOSX/``, ``._*`` resource forks, ``.DS_Store``, ``Thumbs.db`` and directories
are skipped; archives inside the archive are not expanded. Entry names written by Chinese Windows
(GBK, without the UTF-8 flag) are decoded as GBK.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import FileRefused
from .limits import (
    BATCH_MAX_FILES,
    MAX_FILE_BYTES,
    ZIP_MAX_BYTES,
    ZIP_MAX_ENTRIES,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_FLOOR,
)
from .lrm import read_lrm
from .read_xml import read_lrmx
from .record import Parsed

__all__ = ["FileResult", "read_any", "write_zip"]

_XML_EXT = (".lrmx", ".xml")
_PIC_EXT = (".pic", ".jpg", ".jpeg")
_JUNK = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_MB_ZIP = ZIP_MAX_BYTES // 1024 // 1024
_MB_TOTAL = ZIP_MAX_TOTAL_BYTES // 1024 // 1024
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)
_MAX_STEM = 80
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f<>:"|?*\\]')


@dataclass(frozen=True)
class FileResult:
    """One person file of a batch: the parse, or a Chinese ``error``.

    ``filename`` names the file as the officer knows it (``批次.zip/张三.lrmx`` for an archive entry);
    ``data`` and ``pic`` are the bytes read (so a later step can re-read them); ``detail`` is the technical
    cause of an error, for the log.
    """

    filename: str
    parsed: Parsed | None
    error: str = ""
    data: bytes = b""
    pic: bytes | None = None
    detail: str = ""


def _ext(name: str) -> str:
    return posixpath.splitext(name.lower())[1]


def _stem(name: str) -> str:
    return posixpath.splitext(name.lower())[0]


def _entry_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name.replace("\\", "/")


def _skipped(name: str) -> bool:
    base = posixpath.basename(name)
    return (
        name.startswith("__MACOSX/") or "/__MACOSX/" in name or base.startswith("._") or base.lower() in _JUNK
    )


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return name.startswith("/") or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _expand(zip_name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[FileResult]]:
    """The entries of one archive, and the errors (the whole archive's, or one entry's)."""

    def whole(message: str, detail: str = "") -> tuple[list[tuple[str, bytes]], list[FileResult]]:
        return [], [FileResult(zip_name, None, message, detail=detail)]

    if len(data) > ZIP_MAX_BYTES:
        return whole(f"压缩包过大（{len(data) / 1024 / 1024:.0f} MB），不能超过 {_MB_ZIP} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return whole("压缩包已损坏，或不是 zip 格式的压缩包", str(exc))
    named = [(info, _entry_name(info)) for info in infos]
    named = [(info, name) for info, name in named if not _skipped(name)]
    if len(named) > ZIP_MAX_ENTRIES:
        return whole(f"压缩包中文件过多（{len(named)} 个），一个压缩包不能超过 {ZIP_MAX_ENTRIES} 个文件")
    for _info, name in named:
        if _unsafe(name):
            return whole(f"压缩包中有不安全的文件路径（{name}），可能是恶意构造的压缩包，未予读取")
    total = sum(info.file_size for info, _ in named)
    if total > ZIP_MAX_TOTAL_BYTES:
        return whole(f"压缩包解压后过大（{total / 1024 / 1024:.0f} MB），不能超过 {_MB_TOTAL} MB")
    for info, name in named:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO:
            return whole(f"压缩包中的文件（{name}）压缩比异常（{ratio:.0f} 倍），可能是“压缩炸弹”，未予读取")
    entries: list[tuple[str, bytes]] = []
    errors: list[FileResult] = []
    read = 0
    for info, name in named:
        shown = f"{zip_name}/{name}"
        if info.flag_bits & 0x1:
            errors.append(FileResult(shown, None, "压缩包中的文件设有密码，无法读取"))
        elif _ext(name) == ".zip":
            errors.append(FileResult(shown, None, "压缩包中的压缩包不展开，请先解压再导入"))
        elif info.file_size > MAX_FILE_BYTES:
            mb = info.file_size / 1024 / 1024
            errors.append(FileResult(shown, None, f"文件过大（{mb:.1f} MB），单个文件不能超过 10 MB"))
        else:
            try:
                with archive.open(info) as stream:
                    content = stream.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
                errors.append(FileResult(shown, None, "压缩包中的这个文件已损坏，无法解压", detail=str(exc)))
                continue
            read += len(content)
            if read > ZIP_MAX_TOTAL_BYTES:
                return whole("压缩包解压后过大，未予读取")
            entries.append((shown, content))
    return entries, errors


def _is_zip(name: str, data: bytes) -> bool:
    return _ext(name) == ".zip" or (data[:4] == b"PK\x03\x04" and _ext(name) not in _XML_EXT)


def _read_one(name: str, data: bytes, pic: bytes | None) -> FileResult:
    ext = _ext(name)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    try:
        if ext in _XML_EXT or (ext != ".lrm" and head == b"<"):
            return FileResult(name, read_lrmx(data), data=data)
        if ext == ".lrm" or head == b'"':
            return FileResult(name, read_lrm(data, pic), data=data, pic=pic)
    except FileRefused as refused:
        return FileResult(name, None, refused.message, data=data, pic=pic, detail=refused.detail)
    except Exception as exc:  # one unexpected file must not stop the batch; the detail goes to the log
        return FileResult(name, None, "文件无法读取（内容异常）", data=data, pic=pic, detail=repr(exc))
    return FileResult(name, None, "不是任免审批表文件（应为 .lrmx、.lrm 或 .zip 文件）", data=data)


PROGRESS_EVERY = 25
"""Files read between two reports to ``read_any``'s ``progress`` (each report is a write of the job)."""


def read_any(
    files: Sequence[tuple[str, bytes]], progress: Callable[[int, int], None] | None = None
) -> list[FileResult]:
    """Read every person file in ``files`` (archives expanded, ``.lrm`` paired with its photo).

    ``progress(done, total)`` is told how many person files are read, every :data:`PROGRESS_EVERY`
    and at the end (``total`` counts the files inside archives, not the photos beside ``.lrm``).
    """
    results: list[FileResult] = []
    plain: list[tuple[str, bytes]] = []
    for name, data in files:
        if _skipped(name.replace("\\", "/")):
            continue
        if _is_zip(name, data):
            try:
                entries, errors = _expand(name, data)
            except Exception as exc:  # a crafted archive must not stop the batch; the detail goes to the log
                entries, errors = (
                    [],
                    [FileResult(name, None, "压缩包已损坏，或不是 zip 格式的压缩包", detail=repr(exc))],
                )
            plain.extend(entries)
            results.extend(errors)
        else:
            plain.append((name, data))
    if len(plain) > BATCH_MAX_FILES:
        message = f"一次导入的文件过多（{len(plain)} 个），一次不能超过 {BATCH_MAX_FILES} 个，请分批导入"
        return [FileResult("（全部文件）", None, message)]
    lrm_stems = {_stem(name) for name, _ in plain if _ext(name) == ".lrm"}
    pics: dict[str, bytes] = {}
    for name, data in plain:
        if _ext(name) in _PIC_EXT and _stem(name) in lrm_stems:
            pics.setdefault(_stem(name), data)
    total = sum(1 for name, _ in plain if _ext(name) not in _PIC_EXT)
    done = 0
    for name, data in plain:
        ext = _ext(name)
        if ext in _PIC_EXT:
            if _stem(name) not in lrm_stems:
                results.append(FileResult(name, None, "照片文件没有同名的 .lrm 文件，未导入", data=data))
            continue
        results.append(_read_one(name, data, pics.get(_stem(name)) if ext == ".lrm" else None))
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return results


def _safe_part(part: str) -> str:
    part = _UNSAFE_CHARS.sub("_", part).strip(" .")
    stem, ext = posixpath.splitext(part)
    if stem.upper() in _RESERVED:
        stem = "_" + stem
    if len(stem) > _MAX_STEM:
        stem = stem[:_MAX_STEM]
    return stem + ext[:_MAX_STEM]


def safe_name(name: str) -> str:
    """A file name safe in any archive tool and file system: no path climbing, no reserved characters
    or Windows device names (``CON``, ``NUL``, ``COM1``…), each part at most about 80 characters."""
    parts = []
    for part in name.replace("\\", "/").split("/"):
        part = _safe_part(part)
        if part and part != "..":
            parts.append(part)
    return "/".join(parts) or "文件"


def write_zip(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A ``.zip`` of the entries (names made safe; a repeated name gets ``(2)``, ``(3)``… before its
    extension, so a ``.lrm`` and its ``.pic`` stay paired). Names are stored as UTF-8 (flagged)."""
    seen: dict[str, int] = {}
    buffer = io.BytesIO()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            name = safe_name(name)
            key = name.lower()
            count = seen.get(key, 0) + 1
            seen[key] = count
            if count > 1:
                stem, ext = posixpath.splitext(name)
                name = f"{stem}({count}){ext}"
                while name.lower() in seen:
                    count += 1
                    name = f"{stem}({count}){ext}"
                seen[name.lower()] = 1
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
