"""The department's uploaded Word templates, kept in the database so every app server uses the same ones."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import DocKind


class DocumentTemplate(models.Model):
    """One uploaded .docx template of a kind of document; at most one per kind is in use (``is_active``).

    The file's bytes live in ``data`` (a database column, not the media folder) so that several
    application servers behind one database always fill the same template. ``fields`` are the field
    names the template uses, as checked at upload. Uploads are never deleted: an older one can be put
    back into use, and with none active the kind uses its default template, generated in code.
    """

    kind = models.CharField("文书种类", max_length=30, choices=DocKind.choices, db_index=True)
    data = models.BinaryField("模板文件")
    filename = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("文件大小（字节）")
    fields = models.JSONField("使用的字段", default=list, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    is_active = models.BooleanField("正在使用", default=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_active=True), name="doctemplate_one_active_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.filename}"
