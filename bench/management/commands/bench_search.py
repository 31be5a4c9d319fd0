"""Measure the search index: time to rebuild it from the posts, and the time of a search.

Run it on a throwaway database seeded with the demo generator (scripts/bench_search.sh does
all of it):

    manage.py seed_demo --users 1000 --posts 100000
    manage.py bench_search
"""

import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from microblog.demo import WORDS
from posts.models import Post
from posts.search.query import indexed_count, search_posts


class Command(BaseCommand):
    help = "Time rebuild_index over the posts in the database, and searches on the result."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=200, help="searches to time")
        parser.add_argument("--no-rebuild", action="store_true", help="time searches only")
        parser.add_argument("--seed", type=int, default=1, help="random seed for the queries")

    def handle(self, *args, **options):
        if options["queries"] < 1:
            raise CommandError("--queries must be at least 1.")
        posts = Post.objects.visible().count()
        if not posts:
            raise CommandError("No posts: run `manage.py seed_demo --posts 100000` first.")
        self.stdout.write(f"{posts} posts of active users in the database.")

        if not options["no_rebuild"]:
            started, cpu_started = time.perf_counter(), time.process_time()
            call_command("rebuild_index", interactive=False, verbosity=0)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            self.stdout.write(
                f"rebuild_index: {elapsed:.1f} s ({posts / elapsed:.0f} posts/s), "
                f"{cpu:.1f} s of CPU"
            )
        indexed = indexed_count()
        self.stdout.write(f"{indexed} posts in the index.")
        if indexed != posts:
            self.stderr.write("The index does not match the database: run update_index.")

        rng = random.Random(options["seed"])
        vocabulary = WORDS["en"] + WORDS["es"]
        queries = [
            " ".join(rng.sample(vocabulary, rng.choice((1, 1, 2))))
            for _ in range(options["queries"])
        ]
        search_posts(queries[0])  # open the index once, as a running worker has
        for label, page in (("first page", 1), ("page 5", 5)):
            timings = []
            for query in queries:
                started = time.perf_counter()
                search_posts(query, page)
                timings.append(time.perf_counter() - started)
            timings.sort()
            self.stdout.write(
                f"search, {label} of 25 posts with authors ({len(timings)} queries): "
                f"median {statistics.median(timings) * 1000:.1f} ms, "
                f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.1f} ms"
            )
