from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from microblog.jobs import enqueue

from .jobs import deliver_email


def render_templated_email(
    *, to, subject_template, text_template, html_template=None, context=None, attachments=()
):
    """Build a text (+ HTML) email from templates; `attachments` are (name, content, mimetype)."""
    context = context or {}
    subject = "".join(render_to_string(subject_template, context).splitlines())
    message = EmailMultiAlternatives(
        subject, render_to_string(text_template, context), settings.DEFAULT_FROM_EMAIL, to
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def send_templated_email(*, language=None, **kwargs):
    """Render and send now, in `language` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        render_templated_email(**kwargs).send()


def queue_templated_email(*, language=None, **kwargs):
    """Render now (in this request's language), send in the background when a queue exists.

    For email that can wait, such as a password reset: the request does not wait for SMTP.
    """
    with translation.override(language or translation.get_language()):
        message = render_templated_email(**kwargs)
    enqueue(deliver_email, message)
