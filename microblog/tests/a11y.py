"""Helpers for the accessibility tests: axe-core in the page, keyboard moves, quick sign-in."""

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

SERIOUS = {"serious", "critical"}
_axe = Axe()  # axe-core bundled in the package: no network needed


def serious_violations(page, context=None):
    """axe-core's serious and critical violations on the page (or inside `context`)."""
    results = _axe.run(page, context=context, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def describe(violations):
    """A readable report, one line per rule and one per element, for a failing assert."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


def sign_in_by_cookie(page, base_url, user):
    """Sign `user` in without the login form (whatever the page's language): a session cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def is_on_top(locator):
    """Shown at a readable size, and not covered by anything else (e.g. the navbar)."""
    return locator.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return box.width > 20 && box.height > 10 && element.contains(top);
        }"""
    )


def focused(page):
    """What has the focus: tag, id, name, and accessible text, for asserts and messages."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {
                tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name"),
                text: (e.innerText || e.value || e.getAttribute("aria-label") || "").trim(),
            };
        }"""
    )


def focus_is_visible(page):
    """The focused element has a solid outline at least 2 px wide (static/css/microblog.css)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def tab_to(page, locator, key="Tab", limit=40):
    """Press Tab (or Shift+Tab) until `locator` has the focus; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert focus_is_visible(page), f"focus is not visible on {focused(page)}"
        if is_focused(locator):
            return
    raise AssertionError(f"{key} x{limit} never reached {locator}; focus is on {focused(page)}")
