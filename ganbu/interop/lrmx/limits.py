"""The limits every reader enforces before doing any work (docs/lrmx-format.md, "Limits").

They are deliberately generous for real files (a filled 任免审批表 with a photo is a few hundred KB) and
small enough that a hostile file cannot exhaust memory or time.
"""

from __future__ import annotations

MAX_FILE_BYTES = 10 * 1024 * 1024
"""One ``.lrmx`` / ``.lrm`` / ``.pic`` file: checked on the raw bytes before any parsing."""

PHOTO_MAX_BYTES = 2 * 1024 * 1024
"""The photo's image bytes (after base64 decoding)."""

PHOTO_MAX_PIXELS = 25_000_000
"""Width × height of the photo; larger is treated as a decompression bomb (a real one is < 1 MP)."""

ZIP_MAX_BYTES = 200 * 1024 * 1024
"""The ``.zip`` file itself."""

ZIP_MAX_ENTRIES = 5000
"""Files in one ``.zip`` (a county's whole registry fits)."""

ZIP_MAX_TOTAL_BYTES = 300 * 1024 * 1024
"""The sum of the uncompressed sizes of the entries read from one ``.zip``."""

ZIP_MAX_RATIO = 100
"""Uncompressed / compressed size of one entry; XML compresses about 5–20 ×, a zip bomb 1000 × and more."""

ZIP_RATIO_FLOOR = 1024 * 1024
"""Entries smaller than this (uncompressed) are not held to the ratio: a blank template compresses well."""

BATCH_MAX_FILES = 10_000
"""Files handled by one ``read_any`` call, after expanding archives."""

FAMILY_MAX = 50
"""家庭成员 rows in one file (after skipping empty ones): a real form has at most about 15."""

EXTRA_MAX = 100
"""Unknown top-level elements kept from one file: a real file has none or a few."""
