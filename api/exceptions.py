"""Errors as JSON: a refusal says why, with field errors by field, and the status says
what kind: 400 invalid, 403 not permitted, 404 not found, 409 wrong state or stale."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cases.errors import RefusalCode, Refused

STATUS = {
    RefusalCode.INVALID: status.HTTP_400_BAD_REQUEST,
    RefusalCode.NOT_PERMITTED: status.HTTP_403_FORBIDDEN,
    RefusalCode.WRONG_STATE: status.HTTP_409_CONFLICT,
    RefusalCode.STALE: status.HTTP_409_CONFLICT,
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)


def refusal_response(refused: Refused) -> Response:
    return Response({"detail": refused.message, "code": refused.code,
                     "errors": refused.errors}, status=STATUS[refused.code])


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Refused):
        return refusal_response(exc)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found.", "code": "not_found", "errors": {}},
                        status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return Response({"detail": "Some information is missing or not valid.",
                         "code": "invalid", "errors": _flatten(errors)},
                        status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data = {"detail": str(response.data.get("detail", "")),
                         "code": getattr(getattr(exc, "detail", None), "code", "error") or "error",
                         "errors": {}}
    return response


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors to `field` / `lines-0-field` keys, as the services name them."""
    out: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            out.update(_flatten(value, f"{prefix}{key}" if not prefix else f"{prefix}-{key}"))
    elif isinstance(errors, list) and errors and isinstance(errors[0], dict | list):
        for i, value in enumerate(errors):
            out.update(_flatten(value, f"{prefix}-{i}"))
    else:
        out[prefix or "non_field_errors"] = [str(e) for e in (errors if isinstance(
            errors, list) else [errors])]
    return out
