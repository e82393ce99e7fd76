"""The API's ModelSerializer: DRF's, with each class's fields worked out from the model once,
and bound once for output that depends on nothing but the record.

DRF builds a ModelSerializer's fields from the model's fields on every use: the case detail,
with its nine nested serializers, spent 2.9 ms of a 10 ms request there (in-process, 10,000
cases). Each use gets copies of the fields built the first time, made the way DRF copies
the fields declared on a class (`Field.__deepcopy__`, which makes each field again from the
arguments it was made with): 1.7 ms. The fields depend only on the class and its Meta, never
on the instance, the request or the context, which is what makes keeping them sound; a
serializer whose fields did would override `get_fields` itself.

Copying is still most of the work: some seven hundred copies for a case's detail. A
serializer that only writes out records, with no context and no input (`CaseDetailSerializer(
case).data`), reads its fields and does nothing else with them; its output is then a
function of the record alone, so every such use of a class reads the fields of one kept
instance of it (`_shared`), bound once. A serializer given a context (the request: a viewset's
`get_serializer`) or data to check gets fields of its own, as DRF makes them.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import cached_property
from rest_framework import serializers

_BUILT: dict[type, dict[str, Any]] = {}
_SHARED: dict[type, ModelSerializer] = {}


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
        if root._context or hasattr(root, "initial_data") or getattr(root, "_kept", False):
            return super().fields
        return _shared(type(self)).fields


def _shared(cls: type[ModelSerializer]) -> ModelSerializer:
    """The kept instance of `cls` whose bound fields every output-only use reads."""
    kept = _SHARED.get(cls)
    if kept is None:
        kept = _SHARED[cls] = cls()
        kept._kept = True
    return kept
