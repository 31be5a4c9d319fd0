import pytest
from django.core.management import call_command

from posts.language import backfill_languages, detect_language
from posts.models import Post
from posts.services import create_post


@pytest.mark.parametrize(
    "text, language",
    [
        ("The tomatoes finally turned red this morning. Summer is officially here!", "en"),
        ("Hoy he visto el atardecer más bonito del año desde el templo de Debod.", "es"),
        ("Bonjour tout le monde, il fait très beau aujourd'hui à Paris.", "fr"),
        ("ok", ""),  # too short: langdetect would say Slovak
        ("Hola", ""),
        ("12345 !!! :-)", ""),  # no letters at all
        ("", ""),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_detection_is_deterministic():
    text = "Qué partido tan emocionante anoche, no me lo esperaba"
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_create_post_stores_the_language(user):
    post = create_post(user, "  Mañana tenemos examen de cálculo y todavía no he empezado.  ")
    post.refresh_from_db()
    assert post.body == "Mañana tenemos examen de cálculo y todavía no he empezado."
    assert post.language == "es"
    assert create_post(user, "lol").language == ""


def test_backfill_detects_missing_languages(user):
    Post.objects.create(author=user, body="Mis alumnos escribieron cuentos cortos hoy.")
    Post.objects.create(author=user, body="My students wrote short stories today.")
    Post.objects.create(author=user, body="ok")
    assert backfill_languages(Post.objects.filter(language=""), batch_size=1) == 2
    assert [p.language for p in Post.objects.order_by("pk")] == ["es", "en", ""]


def test_detect_post_languages_command(user, capsys):
    post = Post.objects.create(author=user, body="Mis alumnos escribieron cuentos cortos hoy.")
    wrong = Post.objects.create(
        author=user, body="My students wrote short stories today.", language="de"
    )
    call_command("detect_post_languages")
    assert "1 post(s)" in capsys.readouterr().out
    post.refresh_from_db()
    wrong.refresh_from_db()
    assert (post.language, wrong.language) == ("es", "de")

    call_command("detect_post_languages", "--all")
    wrong.refresh_from_db()
    assert wrong.language == "en"
