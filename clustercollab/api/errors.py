"""One error body for the whole API.

Every error answers ``{"status": <HTTP status>, "code": "<machine code>", "message": "<text for
people>", "errors": {"<parameter>": ["<text>", ...]}}``; ``errors`` names the query parameters or
fields at fault (``non_field_errors`` for the rest) and is empty when none are to blame.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(field): [str(message) for message in _flatten(messages)]
            for field, messages in detail.items()
        }
    return {"non_field_errors": [str(message) for message in _flatten(detail)]}


def _flatten(detail: Any) -> list:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in _flatten(value)]
    return [detail]


def _validation_message(errors: dict[str, list[str]]) -> str:
    parts = [
        message if field == "non_field_errors" else f"{field}: {message}"
        for field, messages in errors.items()
        for message in messages
    ]
    return _("Invalid request. %(problems)s") % {"problems": " ".join(parts)}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Answer API errors in the one format above (anything else stays a server error)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        message = _validation_message(errors)
        code = "invalid"
    else:
        errors = {}
        message = " ".join(str(m) for m in _flatten(exc.detail))
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
    response.data = {
        "status": response.status_code,
        "code": code,
        "message": message,
        "errors": errors,
    }
    return response
