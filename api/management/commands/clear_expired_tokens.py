from django.core.management.base import BaseCommand
from django.utils import timezone

from api.models import Token


class Command(BaseCommand):
    help = "Delete expired API tokens (like clearsessions; safe to run from cron)."

    def handle(self, *args, **options):
        deleted, _details = Token.objects.filter(expires__lte=timezone.now()).delete()
        self.stdout.write(f"Deleted {deleted} expired API token(s).")
