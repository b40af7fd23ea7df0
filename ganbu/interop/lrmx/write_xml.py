"""Writing a ``.lrmx`` (任免审批表 3.x XML) file from a :class:`~ganbu.interop.lrmx.record.Record`.

What is emitted (docs/lrmx.md §2, §3, §14):

- ``<?xml version="1.0" encoding="utf-8"?>``, UTF-8 with a BOM by default (``bom=False`` for none),
  CRLF line ends for the document and inside multi-line values;
- every element of §3 in the canonical order, empty ones as ``<X></X>``; the reform-era elements
  (到龄年月, 改革前任职年龄界限, §10) only with ``reform_fields=True`` and only when they have a value;
- ``JiaTingChengYuan`` with one ``Item`` per non-empty family member (no padding rows);
- the photo as base64 on one line, no ``data:`` prefix (§9);
- the record's ``extra`` elements (unknown elements read from a file) after the canonical ones, just
  before ``Version``; a name that is not a plain XML name is skipped;
- ``Version``: the ``version`` argument, else the record's (preserved from the file it came from),
  else :data:`~ganbu.interop.lrmx.record.DEFAULT_VERSION`;
- texts escaped (``&``, ``<``, ``>``); characters XML 1.0 cannot hold (C0 controls) are dropped.

Values are written as the record holds them: dates are whatever form the record has (a normalized
record holds ``YYYYMM`` / ``YYYYMMDD``, §14).
"""

from __future__ import annotations

import re

from .photo import encode_photo
from .record import DEFAULT_VERSION, ELEMENTS, FAMILY_ELEMENTS, REFORM_ELEMENTS, Record

__all__ = ["write_lrmx"]

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_KNOWN = {element for element, _, _ in ELEMENTS} | {"Item"}
_CRLF = "\r\n"


def _escape(value: str) -> str:
    if _INVALID.search(value):
        value = _INVALID.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in value or "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", _CRLF)
    return value


def write_lrmx(
    record: Record, *, reform_fields: bool = False, bom: bool = True, version: str | None = None
) -> bytes:
    """The ``.lrmx`` bytes of one record (see the module docstring for the exact layout)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<Person>"]
    for element, attr, _ in ELEMENTS:
        if element == "Version":
            for name, text in record.extra:
                if name not in _KNOWN and _XML_NAME.fullmatch(name):
                    out.append(f"  <{name}>{_escape(text)}</{name}>")
            value = version or record.version or DEFAULT_VERSION
            out.append(f"  <Version>{_escape(value)}</Version>")
        elif element == "JiaTingChengYuan":
            members = [m for m in record.family if not m.is_empty()]
            if not members:
                out.append("  <JiaTingChengYuan></JiaTingChengYuan>")
                continue
            out.append("  <JiaTingChengYuan>")
            for member in members:
                out.append("    <Item>")
                for sub, sub_attr, _ in FAMILY_ELEMENTS:
                    out.append(f"      <{sub}>{_escape(getattr(member, sub_attr))}</{sub}>")
                out.append("    </Item>")
            out.append("  </JiaTingChengYuan>")
        elif element == "ZhaoPian":
            out.append(f"  <ZhaoPian>{encode_photo(record.photo)}</ZhaoPian>")
        elif element in REFORM_ELEMENTS:
            value = getattr(record, attr)
            if reform_fields and value:
                out.append(f"  <{element}>{_escape(value)}</{element}>")
        else:
            out.append(f"  <{element}>{_escape(getattr(record, attr))}</{element}>")
    out.append("</Person>")
    data = (_CRLF.join(out) + _CRLF).encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data
