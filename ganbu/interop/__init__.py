"""Interoperability: 任免审批表 files (.lrmx / .lrm) in and out, and the Excel roster import.

``ganbu.interop.lrmx`` is the file format itself, pure Python (no Django): reading any file a
department has, tolerant of every quirk in ``docs/lrmx.md``, strict about safety, and writing files the
official 任免表编辑器 and the other systems read. The rest of the app maps a file's record to a cadre
and back, previews the differences, and writes them (one transaction per file, audited).
"""
