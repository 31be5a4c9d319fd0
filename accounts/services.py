import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from microblog import images
from microblog.jobs import enqueue

from .avatars import SIZES
from .jobs import deliver_email, make_avatar_sizes
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


def checked_avatar(*, user, upload):
    """The uploaded file as an image fit for an avatar, or a ValidationError saying why not."""
    images.check_upload_rate(user)
    return images.open_checked(upload, max_bytes=settings.AVATAR_MAX_BYTES)


def _delete_files_on_commit(names):
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def _avatar_names(user):
    return [user.avatar_file.name, *user.avatar_sizes.values()]


def set_avatar(*, user, image):
    """Store `image` (from checked_avatar) as the user's avatar: a 400 px square, stripped.

    The smaller sizes are made by a job; until it is done the default avatar shows. The old
    avatar's files go once the change is committed.
    """
    square = images.square(image, SIZES[0])
    content, extension = images.encode(square, images.output_format(square))
    token = secrets.token_hex(8)
    name = default_storage.save(f"avatars/{user.pk}/{token}.{extension}", content)
    old = _avatar_names(user)
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(avatar_file=name, avatar_sizes={})
    except Exception:
        default_storage.delete(name)
        raise
    user.avatar_file.name, user.avatar_sizes = name, {}
    images.record_upload(user)
    _delete_files_on_commit(old)
    enqueue(make_avatar_sizes, user.pk, name)
    return user


def remove_avatar(*, user):
    """Back to the default avatar; the files go once the change is committed."""
    old = _avatar_names(user)
    User.objects.filter(pk=user.pk).update(avatar_file="", avatar_sizes={})
    user.avatar_file.name, user.avatar_sizes = "", {}
    _delete_files_on_commit(old)
    return user
