"""The form that uploads a filled score sheet (.xlsx) for one stage of a campaign.

The form only parses the request and refuses an oversized file before it is read into memory;
``ganbu.campaigns.excel.import_scores`` checks the file itself and the rows. ``key`` is the random
identifier the page polls the import's progress by (``excel.new_key``), one per rendering of the form.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from ganbu.campaigns.excel import MAX_BYTES, MSG_TOO_LARGE, XLSX_CONTENT_TYPE

from .forms_common import StyledForm

KEY = re.compile(r"[0-9a-f]{32}")
MSG_BAD_KEY = "页面已过期，请刷新后重新上传。"


class ScoreImportForm(StyledForm):
    """A stage of the campaign, the .xlsx file, and the upload's key."""

    stage = forms.ChoiceField(label="环节")
    file = forms.FileField(
        label="成绩表（.xlsx）",
        help_text="按模板填写；表头按名称识别。不超过 10 MB、20000 行。",
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args: Any, stages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages  # type: ignore[attr-defined]

    def clean_key(self) -> str:
        """The key the page polls by: 32 hex digits."""
        key: str = self.cleaned_data["key"]
        if not KEY.fullmatch(key):
            raise forms.ValidationError(MSG_BAD_KEY)
        return key

    def clean_file(self) -> Any:
        """Refuse a file over 10 MB before anything reads it into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(MSG_TOO_LARGE.format(size=f"{upload.size / 1024 / 1024:.1f} MB"))
        return upload
