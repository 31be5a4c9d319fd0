"""Wait until the database accepts connections: containers start before their database."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections


class Command(BaseCommand):
    help = "Wait until the default database accepts connections, or fail after --timeout."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
        parser.add_argument("--interval", type=float, default=1, help="seconds between tries")

    def handle(self, *args, timeout, interval, **options):
        connection = connections["default"]
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
            except OperationalError as error:
                if time.monotonic() >= deadline:
                    raise CommandError(
                        f"The database did not answer within {timeout:g} seconds: {error}"
                    ) from error
                self.stderr.write(f"Waiting for the database: {str(error).strip()}")
                connection.close()
                time.sleep(interval)
            else:
                self.stdout.write("The database is up.")
                return
