from django.core.management.base import BaseCommand

from messaging.services import check_tasks


class Command(BaseCommand):
    help = (
        "Mark failed the background tasks whose job died, vanished or ran too long, so that "
        "no progress alert outlives its job. Run it every few minutes (cron, a systemd timer)."
    )

    def handle(self, *args, **options):
        failed = check_tasks()
        self.stdout.write(f"{len(failed)} task(s) marked failed.")
