from django.core.management.base import BaseCommand

from posts.language import backfill_languages
from posts.models import Post


class Command(BaseCommand):
    help = (
        "Detect the language of posts that have none (e.g. rows imported in bulk); "
        "--all detects every post again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="detect every post, not only those without one"
        )

    def handle(self, *args, **options):
        posts = Post.objects.all() if options["all"] else Post.objects.filter(language="")
        changed = backfill_languages(posts)
        self.stdout.write(self.style.SUCCESS(f"Language detected for {changed} post(s)."))
