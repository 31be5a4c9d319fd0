import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from posts.models import Post
from posts.translation import MAX_TEXT_LENGTH

URL = "/translate"
SPANISH = "Hoy he visto el atardecer más bonito del año."
FIELDS = {"text": SPANISH, "source_language": "es", "dest_language": "en"}


def test_translate_url():
    assert reverse("posts:translate") == URL


def test_translate_answers_json(signed_in, fake_libretranslate):
    response = signed_in.post(URL, FIELDS)
    assert response.status_code == 200
    assert response.json() == {"text": "Today I saw the most beautiful sunset of the year."}


def test_translate_with_azure(signed_in, fake_azure):
    response = signed_in.post(URL, FIELDS)
    assert response.json() == {"text": "Today I saw the most beautiful sunset of the year."}
    assert fake_azure.requests[0].query["to"] == "en"


def test_translate_requires_login(client, db, fake_libretranslate):
    response = client.post(URL, FIELDS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert fake_libretranslate.requests == []


def test_translate_holds_no_transaction(signed_in, fake_libretranslate, monkeypatch):
    from django.db import connection

    from posts import views

    seen = []
    real = views.translate

    def spy(**fields):
        seen.append(len(connection.atomic_blocks))
        return real(**fields)

    monkeypatch.setattr(views, "translate", spy)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    assert signed_in.post(URL, FIELDS).status_code == 200
    assert seen == [outside]


def test_translate_requires_post(signed_in):
    assert signed_in.get(URL, FIELDS).status_code == 405


def test_translate_requires_csrf(user, fake_libretranslate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, FIELDS).status_code == 403
    assert fake_libretranslate.requests == []


def test_not_configured(signed_in, settings):
    settings.TRANSLATOR_PROVIDER = ""
    response = signed_in.post(URL, FIELDS)
    assert response.status_code == 503
    assert response.json() == {"error": "The translation service is not configured."}


def test_not_configured_in_spanish(signed_in, settings):
    settings.TRANSLATOR_PROVIDER = ""
    response = signed_in.post(URL, FIELDS, HTTP_ACCEPT_LANGUAGE="es")
    assert response.json() == {"error": "El servicio de traducción no está configurado."}


def test_provider_failure_is_a_json_error(signed_in, fake_libretranslate):
    fake_libretranslate.mode = "error"
    response = signed_in.post(URL, FIELDS)
    assert response.status_code == 502
    assert "could not translate" in response.json()["error"]


def test_provider_timeout_is_a_json_error(signed_in, fake_libretranslate, settings):
    settings.TRANSLATOR_TIMEOUT = 0.3
    fake_libretranslate.mode = "slow"
    fake_libretranslate.delay = 1.5
    response = signed_in.post(URL, FIELDS)
    assert response.status_code == 504
    assert "took too long" in response.json()["error"]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"text": ""}, "text", "This field is required."),
        ({"text": "   "}, "text", "This field is required."),
        ({"text": "x" * (MAX_TEXT_LENGTH + 1)}, "text", "at most 1000 characters"),
        ({"source_language": "klingon"}, "source_language", "Unknown language code: klingon."),
        ({"dest_language": "xx"}, "dest_language", "Unknown language code: xx."),
        ({"dest_language": ""}, "dest_language", "This field is required."),
        ({"source_language": None}, "source_language", "This field is required."),
    ],
)
def test_bad_input_is_a_400_with_a_message(signed_in, fake_libretranslate, changes, field, message):
    data = {**FIELDS, **changes}
    data = {name: value for name, value in data.items() if value is not None}
    response = signed_in.post(URL, data)
    assert response.status_code == 400
    body = response.json()
    assert message in body["error"]
    assert any(message in error for error in body["fields"][field])
    assert fake_libretranslate.requests == []


def test_bad_input_message_names_the_field(signed_in):
    response = signed_in.post(URL, {})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Text: This field is required.")


def test_language_codes_are_normalised(signed_in, fake_libretranslate):
    response = signed_in.post(URL, {**FIELDS, "source_language": " ES ", "dest_language": "EN"})
    assert response.status_code == 200
    assert fake_libretranslate.requests[0].json()["source"] == "es"


# The Translate link ------------------------------------------------------------------------


@pytest.fixture
def posts(make_user):
    author = make_user("maria")
    now = timezone.now()
    return {
        "es": Post.objects.create(author=author, body=SPANISH, language="es", timestamp=now),
        "en": Post.objects.create(
            author=author, body="The tomatoes turned red.", language="en", timestamp=now
        ),
        "": Post.objects.create(author=author, body="ok", language="", timestamp=now),
    }


def test_translate_link_only_under_posts_in_another_language(signed_in, posts):
    html = signed_in.get("/explore").content.decode()
    assert f'id="translation{posts["es"].pk}"' in html
    assert f'id="translation{posts["en"].pk}"' not in html
    assert f'id="translation{posts[""].pk}"' not in html
    assert 'data-source-language="es" data-dest-language="en"' in html
    assert f'<p class="mb-1" id="post{posts["es"].pk}" lang="es">' in html


def test_translate_link_follows_the_active_language(signed_in, posts):
    html = signed_in.get("/explore", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f'id="translation{posts["es"].pk}"' not in html
    assert f'id="translation{posts["en"].pk}"' in html
    assert ">Traducir</a>" in html


def test_explore_query_count_with_translate_links(signed_in, posts, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert signed_in.get("/explore").status_code == 200
