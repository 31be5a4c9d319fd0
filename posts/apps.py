from django.apps import AppConfig


class PostsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "posts"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the translator settings check)
            signals,  # noqa: F401  (deletes a post image's files with its row)
        )
