"""Choices of the training app: who a program is for, its purpose, organizer and mode; where a class
and an enrollment stand; a trainee's result."""

from __future__ import annotations

from django.db import models


class TargetGroup(models.TextChoices):
    """The cadres a program is for (the seed's plan: 正职, 中层, 企业党组织负责人, 新进班子, 中青年)."""

    HEADS = "heads", "单位正职"
    MIDDLE = "middle", "中层干部"
    ENTERPRISE_PARTY = "enterprise_party", "企业党组织负责人"
    NEW_TEAM = "new_team", "新进班子成员"
    YOUNG = "young", "中青年干部"
    SECTION = "section", "科级干部"
    ALL = "all", "全体在职干部"


class Purpose(models.TextChoices):
    """Why a program is held: 轮训 (the county's cycle), 任职培训 (TRN-03/06) or a topic."""

    ROTATION = "rotation", "轮训"
    APPOINTMENT = "appointment", "任职培训"
    TOPIC = "topic", "专题培训"


class Organizer(models.TextChoices):
    """Who runs the classes."""

    COUNTY_SCHOOL = "county_school", "县委党校"
    CITY_SCHOOL = "city_school", "市委党校"
    PROVINCIAL_SCHOOL = "provincial_school", "省委党校"
    ORG_DEPARTMENT = "org_department", "县委组织部"
    ONLINE_ACADEMY = "online_academy", "干部网络学院"


class Mode(models.TextChoices):
    """How a program is taken: 脱产 counts toward TRN-01/02; 网络 toward TRN-05."""

    OFF_THE_JOB = "off_the_job", "脱产培训"
    ONLINE = "online", "网络培训"
    ON_THE_JOB = "on_the_job", "在职培训"


class ClassStatus(models.TextChoices):
    """A class is open (enrolling, running) until it is closed with its results."""

    OPEN = "open", "未结业"
    CLOSED = "closed", "已结业"


class EnrollmentStatus(models.TextChoices):
    """Where a trainee stands in a class."""

    ENROLLED = "enrolled", "在学"
    COMPLETED = "completed", "已结业"
    WITHDRAWN = "withdrawn", "退学"
    ABSENT = "absent", "未参训"


class Result(models.TextChoices):
    """A trainee's result when a class closes."""

    EXCELLENT = "excellent", "优秀"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    ABSENT = "absent", "未参训"
