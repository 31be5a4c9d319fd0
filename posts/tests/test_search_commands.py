"""Operators' commands: rebuild_index, update_index and seed_demo."""

import io

import pytest
from django.core.management import call_command

from posts.models import Post
from posts.search.query import indexed_count, search_posts

pytestmark = pytest.mark.django_db


def bodies(page):
    return [post.body for post in page]


def test_update_index_catches_up_with_posts_written_without_signals(search_index, user):
    Post.objects.bulk_create([Post(author=user, body=f"bulk bread {i}") for i in range(3)])
    assert bodies(search_posts("bread")) == []
    call_command("update_index", verbosity=0)
    assert len(search_posts("bread")) == 3


def test_rebuild_index_drops_what_the_database_no_longer_has(search_index, make_user, user):
    gone = make_user("gone", is_active=False)
    Post.objects.bulk_create(
        [Post(author=user, body="kept river walk"), Post(author=gone, body="hidden river")]
    )
    call_command("update_index", verbosity=0)
    Post.objects.filter(body="kept river walk").update(body="kept lake walk")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert bodies(search_posts("river")) == []
    assert bodies(search_posts("lake")) == ["kept lake walk"]
    assert indexed_count() == 1  # the deactivated user's post is not indexed


def test_seed_demos_community_is_searchable(search_index, committed):
    with committed():  # its posts are indexed once its transaction commits, as create_post's are
        call_command("seed_demo", stdout=io.StringIO())
    assert indexed_count() == Post.objects.count() == 10
    assert bodies(search_posts("tomatoes")) == [
        "The tomatoes finally turned red this morning. Summer is officially here!"
    ]
    assert len(search_posts("calculo")) == 1
