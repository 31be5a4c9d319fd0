import time

from django import template
from django.conf import settings

from messaging import services

register = template.Library()


@register.simple_tag
def unread_message_count(user):
    return services.unread_message_count(user)


@register.simple_tag
def tasks_to_show(user):
    return services.tasks_to_show(user)


@register.simple_tag
def unix_time_now():
    """Where the notification poll starts: the page shows everything older than this."""
    return f"{time.time():.6f}"


@register.simple_tag
def notifications_poll_seconds():
    return settings.NOTIFICATIONS_POLL_SECONDS
