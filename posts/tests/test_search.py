import pytest

from posts.search import search_posts
from posts.services import create_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(search_index, django_capture_on_commit_callbacks, user):
    """write("body", author=...) creates a post the way the site does, index included."""

    def write_post(body, author=None):
        with django_capture_on_commit_callbacks(execute=True):
            return create_post(author or user, body)

    return write_post


def bodies(page):
    return [post.body for post in page]


def test_matching_words_find_the_post(write):
    write("The tomatoes finally turned red")
    write("A quiet evening with a book")
    assert bodies(search_posts("tomatoes")) == ["The tomatoes finally turned red"]
    assert bodies(search_posts("tomato")) == ["The tomatoes finally turned red"]
    assert bodies(search_posts("nothing-like-this")) == []


def test_spanish_accents_match_with_or_without_them(write):
    write("Mi canción favorita es de Mecano")
    write("Mañana tenemos examen de cálculo")
    assert bodies(search_posts("canción")) == ["Mi canción favorita es de Mecano"]
    assert bodies(search_posts("cancion")) == ["Mi canción favorita es de Mecano"]
    assert bodies(search_posts("CALCULO")) == ["Mañana tenemos examen de cálculo"]
    assert bodies(search_posts("mañana")) == ["Mañana tenemos examen de cálculo"]
