import logging
import time

from django import template
from django.conf import settings
from django.db import DatabaseError

from messaging import services

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def unread_message_count(user):
    try:
        return services.unread_message_count(user)
    except DatabaseError:  # the error page must still render when the database is down
        logger.warning("Could not count unread messages", exc_info=True)
        return 0


@register.simple_tag
def tasks_to_show(user):
    try:
        return services.tasks_to_show(user)
    except DatabaseError:
        logger.warning("Could not read background tasks", exc_info=True)
        return []


@register.simple_tag
def unix_time_now():
    """Where the notification poll starts: the page shows everything older than this."""
    return f"{time.time():.6f}"


@register.simple_tag
def notifications_poll_seconds():
    return settings.NOTIFICATIONS_POLL_SECONDS
