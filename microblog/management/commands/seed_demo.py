"""Demo data: a small believable community by default, or a large generated one.

`manage.py seed_demo` is idempotent and prints how to sign in.
`manage.py seed_demo --users 1000 --posts 100000 --follows 50 --messages 2000 --seed 1`
bulk-inserts a large deterministic community for benchmarks.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.services import register_user, set_avatar
from messaging.models import UNREAD_MESSAGE_COUNT, Message, Notification
from messaging.services import send_message
from microblog import demo_images
from microblog.demo import (
    DEMO_AVATARS,
    DEMO_FOLLOWS,
    DEMO_MESSAGES,
    DEMO_PASSWORD,
    DEMO_PICTURES,
    DEMO_POSTS,
    DEMO_USERS,
    WORDS,
)
from posts.models import Post
from posts.search.sync import rebuild_index
from posts.services import create_post
from social.models import Follow
from social.services import follow

BATCH = 5000


class Command(BaseCommand):
    help = "Create demo data: a small community, or a large generated one for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=0, help="generate this many users")
        parser.add_argument("--posts", type=int, default=0, help="generate this many posts")
        parser.add_argument("--follows", type=int, default=0, help="follows per user")
        parser.add_argument("--messages", type=int, default=0, help="private messages")
        parser.add_argument("--seed", type=int, default=1, help="random seed (deterministic)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing unless the database has no users"
        )

    def handle(self, *args, **options):
        User = get_user_model()
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("The database already has users: nothing seeded.")
            return
        for name in ("users", "posts", "follows", "messages"):
            if options[name] < 0:
                raise CommandError(f"--{name} must be zero or more.")
        started = time.monotonic()
        if options["users"] or options["posts"]:
            self.generate(options)
        else:
            self.seed_small()
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/auth/login as susan (or john, maria, carlos, ana "
            f"or any generated user) with the password {DEMO_PASSWORD!r}."
        )

    @transaction.atomic
    def seed_small(self):
        """Through the services the site uses: languages detected, unread badges notified."""
        User = get_user_model()
        if User.objects.filter(username="susan").exists():
            self.stdout.write("Demo community already present: nothing to do.")
            return
        users = {
            name: register_user(
                username=name, email=f"{name}@example.com", password=DEMO_PASSWORD, about_me=about
            )
            for name, about in DEMO_USERS.items()
        }
        for index, (name, body) in reversed(list(enumerate(DEMO_POSTS))):
            pictures = DEMO_PICTURES.get(index, [])
            create_post(
                users[name],
                body,
                images_with_alt=[(demo_images.scene(*colours), alt) for *colours, alt in pictures],
            )
        for name, colours in DEMO_AVATARS.items():
            set_avatar(user=users[name], image=demo_images.face(*colours))
        for follower, followed in DEMO_FOLLOWS:
            follow(users[follower], users[followed])
        for sender, recipient, body in DEMO_MESSAGES:
            send_message(users[sender], users[recipient], body)
        self.stdout.write(
            f"Created {len(users)} users, {len(DEMO_POSTS)} posts, {len(DEMO_FOLLOWS)} follows."
        )

    def generate(self, options):
        User = get_user_model()
        rng = random.Random(options["seed"])
        n_users = max(options["users"], 1)
        password = make_password(DEMO_PASSWORD)
        first = User.objects.count()
        now = timezone.now()
        with transaction.atomic():
            User.objects.bulk_create(
                (
                    User(
                        username=f"user{first + i:06d}",
                        email=f"user{first + i:06d}@example.com",
                        password=password,
                        about_me=" ".join(rng.choices(WORDS["en"], k=8))[:140],
                        date_joined=now - timedelta(days=365),
                        last_seen=now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
                    )
                    for i in range(n_users)
                ),
                batch_size=BATCH,
            )
        user_ids = list(User.objects.order_by("id").values_list("id", flat=True))
        self.stdout.write(f"{n_users} users.")

        span = 365 * 24 * 3600
        for start in range(0, options["posts"], BATCH):
            size = min(BATCH, options["posts"] - start)
            batch = []
            for _ in range(size):
                lang = "es" if rng.random() < 0.3 else "en"
                words = rng.choices(WORDS[lang], k=rng.randint(5, 18))
                batch.append(
                    Post(
                        author_id=rng.choice(user_ids),
                        body=" ".join(words).capitalize()[:139] + ".",
                        language=lang,
                        timestamp=now - timedelta(seconds=rng.randrange(span)),
                    )
                )
            with transaction.atomic():
                Post.objects.bulk_create(batch)
        self.stdout.write(f"{options['posts']} posts.")

        per_user = min(options["follows"], len(user_ids) - 1)
        if per_user > 0:
            follows = []
            for follower in user_ids:
                chosen = [u for u in rng.sample(user_ids, per_user + 1) if u != follower]
                follows.extend(
                    Follow(follower_id=follower, followed_id=followed)
                    for followed in chosen[:per_user]
                )
            with transaction.atomic():
                Follow.objects.bulk_create(follows, batch_size=BATCH, ignore_conflicts=True)
            self.stdout.write(f"{len(follows)} follows.")

        if options["messages"]:
            with transaction.atomic():
                Message.objects.bulk_create(
                    (
                        Message(
                            sender_id=a,
                            recipient_id=b,
                            body=" ".join(rng.choices(WORDS["en"], k=10)).capitalize(),
                            timestamp=now - timedelta(seconds=rng.randrange(span)),
                        )
                        for a, b in (rng.sample(user_ids, 2) for _ in range(options["messages"]))
                    ),
                    batch_size=BATCH,
                )
                self.notify_unread_counts()
            self.stdout.write(f"{options['messages']} messages.")
        self.analyze()
        self.after_bulk_insert()

    def notify_unread_counts(self):
        """The unread badges send_message would have set, one row per recipient."""
        unread = Message.objects.unread().values("recipient").annotate(n=Count("*"))
        Notification.objects.bulk_create(
            (
                Notification(user_id=row["recipient"], name=UNREAD_MESSAGE_COUNT, data=row["n"])
                for row in unread.order_by()
            ),
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["user", "name"],
            update_fields=["data", "timestamp"],
        )

    def analyze(self):
        """Fresh planner statistics (and, on PostgreSQL, a fresh visibility map for index-only
        scans) right after a bulk load, instead of whenever autovacuum gets to it."""
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")

    def after_bulk_insert(self):
        """Bulk inserts send no signals: derived data (the search index) is built once here."""
        started = time.monotonic()
        count = rebuild_index()
        self.stdout.write(
            f"Search index of {count} posts built in {time.monotonic() - started:.1f} s."
        )
