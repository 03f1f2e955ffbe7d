"""Every body and reply schema of the API has its own name: django-ninja keeps one schema per name in the OpenAPI
document, so two classes named alike (purchasing's and inventory's ReceiptIn) would document one body for both."""

from __future__ import annotations

import typing
from collections import defaultdict

from pydantic import BaseModel

from factoryos.api import api


def _models_of(annotation, seen: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_of(field.annotation, seen)
    for arg in typing.get_args(annotation) or ():
        _models_of(arg, seen)


def test_no_two_schemas_share_a_name():
    classes: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *(operation.response_models or {}).values()]:
                    if model is not None:
                        for field in model.model_fields.values():
                            _models_of(field.annotation, classes)
    by_name = defaultdict(set)
    for cls in classes:
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: sorted(found) for name, found in by_name.items() if len(found) > 1} == {}
