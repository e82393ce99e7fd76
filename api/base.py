"""The API's ModelSerializer: DRF's, with each class's fields worked out from the model once,
and bound once for output that depends on nothing but the record.

DRF builds a ModelSerializer's fields from the model's fields on every use: the case detail,
with its nine nested serializers, spent 2.9 ms of a 10 ms request there (in-process, 10,000
cases). Each use gets copies of the fields built the first time, made the way DRF copies
the fields declared on a class (`Field.__deepcopy__`, which makes each field again from the
arguments it was made with): 1.7 ms. The fields depend only on the class and its Meta, never
on the instance, the request or the context, which is what makes keeping them sound.

Copying is still most of the work: some seven hundred copies for a case's detail. A
serializer that only writes out records, with no context and no input
(`CaseDetailSerializer(case).data`), reads its fields and nothing else; its output is then a
function of the record alone, so every such use of a class reads the fields of one kept
instance of it, bound once (`_shared_fields`). They refuse to be changed: a change would be
every later use's. A serializer gets fields of its own, as DRF makes them, when it is given a
context (the request: a viewset's `get_serializer`) or data to check, or when its class
makes its own (`__init__` or `get_fields` of its own). A method field's method runs on the
kept instance, so it must read only the record it is given, as every one here does.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

_BUILT: dict[type, dict[str, Any]] = {}
_SHARED: dict[type, BindingDict] = {}


class ModelSerializer(serializers.ModelSerializer):
    _kept = False  # True on the one instance per class whose fields are shared

    def get_fields(self) -> dict[str, Any]:
        built = _BUILT.get(type(self))
        if built is None:
            built = _BUILT[type(self)] = super().get_fields()
        return copy.deepcopy(built)

    @cached_property
    def fields(self):
        root = self.root
        if (getattr(root, "_context", None) or hasattr(root, "initial_data")
                or getattr(root, "_kept", False) or not _makes_no_fields_of_its_own(type(self))):
            return super().fields
        return _shared_fields(type(self))


def _makes_no_fields_of_its_own(cls: type) -> bool:
    return (cls.__init__ is serializers.BaseSerializer.__init__
            and cls.get_fields is ModelSerializer.get_fields)


class _Unchangeable(BindingDict):
    """The bound fields of a kept instance, which every output-only use of its class reads."""

    def __init__(self, serializer: ModelSerializer, bound: BindingDict) -> None:
        super().__init__(serializer)
        self.fields = dict(bound.fields)

    def __setitem__(self, key: str, field: Any) -> None:
        raise TypeError("These fields are shared by every use of the serializer without a "
                        "context or data: give it a context to change its own.")

    def __delitem__(self, key: str) -> None:
        self.__setitem__(key, None)


def _shared_fields(cls: type[ModelSerializer]) -> BindingDict:
    shared = _SHARED.get(cls)
    if shared is None:
        kept = cls()
        kept._kept = True  # before its fields are read: they are its own
        shared = _SHARED[cls] = _Unchangeable(kept, kept.fields)
    return shared
