"""The Excel cadre import (干部信息导入): the published template, reading, per-row checks, preview, write.

- ``columns`` — the template's columns (header, aliases, kinds, choices, notes).
- ``template`` — the blank template and the one prefilled with the user's cadres (.xlsx).
- ``reader`` — an uploaded sheet's rows, every problem of the file with its row and column.
- ``validate`` — each row against the registry: new, update (field-by-field differences),
  unchanged, or to confirm (same name and birth date); the registry's own checks. Reads only.
- ``services`` — ``roster_import``: every row or none, one durable transaction, audited.
- ``jobs`` — the import as a background job (``ganbu.jobs``): preview, then confirmed apply.

docs/excel.md (干部信息导入) describes the columns, the rules and the flow.
"""
