"""Every API refusal in one envelope: {"error": "<HTTP reason phrase>", "message": "…"}."""

import logging
from http import HTTPStatus

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from microblog.middleware import SAFE_METHODS

logger = logging.getLogger("django.request")


def _first_message(errors):
    while isinstance(errors, list | dict) and errors:
        errors = errors[0] if isinstance(errors, list) else next(iter(errors.values()))
    return str(errors)


def _summary(errors):
    """One readable sentence per field, for clients that show only `message`."""
    if not isinstance(errors, dict):
        return _first_message(errors)
    lines = []
    for field, messages in errors.items():
        text = _first_message(messages)
        if field == api_settings.NON_FIELD_ERRORS_KEY:
            lines.append(text)
        else:
            lines.append(_("%(field)s: %(message)s") % {"field": field, "message": text})
    return " ".join(lines)


def _roll_back_writes(request):
    """Undo a refused write: AtomicWritesMiddleware wraps it in a transaction we can mark."""
    if request is None or request.method in SAFE_METHODS:
        return
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            connection.set_rollback(True)


def envelope(status_code, message, **extra):
    return {"error": HTTPStatus(status_code).phrase, "message": message, **extra}


def envelope_exception_handler(exc, context):
    """DRF's handler (statuses, WWW-Authenticate, Retry-After), then our envelope.

    Unexpected exceptions become a logged 500 in the same envelope; with DEBUG on they are
    left to Django's technical page instead.
    """
    request = context.get("request")
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", ""),
            exc_info=exc,
            extra={"status_code": 500, "request": getattr(request, "_request", None)},
        )
        _roll_back_writes(request)
        return Response(
            envelope(500, _("An unexpected error has occurred")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    _roll_back_writes(request)
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        response.data = envelope(response.status_code, _summary(errors), errors=errors)
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = envelope(response.status_code, str(detail or ""))
    return response
