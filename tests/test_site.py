"""The docs site: every page and its Markdown twin, links, badges, examples, offline HTML, llms.txt, escaping,
determinism and strict builds.

``pack_site`` builds the site of the repository's own pack once per test run (shared by the xdist workers) and is
also used by test_serve.py and test_browser.py.
"""

from __future__ import annotations

import fcntl
import html
import os
import re
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_PACK, ROOT
from lint_samples import copy_linter
from skillpack.load import LINK_RE, load_pack, relative_links
from skillpack.model import Pack, Rule
from skillpack.site import build_site, layout, link_text, page_url
from skillpack.validate import validate_pack

EXTERNAL_URL_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


@dataclass(frozen=True)
class BuiltSite:
    """A built site and the pack it was built from."""

    pack_root: Path
    site: Path
    pack: Pack

    def rule_src(self, rule: Rule) -> str:
        return layout(self.pack).rule_src[rule.path]

    def rule_url(self, rule: Rule) -> str:
        return page_url(self.rule_src(rule))


def snapshot_pack(source: Path, target: Path) -> list[str]:
    """Copy a pack's references/ (and its example drivers, tests/examples/) and drop the rule files that do not
    validate (rules being written by someone right now; `make test` checks the whole pack with `skillpack build
    --check` anyway). Returns the dropped names."""
    shutil.copytree(source / "references", target / "references")
    if (source / "tests" / "examples").is_dir():
        shutil.copytree(source / "tests" / "examples", target / "tests" / "examples")
    copy_linter(source, target)
    dropped = []
    for _ in range(10):
        problems = validate_pack(load_pack(target))
        broken = {d.path for d in problems if d.path.suffix == ".md" and d.path.parent == target / "references"}
        if not problems:
            return dropped
        if not broken:
            raise AssertionError("the pack does not validate:\n" + "\n".join(d.format(target) for d in problems))
        for path in sorted(broken):
            dropped.append(path.name)
            path.unlink()
    raise AssertionError("the pack does not validate")


@pytest.fixture(scope="session")
def pack_site(tmp_path_factory) -> BuiltSite:
    """The site of the repository's pack, built once per run into a folder the xdist workers share."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "pack-site"
    with open(shared / "pack-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "built"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            dropped = snapshot_pack(ROOT, folder / "pack")
            result = build_site(folder / "pack", folder / "site", ROOT / "mkdocs.yml")
            assert result.ok, "\n".join(d.format() for d in result.diagnostics)
            done.write_text("\n".join(dropped), encoding="utf-8")
        dropped = [name for name in done.read_text(encoding="utf-8").split("\n") if name]
    if dropped:
        warnings.warn(f"site built without rules that do not validate yet: {', '.join(dropped)}", stacklevel=1)
    return BuiltSite(folder / "pack", folder / "site", load_pack(folder / "pack"))


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


class _Links(HTMLParser):
    """Every tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def relative_targets(markdown: str) -> list[str]:
    """Relative link targets of a Markdown text, outside code fences."""
    return [target for _, target in relative_links(markdown)]


# ---------------------------------------------------------------------------------------------------------------
# The pages


def test_every_rule_has_a_page_and_its_source_as_markdown(pack_site):
    site, pack = pack_site.site, pack_site.pack
    assert pack.rules
    for rule in pack.rules:
        src = pack_site.rule_src(rule)
        assert src == f"rules/{rule.category}/{rule.slug}.md"
        assert (site / pack_site.rule_url(rule) / "index.html").is_file(), src
        twin = (site / src).read_text(encoding="utf-8")
        source = rule.path.read_text(encoding="utf-8")
        front = source[: source.index("\n---\n", 4) + 5]
        assert twin.startswith(front), f"{src}: the twin keeps the source's front matter"
        # Only relative link targets may differ from the source.
        strip = lambda text: LINK_RE.sub("[]()", text)  # noqa: E731
        assert strip(twin) == strip(source), src


def test_each_rule_page_says_whether_dbos_lint_checks_it(pack_site):
    from dboslint.model import rules_with_checks

    checked = set(rules_with_checks())
    assert checked
    for rule in pack_site.pack.rules:
        html = (pack_site.site / pack_site.rule_url(rule) / "index.html").read_text(encoding="utf-8")
        if rule.stem in checked:
            assert "dbos-lint checks this rule" in html and f"--select {rule.stem} " in html, rule.stem
        else:
            assert "dbos-lint has no check for this rule" in html, rule.stem


def test_home_category_tags_and_removed_pages(pack_site):
    site, pack = pack_site.site, pack_site.pack
    for page in ("index.html", "tags/index.html", "removed/index.html", "404.html"):
        assert (site / page).is_file(), page
    for twin in ("index.md", "tags.md", "removed.md", "SKILL.md", "llms.txt", "llms-full.txt"):
        assert (site / twin).is_file(), twin
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Install into an agent" in home and "Claude Code" in home
    positions = [home.index(f'href="rules/{category.id}/"') for category, _ in pack.sections()]
    assert positions == sorted(positions), "categories in priority order on the home page"
    removed = (site / "removed/index.html").read_text(encoding="utf-8")
    for entry in pack.removed:
        assert f"<code>{html.escape(entry.old)}</code>" in removed, entry.old


def test_category_pages_list_rules_by_priority(pack_site):
    site, pack = pack_site.site, pack_site.pack
    for category, rules in pack.sections():
        html = (site / "rules" / category.id / "index.html").read_text(encoding="utf-8")
        block = html[html.index('<ul class="sp-rule-list">') :] if rules else ""
        hrefs = re.findall(r'<li><span class="sp-badge[^>]*>[^<]*</span> <a href="([^"]+)"', block)
        assert hrefs == [f"{rule.slug}/" for rule in rules], category.id
        for rule in rules:
            assert f"sp-badge--{rule.priority.lower()}" in block


def test_nav_groups_rules_in_sections_by_category(pack_site):
    site, pack = pack_site.site, pack_site.pack
    category, rules = next((c, r) for c, r in pack.sections() if r)
    page = (site / pack_site.rule_url(rules[0]) / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('data-md-type="navigation"') : page.index('data-md-type="toc"')]
    positions = [nav.index(other.title) for other, _ in pack.sections()]
    assert positions == sorted(positions), "categories in priority order"
    for rule in rules[1:]:
        assert f'href="../{rule.slug}/"' in nav, rule.stem
    for other, other_rules in pack.sections():
        if other is not category and other_rules:
            # navigation.prune: the rules of other categories are not in this page's nav.
            assert pack_site.rule_url(other_rules[0]).split("/", 1)[1] not in nav


def test_rule_pages_show_priority_and_distinct_examples(pack_site):
    site = pack_site.site
    for rule in pack_site.pack.rules:
        page = (site / pack_site.rule_url(rule) / "index.html").read_text(encoding="utf-8")
        assert f'class="sp-badge sp-badge--{rule.priority.lower()}"' in page, rule.stem
        assert '<div class="admonition failure">' in page and '<div class="admonition success">' in page, rule.stem
        assert '<p class="admonition-title">Incorrect (' in page and '<p class="admonition-title">Correct (' in page
        assert 'class="language-python highlight"' in page and '<span class="n">' in page, "highlighted code"
        assert "example-driver" not in page and "<!-- example:" not in page, "harness directives stay hidden"
        for tag in rule.tags:
            assert f'>{html.escape(tag, quote=False)}</a>' in page, (rule.stem, tag)


def test_every_html_page_advertises_its_markdown_twin(pack_site):
    site = pack_site.site
    pages = [p for p in html_pages(site) if p.name == "index.html"]
    assert len(pages) >= len(pack_site.pack.rules) + 4
    for page in pages:
        links = [a for tag, a in parse(page).tags if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "text/markdown"]
        assert len(links) == 1, page
        target = (page.parent / links[0]["href"]).resolve()
        assert target.is_file() and target.suffix == ".md", (page, links[0]["href"])


def test_relative_links_of_markdown_files_resolve(pack_site):
    site = pack_site.site
    files = [*site.rglob("*.md"), site / "llms.txt", site / "llms-full.txt"]
    checked = 0
    for path in files:
        for target in relative_targets(path.read_text(encoding="utf-8")):
            file_part = target.split("#", 1)[0]
            assert (path.parent / file_part).is_file(), f"{path.relative_to(site)}: {target}"
            checked += 1
    assert checked > len(pack_site.pack.rules)
    skill = (site / "SKILL.md").read_text(encoding="utf-8")
    assert "](references/" not in skill and "](rules/" in skill
    plan = layout(pack_site.pack)
    for category, _ in pack_site.pack.sections():
        assert f"]({plan.category_src[category.id]})" in skill, "a rule index is its category page"
    assert not (site / "index").exists(), "the rule indexes in references/index/ are not pages of their own"


def test_search_index_has_tags_and_code_friendly_separator(pack_site):
    import json

    index = json.loads((pack_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "\\." in index["config"]["separator"], "DBOS.name splits into words"
    by_location = {doc["location"]: doc for doc in index["docs"]}
    for rule in pack_site.pack.rules:
        doc = by_location[pack_site.rule_url(rule)]
        assert doc["tags"] == rule.tags or doc["tags"] == [t.replace("&", "&amp;") for t in rule.tags]
    assert not any(loc.startswith("tags/") for loc in by_location), "the tag index is not a search result"


# ---------------------------------------------------------------------------------------------------------------
# Offline


def test_html_loads_nothing_from_other_hosts(pack_site):
    site = pack_site.site
    for page in html_pages(site):
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            for name, value in attrs.items():
                if tag == "a" and name == "href":
                    continue  # a link the reader may follow, not something the page loads
                if name == "xmlns":
                    continue  # an XML namespace name, never fetched
                assert not EXTERNAL_URL_RE.match(value.strip()), f"{page.relative_to(site)}: <{tag} {name}={value!r}>"
        for style in parsed.styles:
            assert "http" not in style and "@import" not in style, page
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        assert "squidfunk" not in text, "extra.generator is false: no 'Made with' link"
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text) and "@import url(http" not in text, css


# ---------------------------------------------------------------------------------------------------------------
# llms.txt and llms-full.txt


def test_llms_txt_indexes_every_page_with_its_markdown_url(pack_site):
    text = (pack_site.site / "llms.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "# dbos-python" and lines[2].startswith("> ")
    for rule in pack_site.pack.rules:
        entry = f"]({pack_site.rule_src(rule)}): {rule.priority}. {link_text(rule.summary)}"
        assert entry in text, rule.stem
    for name in ("SKILL.md", "llms-full.txt", "index.md", "removed.md", "tags.md"):
        assert f"]({name})" in text
    for category, _ in pack_site.pack.sections():
        assert f"## {category.title} ({category.impact})" in text


def test_llms_full_holds_every_rule_with_code_languages(pack_site):
    text = (pack_site.site / "llms-full.txt").read_text(encoding="utf-8")
    python_blocks = sum(1 for rule in pack_site.pack.rules for e in rule.examples if e.language == "python")
    assert text.count("```python\n") >= python_blocks
    positions = []
    for category, rules in pack_site.pack.sections():
        positions.append(text.index(f"## {category.priority}. {category.title} ({category.impact})"))
        for rule in rules:
            positions.append(text.index(f"\n### {rule.title}\n"))
    assert positions == sorted(positions), "categories and rules in priority order"
    assert "example-driver" not in text and "<!-- example:" not in text
    assert "Removed in DBOS 3" in text


# ---------------------------------------------------------------------------------------------------------------
# Hostile input, determinism, failures, the mkdocs command line

HOSTILE_TITLE = '</title><script>alert(1)</script> & "q" <b>bold</b>'


def write_hostile_pack(root: Path) -> None:
    shutil.copytree(FIXTURE_PACK, root)
    rule = root / "references/queue-register.md"
    text = rule.read_text(encoding="utf-8")
    quoted = "'" + HOSTILE_TITLE.replace("'", "''") + "'"
    text = text.replace("title: Register queues after launch", f"title: {quoted}")
    text = text.replace("## Register queues after launch", f"## {HOSTILE_TITLE}")
    text = text.replace("summary: Call", "summary: '\"><script>alert(2)</script> Call").replace("constructed.\n", "constructed.'\n", 1)
    text = text.replace("tags: [DBOS.register_queue, Queue]", "tags: [DBOS.register_queue, '<svg onload=alert(3)>']")
    rule.write_text(text, encoding="utf-8")
    categories = root / "references/_categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("title: Queue", "title: '<img src=x onerror=alert(4)>Queue'"),
        encoding="utf-8",
    )


def test_untrusted_front_matter_is_escaped_never_injected(tmp_path):
    root = tmp_path / "pack"
    write_hostile_pack(root)
    result = build_site(root, tmp_path / "site", ROOT / "mkdocs.yml")
    assert result.ok, [d.message for d in result.diagnostics]
    page = (tmp_path / "site/rules/queue/register/index.html").read_text(encoding="utf-8")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page, "the title is shown, as text"
    for path in (tmp_path / "site").rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            for raw in ("<script>alert", "<b>bold", "<svg onload", "<img src=x"):
                assert raw not in text, f"{path.relative_to(tmp_path)} carries {raw!r}"


def test_two_builds_are_byte_identical(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    assert build_site(root, tmp_path / "one", ROOT / "mkdocs.yml").ok
    assert build_site(root, tmp_path / "two", ROOT / "mkdocs.yml").ok
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one.keys() == two.keys()
    assert [p for p in one if one[p] != two[p]] == []


def test_site_command_refuses_an_invalid_pack(pack, cli, tmp_path):
    rule = pack / "references/queue-register.md"
    rule.write_text(rule.read_text(encoding="utf-8").replace("priority: HIGH", "priority: URGENT"), encoding="utf-8")
    result = cli(pack, "site", "--site-dir", str(tmp_path / "site"), "--config", str(ROOT / "mkdocs.yml"))
    assert result.code == 1
    assert "queue-register.md:5: priority 'URGENT'" in result.err and "site build failed" in result.err
    assert not (tmp_path / "site").exists()


def test_site_command_builds_the_fixture_pack(pack, cli, tmp_path):
    result = cli(pack, "site", "--site-dir", str(tmp_path / "site"), "--config", str(ROOT / "mkdocs.yml"))
    assert result.code == 0, result.err
    assert "pages, built in" in result.out
    assert (tmp_path / "site/rules/step/retries/index.html").is_file()


def test_mkdocs_build_strict_runs_the_hooks_and_fails_on_warnings(tmp_path):
    """`mkdocs build --strict` itself (the hooks validate the pack): a config like the project's, pointed at a copy."""
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, root)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(root / "references")
    config["hooks"] = [str(ROOT / hook) for hook in config["hooks"]]
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["watch"] = [str(ROOT / path) for path in config["watch"]]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "site")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site/rules/queue/register.md").is_file()
    rule = root / "references/step-retries.md"
    rule.write_text(rule.read_text(encoding="utf-8").replace("priority: HIGH", "priority: URGENT"), encoding="utf-8")
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0
    assert "step-retries.md:5: priority 'URGENT'" in done.stderr


def test_failed_site_build_leaves_the_previous_site_untouched(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack)
    site = tmp_path / "site"
    assert build_site(pack, site, ROOT / "mkdocs.yml").ok
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    rule = pack / "references/step-retries.md"
    rule.write_text(rule.read_text(encoding="utf-8").replace("priority: HIGH", "priority: URGENT"), encoding="utf-8")
    assert not build_site(pack, site, ROOT / "mkdocs.yml").ok
    broken_config = tmp_path / "broken.yml"
    broken_config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nnot_a_mkdocs_key: 1\n", encoding="utf-8")
    assert not build_site(pack, site, broken_config, validate=False).ok
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yml", "pack", "site"]
