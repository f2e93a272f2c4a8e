"""The built site in a real browser (Playwright driving Debian's Chromium, installed by apt when missing).

Types a DBOS API name in the search box, checks that the rule that teaches it is among the results, opens it,
checks the priority badge, the red and green example boxes, the highlighted code and its copy button, follows
the Markdown link, and saves screenshots in test-output/browser/. The pages may load nothing from another host.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from skillpack.serve import serving
from test_site import pack_site  # noqa: F401 (the session fixture)

pytestmark = pytest.mark.xdist_group("browser")  # its module fixture is built once, in one worker

CHROMIUM = ("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OUTPUT = ROOT / "test-output" / "browser"
QUERY = "deduplication_id"


def find_chromium() -> str | None:
    return next((path for path in CHROMIUM if os.access(path, os.X_OK)), shutil.which("chromium"))


def install_chromium() -> str:
    """Debian's Chromium and a font, installed with apt-get when missing (one installer at a time)."""
    with open(Path(tempfile.gettempdir()) / "skillpack-chromium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = find_chromium()
        if found:
            return found
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        packages = ["chromium", "fonts-dejavu-core"]
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]):
            done = subprocess.run(sudo + command, env=env, capture_output=True, text=True, timeout=1200)
            if done.returncode != 0:
                pytest.fail(f"cannot install Chromium ({' '.join(command)}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        found = find_chromium()
        if not found:
            pytest.fail("apt-get installed chromium but no chromium executable was found")
        return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = find_chromium() or install_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def expected_rule(pack):
    """The rule that teaches the query: tagged with it, else the first whose body names it."""
    rules = [rule for _, rules in pack.sections() for rule in rules]
    tagged = [rule for rule in rules if QUERY in rule.tags]
    named = [rule for rule in rules if QUERY in rule.body]
    assert tagged or named, f"no rule teaches {QUERY}"
    return (tagged or named)[0]


def test_search_open_rule_and_markdown_link(browser, pack_site):  # noqa: F811
    OUTPUT.mkdir(parents=True, exist_ok=True)
    rule = expected_rule(pack_site.pack)
    requested: list[str] = []
    with serving(pack_site.site) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(server.url, wait_until="load")

        # Search: type the API name, wait for the results to fade in.
        page.click("input.md-search__input")
        page.keyboard.type(QUERY, delay=15)
        page.wait_for_selector("li.md-search-result__item a.md-search-result__link", state="visible", timeout=20_000)
        page.wait_for_timeout(400)
        links = page.eval_on_selector_all(
            "li.md-search-result__item > a.md-search-result__link", "links => links.map(a => a.href)"
        )
        expected = server.url + pack_site.rule_url(rule)
        matching = [href for href in links if href.split("#")[0].split("?")[0] == expected]
        assert matching, f"{expected} not among the results {links}"
        assert page.locator("li.md-search-result__item mark").count() > 0, "the query is highlighted in the results"
        page.screenshot(path=str(OUTPUT / "search.png"))

        # Open the rule.
        with page.expect_navigation(wait_until="load"):
            page.evaluate(
                """url => [...document.querySelectorAll("li.md-search-result__item > a.md-search-result__link")]
                    .find(link => link.href === url).click()""",
                matching[0],
            )
        assert urlsplit(page.url).path == "/" + pack_site.rule_url(rule)
        assert page.locator("h1").first.inner_text().strip().rstrip("¶").strip() == rule.title
        assert page.locator(".sp-rule-meta .sp-badge").inner_text().strip() == rule.priority

        # Incorrect and Correct: two boxes of different colours, with highlighted, copyable code.
        failure, success = page.locator(".admonition.failure").first, page.locator(".admonition.success").first
        assert failure.is_visible() and success.is_visible()
        border = "e => getComputedStyle(e).borderLeftColor"
        assert failure.evaluate(border) != success.evaluate(border)
        code = success.locator(".highlight code")
        assert code.locator("span").count() > 5, "code is tokenised by the highlighter"
        colours = code.evaluate("c => [...new Set([...c.querySelectorAll('span')].map(s => getComputedStyle(s).color))]")
        assert len(colours) >= 3, f"code is highlighted in several colours, got {colours}"
        page.wait_for_selector('.admonition.success button[data-md-type="copy"]', state="attached", timeout=10_000)

        # The Markdown twin, linked from the head and from the button by the title.
        button = page.locator('a[type="text/markdown"]')
        head = page.locator('link[rel="alternate"][type="text/markdown"]')
        href = button.get_attribute("href")
        assert href == head.get_attribute("href")
        twin_url = page.evaluate("href => new URL(href, location.href).href", href)
        assert twin_url == server.url + pack_site.rule_src(rule)
        response = page.request.get(twin_url)
        assert response.status == 200
        assert response.headers["content-type"] == "text/markdown; charset=utf-8"
        assert response.text() == (pack_site.site / pack_site.rule_src(rule)).read_text(encoding="utf-8")
        asked = page.request.get(page.url.split("?")[0], headers={"Accept": "text/markdown"})
        assert asked.text() == response.text()

        page.screenshot(path=str(OUTPUT / "rule.png"), full_page=True)
        page.goto(server.url, wait_until="load")
        page.screenshot(path=str(OUTPUT / "home.png"))
        page.close()
    foreign = [url for url in requested if not url.startswith((server.url, "data:", "blob:"))]
    assert foreign == [], f"the site loaded from other hosts: {foreign}"
    for name in ("search.png", "rule.png", "home.png"):
        assert (OUTPUT / name).stat().st_size > 10_000
