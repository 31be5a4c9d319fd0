"""`migrate`, one process at a time: several web replicas booting together must not apply the
same migration twice. On PostgreSQL a session advisory lock serialises them (the later ones
then find nothing to do); SQLite serves one machine and its own write lock suffices."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

LOCK_KEY = 0x6D6963726F626C67  # "microblg"


class Command(BaseCommand):
    help = "Apply migrations, holding a database-wide lock on PostgreSQL while doing so."

    def handle(self, *args, **options):
        connection = connections["default"]
        locking = connection.vendor == "postgresql"
        if locking:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        finally:
            if locking:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
