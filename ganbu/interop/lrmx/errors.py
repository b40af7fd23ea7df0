"""The one error a reader raises: a file it cannot take, with a Chinese message an officer can act on."""

from __future__ import annotations


class FileRefused(Exception):
    """A 任免审批表 file that cannot be read (unsafe, too large, not the format, broken beyond repair).

    ``message`` is Chinese and names what is wrong with the file (never a parser's English text);
    ``detail`` may carry the technical cause for a specialist's details toggle and the log.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
