"""The 任免审批表 file formats, pure Python: ``.lrmx`` (3.x XML) and ``.lrm`` (2.0, GBK text) with ``.pic``.

See ``docs/lrmx.md`` (the format, reconstructed from public implementations), ``docs/lrmx-format.md``
(what these readers accept and refuse, and what the writers emit) and
:mod:`ganbu.interop.lrmx.record` (the record every reader returns and every writer takes).

The public API is re-exported here; import from ``ganbu.interop.lrmx``, not from the modules.
"""

from .as_json import as_json
from .batch import FileResult, read_any, safe_name, write_zip
from .errors import FileRefused
from .limits import MAX_FILE_BYTES, PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS
from .lrm import CARRIED as LRM_CARRIED
from .lrm import read_lrm, write_lrm
from .party import Party, format_party, parse_party
from .photo import check_photo
from .read_xml import read_lrmx
from .record import DEFAULT_VERSION, ELEMENTS, LABELS, FamilyMember, Parsed, Record
from .resume import ResumeLine, format_resume, parse_resume
from .text import normalize_record, parse_month
from .write_xml import write_lrmx

__all__ = [
    "DEFAULT_VERSION",
    "ELEMENTS",
    "LABELS",
    "LRM_CARRIED",
    "MAX_FILE_BYTES",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "FamilyMember",
    "FileRefused",
    "FileResult",
    "Parsed",
    "Party",
    "Record",
    "ResumeLine",
    "as_json",
    "check_photo",
    "format_party",
    "format_resume",
    "normalize_record",
    "parse_month",
    "parse_party",
    "parse_resume",
    "read_any",
    "read_lrm",
    "read_lrmx",
    "safe_name",
    "write_lrm",
    "write_lrmx",
    "write_zip",
]
