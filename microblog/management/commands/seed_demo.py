"""Demo data: a small believable community by default, or a large generated one.

`manage.py seed_demo` is idempotent and prints how to sign in.
`manage.py seed_demo --users 1000 --posts 100000 --follows 50 --messages 2000 --seed 1`
bulk-inserts a large deterministic community for benchmarks.
"""

import random
import time
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import set_avatar
from microblog import demo_images
from posts.media import add_images
from posts.models import Post
from posts.search import rebuild_index
from social.models import Follow

DEMO_PASSWORD = "microblog-demo"

DEMO_USERS = {
    "susan": "Gardener, reader, occasional baker.",
    "john": "I write code and drink too much coffee.",
    "maria": "Fotógrafa en Madrid. Me encanta viajar.",
    "carlos": "Estudiante de ingeniería y fan del fútbol.",
    "ana": "Bilingual teacher: English and Spanish.",
}
DEMO_POSTS = [
    ("susan", "en", "The tomatoes finally turned red this morning. Summer is officially here!"),
    (
        "john",
        "en",
        "Spent the whole afternoon chasing a bug that turned out to be a missing comma.",
    ),
    ("maria", "es", "Hoy he visto el atardecer más bonito del año desde el templo de Debod."),
    ("carlos", "es", "Mañana tenemos examen de cálculo y todavía no he empezado a estudiar."),
    ("ana", "en", "My students wrote short stories today and some of them were wonderful."),
    (
        "susan",
        "en",
        "Does anyone have a good recipe for sourdough bread that a beginner can follow?",
    ),
    (
        "maria",
        "es",
        "¿Alguien sabe dónde puedo revelar carretes de fotos en el centro de la ciudad?",
    ),
    (
        "john",
        "en",
        "Reading about database indexes again. They are the closest thing to magic we have.",
    ),
    ("ana", "es", "Mis alumnos escribieron cuentos cortos hoy y algunos eran maravillosos."),
    ("carlos", "es", "Qué partido tan emocionante anoche, no me lo esperaba para nada."),
]
# index in DEMO_POSTS: [(sky, ground, sun, alt text), ...], pictures drawn by demo_images.
DEMO_PICTURES = {
    0: [
        (
            (120, 170, 230),
            (70, 140, 60),
            (255, 210, 80),
            "A sunny garden: green hills under a blue sky.",
        )
    ],
    2: [
        (
            (230, 120, 80),
            (90, 60, 90),
            (255, 230, 150),
            "Puesta de sol naranja sobre colinas moradas.",
        ),
        ((60, 80, 160), (40, 60, 50), (250, 250, 220), "La misma vista al anochecer, con la luna."),
    ],
}
# username: (background, skin, hair) of a drawn avatar; the others keep the default one.
DEMO_AVATARS = {
    "maria": ((250, 220, 200), (224, 172, 140), (60, 40, 30)),
    "ana": ((200, 230, 250), (190, 140, 110), (20, 20, 20)),
}
DEMO_FOLLOWS = [
    ("susan", "john"),
    ("susan", "maria"),
    ("john", "susan"),
    ("john", "ana"),
    ("maria", "carlos"),
    ("maria", "ana"),
    ("carlos", "maria"),
    ("ana", "susan"),
    ("ana", "maria"),
]
DEMO_MESSAGES = [
    ("john", "susan", "Hi Susan! Do you have any tomatoes to spare this week?"),
    ("maria", "susan", "¡Hola Susan! Me encantan las fotos de tu jardín."),
]

WORDS = {
    "en": (
        "the a my our this that today tomorrow morning evening coffee garden code book "
        "city river friend music movie dinner walk run rain sun weekend project idea "
        "story photo train bike market bread cake team game is was looks feels seems "
        "loved found made wrote read saw tried great lovely strange quiet busy new old "
        "little big happy"
    ).split(),
    "es": (
        "el la mi nuestro este hoy mañana tarde noche café jardín libro ciudad río amigo "
        "música película cena paseo lluvia sol proyecto idea historia foto tren mercado "
        "pan equipo partido es fue parece encanta encontré hice escribí leí vi probé "
        "genial precioso extraño tranquilo nuevo viejo pequeño grande feliz también muy"
    ).split(),
}

BATCH = 5000


def message_model():
    try:
        return apps.get_model("messaging", "Message")
    except LookupError:
        return None


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
        User = get_user_model()
        if User.objects.filter(username="susan").exists():
            self.stdout.write("Demo community already present: nothing to do.")
            return
        password = make_password(DEMO_PASSWORD)
        users = {
            name: User.objects.create(
                username=name, email=f"{name}@example.com", about_me=about, password=password
            )
            for name, about in DEMO_USERS.items()
        }
        now = timezone.now()
        posts = [
            Post(
                author=users[name], body=body, language=lang, timestamp=now - timedelta(hours=3 * i)
            )
            for i, (name, lang, body) in enumerate(DEMO_POSTS)
        ]
        Post.objects.bulk_create(posts)
        for index, pictures in DEMO_PICTURES.items():
            add_images(
                post=posts[index],
                images_with_alt=[(demo_images.scene(*colours), alt) for *colours, alt in pictures],
            )
        for name, colours in DEMO_AVATARS.items():
            set_avatar(user=users[name], image=demo_images.face(*colours))
        Follow.objects.bulk_create(
            Follow(follower=users[a], followed=users[b]) for a, b in DEMO_FOLLOWS
        )
        Message = message_model()
        if Message is not None:
            Message.objects.bulk_create(
                Message(sender=users[a], recipient=users[b], body=body)
                for a, b, body in DEMO_MESSAGES
            )
        self.after_bulk_insert()
        self.stdout.write(
            f"Created {len(users)} users, {len(posts)} posts, {len(DEMO_FOLLOWS)} follows."
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

        Message = message_model()
        if options["messages"] and Message is not None:
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
            self.stdout.write(f"{options['messages']} messages.")
        self.analyze()
        self.after_bulk_insert()

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
