from django.apps import AppConfig


class MicroblogConfig(AppConfig):
    name = "microblog"
    verbose_name = "Microblog"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
