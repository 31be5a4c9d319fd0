import pytest
from playwright.sync_api import expect

from posts.services import create_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_navbar_finds_a_post_written_a_moment_ago(
    page, sign_in, user, make_user, search_index
):
    create_post(make_user("maria"), "Mi canción favorita suena en la radio")
    create_post(user, "A song about the sea")
    sign_in(user)

    page.get_by_label("Say something").fill("Sourdough bread, second attempt")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your post is now live!")).to_be_visible()

    page.get_by_label("Search posts").fill("sourdough")
    page.get_by_label("Search posts").press("Enter")
    expect(page.get_by_role("heading", name="Search results for “sourdough”")).to_be_visible()
    expect(page.get_by_text("Sourdough bread, second attempt")).to_be_visible()
    assert page.get_by_label("Search posts").input_value() == "sourdough"

    page.get_by_label("Search posts").fill("cancion")
    page.get_by_label("Search posts").press("Enter")
    expect(page.get_by_text("Mi canción favorita suena en la radio")).to_be_visible()
    expect(page.locator("article.post")).to_have_count(1)

    page.get_by_label("Search posts").fill("")
    page.get_by_label("Search posts").press("Enter")
    expect(page.get_by_role("heading", name="Explore")).to_be_visible()
