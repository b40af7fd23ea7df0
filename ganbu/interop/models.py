"""What a 任免审批表 file carries that the registry has no field for, kept per cadre.

See ``docs/lrmx-import.md``.

The registry stores the cadre (``registry.Cadre``), the 简历 (``ResumeEntry``), the family
(``FamilyMember``) and the 年度考核 (``Assessment``) as structured rows. A department's files also carry
form-only fields (拟任职务, 填表人, 计算年龄时间, the reform-era fields, the version, unknown elements) and
texts the registry would print differently (a free-text 奖惩情况, ``民建2001.08``, an unknown 学历): those
are kept here, so that a file taken in comes back out unchanged (``ganbu.interop.mapping``).
"""

from __future__ import annotations

from django.db import models


class FormExtras(models.Model):
    """The parts of a cadre's 任免审批表 file the registry has no field for; one per cadre, written by import.

    ``kept`` maps a record attribute (``rewards``, ``party``, ``resume`` …) to ``{"registry": text the
    registry gave at import, "file": text the file said}``: an export prints the file's text while the
    registry still gives the same text (``mapping.apply_kept``). ``unknown_elements`` are the file's
    unknown top-level elements, ``[name, text]`` in file order.
    """

    cadre = models.OneToOneField(
        "registry.Cadre", verbose_name="干部", on_delete=models.CASCADE, related_name="form_extras"
    )
    proposed_post = models.TextField("拟任职务", blank=True)
    proposed_removal = models.TextField("拟免职务", blank=True)
    reason = models.TextField("任免理由", blank=True)
    submitting_unit = models.CharField("呈报单位", max_length=200, blank=True)
    retirement_due = models.CharField("到龄年月", max_length=20, blank=True)
    pre_reform_age_limit = models.CharField("改革前任职年龄界限", max_length=100, blank=True)
    calc_date = models.CharField("计算年龄时间", max_length=20, blank=True)
    fill_date = models.CharField("填表时间", max_length=20, blank=True)
    filled_by = models.CharField("填表人", max_length=100, blank=True)
    version = models.CharField("版本", max_length=30, blank=True)
    unknown_elements = models.JSONField("其他项目", default=list, blank=True)
    kept = models.JSONField("按原文保留的内容", default=dict, blank=True)
    source = models.CharField("来源文件", max_length=255, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "任免审批表附加信息"
        verbose_name_plural = "任免审批表附加信息"

    def __str__(self) -> str:
        return f"{self.cadre_id} 的任免审批表附加信息"
