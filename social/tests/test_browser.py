import pytest
from playwright.sync_api import expect

from posts.models import Post
from social.models import Follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def john_on_explore(page, make_user, sign_in):
    susan = make_user("susan")
    john = make_user("john", about_me="Coffee & code")
    Post.objects.create(author=john, body="first from john")
    Post.objects.create(author=john, body="second from john")
    Follow.objects.create(follower=susan, followed=john)
    popup_requests = []
    page.on("request", lambda r: "/popup" in r.url and popup_requests.append(r.url))
    sign_in(susan)
    page.goto("/explore")
    return popup_requests


def test_hovering_a_username_opens_its_popup_and_leaving_closes_it(page, john_on_explore):
    link = page.locator("a.user_popup", has_text="john").first
    link.hover()
    page.wait_for_timeout(400)
    expect(page.locator(".popover")).to_have_count(0)  # not before about a second
    popover = page.locator(".popover")
    expect(popover).to_be_visible(timeout=3000)
    expect(popover).to_contain_text("Coffee & code")
    expect(popover).to_contain_text("1 follower, 0 following")
    expect(popover.get_by_role("button", name="Unfollow john")).to_be_visible()
    expect(popover.locator("img.avatar[width='64']")).to_have_count(1)

    popover.hover()  # the pointer moves into the popup: it stays
    page.wait_for_timeout(800)
    expect(popover).to_be_visible()

    page.mouse.move(5, 700)  # and leaves it: it closes
    expect(page.locator(".popover")).to_have_count(0, timeout=3000)


def test_each_popup_is_fetched_once_per_page(page, john_on_explore):
    links = page.locator("a.user_popup", has_text="john")
    for index in (0, 1, 0):
        links.nth(index).hover()
        expect(page.locator(".popover")).to_be_visible(timeout=3000)
        page.mouse.move(5, 700)
        expect(page.locator(".popover")).to_have_count(0, timeout=3000)
    assert len(john_on_explore) == 1


def test_focus_opens_the_popup_and_escape_closes_it(page, john_on_explore):
    link = page.locator("a.user_popup", has_text="john").first
    link.focus()
    expect(page.locator(".popover")).to_be_visible(timeout=3000)
    page.keyboard.press("Escape")
    expect(page.locator(".popover")).to_have_count(0, timeout=3000)


def test_unfollow_from_the_popup(page, john_on_explore):
    page.locator("a.user_popup", has_text="john").first.hover()
    page.locator(".popover").get_by_role("button", name="Unfollow john").click()
    expect(page.get_by_text("You are not following john.")).to_be_visible()
    assert not Follow.objects.exists()
