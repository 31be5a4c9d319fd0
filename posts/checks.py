from django.conf import settings
from django.core.checks import Error, Warning, register

from .translation import PROVIDERS


@register()
def translator_settings(app_configs, **kwargs):
    """A misspelt provider or a missing key shows in `manage.py check`, not as a dead link."""
    provider = settings.TRANSLATOR_PROVIDER
    if not provider:
        return []
    if provider not in PROVIDERS:
        return [
            Error(
                f"TRANSLATOR_PROVIDER={provider!r} is not one of: {', '.join(sorted(PROVIDERS))}.",
                hint="Leave it empty to switch translation off.",
                id="posts.E001",
            )
        ]
    if provider == "azure" and not settings.TRANSLATOR_KEY:
        return [Warning("Azure Translator needs TRANSLATOR_KEY.", id="posts.W001")]
    if provider == "libretranslate" and not settings.TRANSLATOR_URL:
        return [Warning("LibreTranslate needs TRANSLATOR_URL.", id="posts.W002")]
    return []
