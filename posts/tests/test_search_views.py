"""/search: the page, the navbar form, and bad input."""

import re

import pytest
from django.urls import reverse

from posts.services import create_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(search_index, django_capture_on_commit_callbacks, user):
    def write(body, author=None):
        with django_capture_on_commit_callbacks(execute=True):
            return create_post(author or user, body)

    return write


def test_search_lists_matching_posts_rendered_as_everywhere(signed_in, post):
    found = post("Reading about database indexes again")
    post("Nothing to see here")
    response = signed_in.get("/search", {"q": "indexes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="post{found.pk}"' in html
    assert "Nothing to see here" not in html
    assert 'data-format="relative"' in html  # the same fragment as every post list
    assert 'data-popup-url="/user/susan/popup"' in html


def test_empty_or_missing_query_goes_back_to_explore(signed_in):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = signed_in.get("/search", params)
        assert response.status_code == 302
        assert response.url == reverse("posts:explore")


def test_search_needs_a_signed_in_user(client):
    response = client.get("/search", {"q": "anything"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_no_results_says_so(signed_in, search_index):
    response = signed_in.get("/search", {"q": "zebra"})
    assert response.status_code == 200
    assert "No posts match your search." in response.content.decode()


def test_newer_and_older_links_keep_the_query(signed_in, post, settings):
    settings.POSTS_PER_PAGE = 2
    for i in range(5):
        post(f"bike ride {i}")
    first = signed_in.get("/search", {"q": "bike"}).content.decode()
    assert "?q=bike&amp;page=2" in first and "Older posts" in first
    second = signed_in.get("/search", {"q": "bike", "page": "2"}).content.decode()
    assert "?q=bike&amp;page=1" in second and "?q=bike&amp;page=3" in second
    past_end = signed_in.get("/search", {"q": "bike", "page": "99"})
    assert past_end.status_code == 200
    assert "There is nothing on this page." in past_end.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1e9", "99999999999999999999"])
def test_odd_page_numbers_give_a_page(signed_in, post, page):
    post("bike ride")
    assert signed_in.get("/search", {"q": "bike", "page": page}).status_code == 200


@pytest.mark.parametrize(
    "query",
    ['"', "*", ":", "AND", '"unbalanced', "a:b:c", "((", "\\", "x" * 5000, "🎉"],
)
def test_odd_queries_never_fail(signed_in, post, query):
    post("something")
    assert signed_in.get("/search", {"q": query}).status_code == 200


@pytest.mark.parametrize("query", ["a\x00b", "\x00"])
def test_a_nul_in_the_query_is_a_bad_request(signed_in, post, query):
    post("something")
    assert signed_in.get("/search", {"q": query}).status_code == 400


def test_search_page_queries_are_bounded(signed_in, post, make_user, django_assert_max_num_queries):
    for i in range(30):
        post(f"market day {i}", author=make_user(f"seller{i}"))
    with django_assert_max_num_queries(8):
        response = signed_in.get("/search", {"q": "market"})
    shown = re.findall(r">market day (\d+)</p>", response.content.decode())
    assert len(set(shown)) == 25  # a full page of the 30 matches


def test_navbar_has_a_labelled_search_box_for_signed_in_users(signed_in, client):
    html = signed_in.get(reverse("posts:explore")).content.decode()
    assert 'action="/search"' in html
    assert '<label class="visually-hidden" for="navbar-search">Search posts</label>' in html
    assert 'name="q"' in html


def test_navbar_has_no_search_box_for_visitors(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'action="/search"' not in html


def test_an_unavailable_index_gives_a_page_that_says_so(signed_in, search_index, monkeypatch):
    from posts.search import query

    def broken(query, offset, per_page):
        raise FileNotFoundError("index gone")

    monkeypatch.setattr(query, "page_ids", broken)
    response = signed_in.get("/search", {"q": "anything"})
    assert response.status_code == 200
    assert "Search is unavailable right now." in response.content.decode()
