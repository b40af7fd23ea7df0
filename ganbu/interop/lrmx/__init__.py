"""The 任免审批表 file formats, pure Python: ``.lrmx`` (3.x XML) and ``.lrm`` (2.0, GBK text) with ``.pic``.

See ``docs/lrmx.md`` (the format, reconstructed from public implementations) and
:mod:`ganbu.interop.lrmx.record` (the record every reader returns and every writer takes).
"""
