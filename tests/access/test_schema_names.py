"""The OpenAPI document describes each body and response as its endpoint reads and writes it.

django-ninja names a component after the schema class; two classes with one name become one
component, and every operation using either is documented with whichever came last. That is how
``POST /selection/records/{id}/withdraw`` came to be documented as taking only ``reason`` (the
campaign application's withdrawal) while it requires ``on`` too, and the ballot cast's receipt as
a public objection's tracking code. Schemathesis then generates bodies the endpoint refuses.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import ganbu.api


def _api_schema_classes() -> dict[str, list[str]]:
    """Schema classes defined anywhere under ganbu.api, by class name → defining modules."""
    found: dict[str, list[str]] = defaultdict(list)
    for info in pkgutil.walk_packages(ganbu.api.__path__, "ganbu.api."):
        if ".tests" in info.name or ".management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == module.__name__:
                found[name].append(module.__name__)
    return found


def test_no_two_api_schemas_share_a_name():
    shared = {name: modules for name, modules in _api_schema_classes().items() if len(modules) > 1}
    assert not shared, f"API schema classes sharing a name (one OpenAPI component for both): {shared}"


def test_the_selection_withdrawal_is_documented_with_its_date():
    from ganbu.api.urls import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    body = document["paths"]["/api/v1/selection/records/{record_id}/withdraw"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "on" in document["components"]["schemas"][ref]["properties"]
