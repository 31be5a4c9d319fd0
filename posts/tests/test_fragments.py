"""Cached post HTML (posts.fragments): served from the cache, never stale."""

import re
from pathlib import Path

import pytest
from django.core.cache import caches
from django.template.loader import get_template

from posts.fragments import INCLUDED, TEMPLATE, fragment_key, post_template, render_posts
from posts.models import Post

pytestmark = pytest.mark.django_db
ARTICLES = re.compile(r"<article.*?</article>", re.S)


@pytest.fixture(autouse=True)
def _empty_fragment_cache():
    caches["fragments"].clear()


def explore_html(client):
    response = client.get("/explore")
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_page_view_draws_posts_from_the_cache(signed_in, user):
    post = Post.objects.create(author=user, body="Hello from the cache", language="en")
    first = explore_html(signed_in)
    assert "Hello from the cache" in first
    # Replace the cached HTML: if the page shows the replacement, it came from the cache.
    cache = caches["fragments"]
    post = Post.objects.with_authors().get(pk=post.pk)
    key = fragment_key(post, "en", user.pk, post_template()[1])
    cache.set(key, cache.get(key).replace("Hello from the cache", "From cache!"))
    second = explore_html(signed_in)
    assert "From cache!" in second
    assert "Hello from the cache" not in second


def test_cached_and_fresh_pages_are_identical(signed_in, user, make_user):
    other = make_user("bob")
    Post.objects.create(author=user, body="mine", language="en")
    Post.objects.create(author=other, body="his", language="es")
    fresh, cached = (ARTICLES.findall(explore_html(signed_in)) for _ in range(2))
    assert len(fresh) == 2
    assert cached == fresh  # (the rest of the page differs: the CSRF token is masked anew)


def test_a_renamed_author_shows_the_new_name(signed_in, make_user):
    bob = make_user("bob")
    Post.objects.create(author=bob, body="a post by bob")
    assert ">bob</a>" in explore_html(signed_in)
    bob.username = "robert"
    bob.save()
    html = explore_html(signed_in)
    assert ">robert</a>" in html
    assert "/user/robert" in html
    assert ">bob</a>" not in html


def test_a_new_address_shows_the_new_avatar(signed_in, make_user):
    bob = make_user("bob", email="bob@example.com")
    Post.objects.create(author=bob, body="a post by bob")
    before = explore_html(signed_in)
    bob.email = "robert@example.com"
    bob.save()
    after = explore_html(signed_in)
    assert bob.avatar(36).replace("&", "&amp;") in after
    assert bob.avatar(36).replace("&", "&amp;") not in before


def test_only_the_author_sees_the_delete_link_whoever_looked_first(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    post = Post.objects.create(author=alice, body="alice writes")
    delete_url = f"/post/{post.pk}/delete"
    client.force_login(bob)
    assert delete_url not in explore_html(client)
    client.force_login(alice)
    assert delete_url in explore_html(client)
    client.force_login(bob)
    assert delete_url not in explore_html(client)


def test_each_language_gets_its_own_html(signed_in, user, make_user):
    Post.objects.create(author=user, body="my own post", language="en")
    Post.objects.create(author=make_user("bob"), body="hola a todos", language="es")
    english = explore_html(signed_in)
    assert "Delete" in english and "Translate" in english
    spanish = signed_in.get("/explore", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Eliminar" in spanish and "Traducir" in spanish
    assert "Delete" not in spanish
    assert 'data-dest-language="es"' in spanish


def test_a_deleted_post_leaves_the_page(signed_in, user):
    post = Post.objects.create(author=user, body="soon gone")
    assert "soon gone" in explore_html(signed_in)
    signed_in.post(f"/post/{post.pk}/delete")
    assert "soon gone" not in explore_html(signed_in)


def test_html_is_escaped_in_cached_posts(signed_in, make_user):
    Post.objects.create(author=make_user("bob"), body="<script>alert(1)</script>")
    for _ in range(2):
        html = explore_html(signed_in)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_render_posts_of_nothing_is_empty(user):
    assert render_posts([], user) == ""


def test_an_unreachable_cache_still_renders_the_posts(signed_in, user, monkeypatch):
    Post.objects.create(author=user, body="rendered without a cache")

    def down(*args, **kwargs):
        raise ConnectionError("cache server down")

    monkeypatch.setattr(caches["fragments"], "get_many", down)
    monkeypatch.setattr(caches["fragments"], "set_many", down)
    assert "rendered without a cache" in explore_html(signed_in)


INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def test_the_key_covers_every_template_the_post_includes():
    included, pending = set(), [TEMPLATE]
    while pending:
        source = get_template(pending.pop()).template.source
        for name in INCLUDE.findall(source):
            if name not in included:
                included.add(name)
                pending.append(name)
    assert "{% include" not in INCLUDE.sub("", get_template(TEMPLATE).template.source)
    assert included == set(INCLUDED)


def test_changing_an_included_template_changes_the_key(settings, tmp_path, signed_in, user):
    """A deploy that changes only _user_link.html must not serve the old cached HTML."""
    Post.objects.create(author=user, body="included", language="en")
    explore_html(signed_in)  # cached with the templates as they are
    templates = tmp_path / "templates" / "includes"
    templates.mkdir(parents=True)
    original = Path(get_template(INCLUDED[0]).origin.name).read_text()
    (templates / Path(INCLUDED[0]).name).write_text(original.replace("fw-semibold", "fw-new"))
    before = post_template()[1]
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert post_template()[1] != before
    assert 'class="user_popup fw-new"' in explore_html(signed_in)
