from datetime import UTC

from django import template
from django.utils import formats
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def timestamp(value, style="relative"):
    """A `<time>` element the browser re-renders locally; the server's text is the fallback.

    style "relative" becomes "3 minutes ago", "full" a long local date and time.
    """
    if value is None:
        return ""
    utc = value.astimezone(UTC)
    fallback = formats.date_format(utc, "DATETIME_FORMAT") + " UTC"
    return format_html(
        '<time datetime="{}" data-format="{}" title="{}">{}</time>',
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        style,
        fallback,
        fallback,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with `page` set to `number`, other query parameters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def avatar(user, size=128):
    """`{{ user|avatar:36 }}`: the user's avatar URL at `size` pixels."""
    return user.avatar(int(size))
