"""The form that uploads a department's Word template for one kind of document.

The form only parses and checks the size before the file is read; ``ganbu.doctemplates.services`` checks
the template itself (a real .docx, its syntax, its fields, a test fill) and its messages are put back on
the form with ``add_service_error``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from ganbu.doctemplates.services import MAX_NOTE, MAX_TEMPLATE_BYTES, MSG_TOO_LARGE

from .forms_common import StyledForm


class TemplateUploadForm(StyledForm):
    """A .docx file and a note saying what changed."""

    file = forms.FileField(
        label="模板文件（.docx）",
        help_text="用 Word 或 WPS 编辑后另存为 .docx，不超过 5 MB。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )
    note = forms.CharField(label="说明", max_length=MAX_NOTE, required=False, help_text="如：改用本部门版头")

    def clean_file(self) -> Any:
        """Refuse a file over 5 MB before anything reads it into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(MSG_TOO_LARGE.format(size=f"{upload.size / 1024 / 1024:.1f} MB"))
        return upload
