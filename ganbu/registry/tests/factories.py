"""factory_boy factories for plain registry data. Workflow state is set up through services."""

from __future__ import annotations

import datetime as dt

import factory

from ganbu.accounts.choices import Role
from ganbu.accounts.models import User
from ganbu.registry.choices import Gender, PostKind, Rank, UnitKind, UnitLevel
from ganbu.registry.models import Cadre, Post, Unit
from ganbu.registry.pinyin import name_initials, name_pinyin


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit; ``path`` is filled in after saving, as ``unit_create`` does."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.COUNTY_ORGAN
    level = UnitLevel.SECTION

    @factory.post_generation
    def set_path(obj: Unit, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.path = obj.compute_path()
            obj.depth = obj.path.count(".") - 1
            obj.save(update_fields=["path", "depth"])


class PostFactory(factory.django.DjangoModelFactory):
    """A leadership post counted toward the quota."""

    class Meta:
        model = Post

    unit = factory.SubFactory(UnitFactory)
    title = "副局长"
    kind = PostKind.DEPUTY
    rank = Rank.DEPUTY_SECTION
    is_leadership = True


class CadreFactory(factory.django.DjangoModelFactory):
    """A serving cadre without an ID number (set one through ``cadre_create`` to test validation)."""

    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: "张" + "三四五六七八九十"[n % 8] + "一二三四五六七八"[(n // 8) % 8])
    name_pinyin = factory.LazyAttribute(lambda o: name_pinyin(o.name))
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    gender = Gender.MALE
    birth_date = dt.date(1980, 5, 17)
    native_place = "示例县"
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role; password ``pass-word-123``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ORG_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
