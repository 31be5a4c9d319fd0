from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from microblog.jobs import enqueue

from .jobs import deliver_email
from .models import User


def register_user(*, username, email, password, about_me=""):
    """Create an account: the one path for the sign-up page, the API and the demo data."""
    return User.objects.create_user(
        username=username, email=email, password=password, about_me=about_me
    )


def set_active(users, *, active):
    """(De)activate `users`; returns how many changed.

    Each user is saved on its own, not by one UPDATE, so that post_save listeners see the
    change: search takes a deactivated user's posts out of its results.
    """
    changed = 0
    for user in users:
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            changed += 1
    return changed


def deactivate_users(users):
    return set_active(users, active=False)


def activate_users(users):
    return set_active(users, active=True)


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
