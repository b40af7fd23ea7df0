"""The demo as ``make run`` loads it, once per test module that asks for it."""

from __future__ import annotations

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo at scale 1 with its workflows, loaded by the command as ``make run`` does; its output.

    Committed, like a real run, and flushed when the module is done, so that every other test
    module starts with an empty database again. Module-scoped: a module's tests share one load.
    """
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()  # flush recreates the content types with new ids
