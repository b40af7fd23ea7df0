"""The demo county's training, made by ``zzb`` through the services: the seed's classes in proportion."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ganbu.accounts.models import User
from ganbu.training import selectors
from ganbu.training.choices import EnrollmentStatus
from ganbu.training.models import Enrollment, TrainingClass, TrainingProgram


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo county at a tenth of its size with its workflows; flushed after the module."""
    with django_db_blocker.unblock():
        call_command("demo", "--scale", "0.1", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_demo_classes_attendance_and_to_dos(demo):
    zzb = User.objects.get(username="zzb")
    today = timezone.localdate()
    programs = TrainingProgram.objects.filter(year=today.year, created_by=zzb)
    assert programs.count() == 6
    assert TrainingClass.objects.filter(program__in=programs).count() == 8  # 中层 in three classes
    middle = TrainingClass.objects.filter(program__title__contains="中层干部轮训").order_by("start_date")
    sizes = [c.capacity for c in middle]
    assert len(sizes) == 3 and max(sizes) - min(sizes) <= 1
    young = TrainingClass.objects.get(program__title__contains="中青年")
    assert (young.start_date.month, young.start_date.day) == (9, 20)
    if today >= middle[0].start_date:
        withdrawn = Enrollment.objects.get(status=EnrollmentStatus.WITHDRAWN)
        assert withdrawn.training_class == middle[0] and "应予退学" in withdrawn.withdrawn_reason
    if today > middle[0].end_date:
        assert Enrollment.objects.exclude(certificate_no="").exists()
    coverage = selectors.coverage(user=zzb, on=today)
    assert 0 < coverage.trained < coverage.total or today < middle[0].end_date
    from ganbu.training.todo import todo_groups

    assert [g.title for g in todo_groups(zzb, today)] == [
        "任职培训待完成",
        "待结业的培训班次",
        "年度培训学时不足",
    ]
