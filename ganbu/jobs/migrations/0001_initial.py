"""The import job moves here from ``campaigns`` (issue 12): the model's state only, the table kept.

The table ``campaigns_importjob`` and its rows stay as they are; ``campaigns.0006_move_importjob``
removes the model from the campaigns' state. The content type is renamed so that permissions and
admin log entries follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    """Point the old content type (campaigns.importjob) at the model's new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="jobs", model="importjob").exists():
        ContentType.objects.filter(app_label="campaigns", model="importjob").update(app_label="jobs")


def restore_content_type(apps, schema_editor):
    """Back to campaigns.importjob."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="campaigns", model="importjob").exists():
        ContentType.objects.filter(app_label="jobs", model="importjob").update(app_label="campaigns")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("campaigns", "0005_importjob_worker"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("stage", models.CharField(max_length=30, verbose_name="环节")),
                        ("key", models.CharField(max_length=32, unique=True, verbose_name="提交标识")),
                        ("filename", models.CharField(blank=True, max_length=200, verbose_name="文件名")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="开始时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="最近更新")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "等待处理"),
                                    ("reading", "正在读取文件"),
                                    ("writing", "正在核对并写入"),
                                    ("done", "已导入"),
                                    ("failed", "未导入"),
                                ],
                                default="queued",
                                max_length=20,
                                verbose_name="状态",
                            ),
                        ),
                        ("total", models.PositiveIntegerField(default=0, verbose_name="总行数")),
                        ("done", models.PositiveIntegerField(default=0, verbose_name="已处理行数")),
                        ("imported", models.PositiveIntegerField(default=0, verbose_name="已导入条数")),
                        ("errors", models.JSONField(blank=True, default=list, verbose_name="错误")),
                        ("data", models.BinaryField(blank=True, default=b"", verbose_name="上传的文件")),
                        ("queued_at", models.DateTimeField(blank=True, null=True, verbose_name="排队时间")),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True, verbose_name="最近心跳")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="处理次数")),
                        ("interrupted", models.BooleanField(default=False, verbose_name="处理中断")),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="import_jobs",
                                to="campaigns.campaign",
                                verbose_name="选拔",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="导入人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "成绩导入",
                        "verbose_name_plural": "成绩导入",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "campaigns_importjob",
                        "indexes": [
                            models.Index(
                                fields=["campaign", "created_by", "-created_at"], name="campaigns_i_campaig_457743_idx"
                            ),
                            models.Index(fields=["status", "queued_at"], name="campaigns_importjob_queue"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
