"""System checks for the operator's configuration (`manage.py check [--deploy]`)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

UNDELIVERED_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@checks.register()
def admins_are_addresses(app_configs, **kwargs):
    """ADMINS is read from a comma-separated variable: a typo must not lose the error mail."""
    errors = []
    for _name, address in settings.ADMINS:
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                checks.Error(
                    f"ADMINS holds {address!r}, which is not an email address.",
                    hint="ADMINS=ops@example.com,oncall@example.com",
                    id="microblog.E001",
                )
            )
    return errors


@checks.register(deploy=True)
def error_mail_is_delivered(app_configs, **kwargs):
    if settings.ADMINS and settings.EMAIL_BACKEND in UNDELIVERED_BACKENDS:
        return [
            checks.Warning(
                "ADMINS is set but EMAIL_URL does not send mail: error reports go nowhere.",
                hint="Set EMAIL_URL=smtp://user:password@host:587/?tls=True",
                id="microblog.W001",
            )
        ]
    return []
