"""One OS process of test_search_concurrency: it writes posts the way the site does.

python -m posts.tests.search_writers setup
python -m posts.tests.search_writers write WORKER COUNT START_AT
python -m posts.tests.search_writers load MODE WRITES
python -m posts.tests.search_writers check
(with DATABASE_URL and SEARCH_URL pointing at a throwaway SQLite file and Whoosh directory)
"""

import json
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microblog.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from haystack import connections  # noqa: E402

from posts.models import IndexChange, Post  # noqa: E402
from posts.search import sync  # noqa: E402
from posts.search.query import search_posts  # noqa: E402
from posts.services import create_post, delete_post  # noqa: E402


def setup():
    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("writer", "writer@example.com", "x")
    connections["default"].get_backend().clear()


def write(worker, count, start_at):
    """Create `count` posts, deleting and editing some, each in its own "request"."""
    user = get_user_model().objects.get(username="writer")
    rng = random.Random(worker)
    mine = []
    while time.time() < start_at:  # all processes start writing together
        time.sleep(0.005)
    for i in range(count):
        with transaction.atomic():
            mine.append(create_post(user, f"concurrent w{worker} number {i}"))
        if rng.random() < 0.5:
            with transaction.atomic():
                delete_post(mine.pop(rng.randrange(len(mine))))
        if mine and rng.random() < 0.5:
            post = mine[rng.randrange(len(mine))]
            post.body = f"concurrent w{worker} edited {i}"
            with transaction.atomic():
                post.save()


def load(mode, writes):
    """Write posts without end, printing "ok N" after each; to be killed with SIGKILL.

    After `writes` posts, mode "before-job" makes the process hang (print "hanging") once a
    post has committed and before its sync job runs; "before-cleanup" once the job has
    written the index and before it deletes the outbox rows; "random" never hangs.
    """
    user = get_user_model().objects.get(username="writer")
    rng = random.Random()
    mine = []

    def hang(*args, **kwargs):
        print("hanging", flush=True)
        time.sleep(600)

    for i in range(10**9):
        if i == writes and mode == "before-job":
            sync.enqueue = hang
        if i == writes and mode == "before-cleanup":
            sync.sync_posts = lambda post_ids, real=sync.sync_posts: real(post_ids) or hang()
        mine.append(create_post(user, f"concurrent load number {i}"))
        if rng.random() < 0.3:
            delete_post(mine.pop(rng.randrange(len(mine))))
        if mine and rng.random() < 0.3:
            post = mine[rng.randrange(len(mine))]
            post.body = f"concurrent load edited {i}"
            with transaction.atomic():
                post.save()
        print(f"ok {i + 1}", flush=True)


def check():
    backend = connections["default"].get_backend()
    backend.setup()
    with backend.index.refresh().searcher() as searcher:
        documents = list(searcher.documents())
    indexed = {int(doc["django_id"]): doc["text"] for doc in documents}
    database = dict(Post.objects.values_list("pk", "body"))
    found = search_posts("concurrent", per_page=10_000)
    print(
        json.dumps(
            {
                "database": {str(k): v for k, v in sorted(database.items())},
                "index": {str(k): v for k, v in sorted(indexed.items())},
                "documents": len(documents),
                "found": len(found),
                "pending": IndexChange.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
    elif command == "write":
        write(int(args[0]), int(args[1]), float(args[2]))
    elif command == "load":
        load(args[0], int(args[1]))
    elif command == "check":
        check()
