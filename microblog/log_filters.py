"""Logging filters used by settings.LOGGING."""

import logging


class SkipHealthProbe(logging.Filter):
    """Drop the 503 that /healthz answers while a service is down: the probe reports it to
    whoever watches it; emailing the admins every few seconds would bury real errors."""

    def filter(self, record):
        request = getattr(record, "request", None)
        return getattr(request, "path", None) != "/healthz"
