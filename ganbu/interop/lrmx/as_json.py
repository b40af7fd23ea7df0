"""A parsed file as plain JSON data, for ``ganbu lrmx check`` and logs (the photo as type and size)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from .errors import FileRefused
from .photo import check_photo
from .record import Parsed

__all__ = ["as_json"]


def as_json(parsed: Parsed) -> dict[str, Any]:
    """``{"format", "warnings", "record"}``: the record's fields by attribute name, ``photo`` as
    ``{"type", "bytes"}`` (or ``None``), ``family`` as a list of objects, ``extra`` as ``[name, text]``."""
    record = parsed.record
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name == "photo":
            if not value:
                out["photo"] = None
                continue
            try:
                kind = check_photo(value)
            except FileRefused:
                kind = "unknown"
            out["photo"] = {"type": kind, "bytes": len(value)}
        elif f.name == "family":
            out["family"] = [asdict(member) for member in value]
        elif f.name == "extra":
            out["extra"] = [[name, text] for name, text in value]
        else:
            out[f.name] = value
    return {"format": parsed.format, "warnings": list(parsed.warnings), "record": out}
