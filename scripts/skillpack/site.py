"""The docs site: MkDocs pages, Markdown twins, ``llms.txt`` and ``llms-full.txt``, all generated from the pack.

Nothing here is written to ``references/`` or committed. :func:`generate_site` renders every page and file in
memory from a loaded :class:`~skillpack.model.Pack`; the MkDocs hooks in ``mkdocs_hooks.py`` hand them to MkDocs
(``mkdocs build`` / ``mkdocs serve``), and :func:`build_site` runs that build (strict) for ``skillpack site``.

Every page has a Markdown twin served at the page's source path (``rules/queue/x.md`` next to
``rules/queue/x/``): for a rule, its source file with relative links rewritten to work from there; for a
generated page, the Markdown MkDocs rendered it from. Text from front matter and ``_categories.yml`` is
escaped before it reaches HTML.

The site is also an install source for the skills CLI (``npx skills add <site URL>``): :func:`install_source`
puts the bundle and its Agent Skills discovery index under ``.well-known/agent-skills/``, and ``.nojekyll`` keeps
GitHub Pages from dropping that folder.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import posixpath
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import jinja2
import yaml
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from . import config, lint
from .bundle import BundleError, bundle_files, zip_bytes
from .coverage import measure as measure_api
from .files import replace_folder, staging_folder
from .load import DIRECTIVE_RE, EXTERNAL_RE, LABEL_RE, LINK_RE, body_runs, load_pack, split_front_matter
from .model import CORRECT, PRIORITIES, Category, Diagnostic, Pack, Rule
from .render import TEMPLATES, environment, index_path, render_skill, skill_description
from .validate import validate_pack

log = logging.getLogger("mkdocs.skillpack")

PAGE_TEMPLATES = "site/pages"
"""Jinja2 templates of the generated Markdown pages (under ``templates/``)."""
THEME_DIR = TEMPLATES / "site" / "theme"
"""MkDocs theme overrides (``theme.custom_dir``): the Markdown link in every page head and the site's CSS."""
PROJECT_CONFIG = Path(__file__).resolve().parents[2] / "mkdocs.yml"
"""The project's ``mkdocs.yml``, used when the pack folder has none of its own."""

HOME = "index.md"
TAGS = "tags.md"
REMOVED = "removed.md"
SKILL = "SKILL.md"
LLMS = "llms.txt"
LLMS_FULL = "llms-full.txt"
NOJEKYLL = ".nojekyll"
"""An empty file at the site root: GitHub Pages then serves the site as it is, instead of running Jekyll, which
drops every folder whose name starts with a dot (``.well-known/``)."""
WELL_KNOWN = ".well-known/agent-skills"
"""Where the skills CLI looks for a site's skills first (it tries ``.well-known/skills`` next, only needed for the
older index format, which lists loose files instead of an archive)."""
WELL_KNOWN_INDEX = f"{WELL_KNOWN}/index.json"
DISCOVERY_SCHEMA = "https://schemas.agentskills.io/discovery/0.2.0/schema.json"
"""The Agent Skills discovery format of the index: each skill an archive, by URL (relative to the index) and digest."""
MAX_DESCRIPTION = 1024
"""The longest skill description the discovery format allows (the CLI ignores an entry with a longer one)."""

FRAGMENT = "<!--skillpack-fragment-{}-->"
FRAGMENT_RE = re.compile(r"<!--skillpack-fragment-(\d+)-->")

_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_UNSAFE_PART_RE = re.compile(r"[^a-z0-9]+")
_HEADING_RE = re.compile(r"^(#{1,6})(\s)")


# ---------------------------------------------------------------------------------------------------------------
# Escaping


def md_text(value: object) -> str:
    """Plain text for a Markdown page: Markdown punctuation backslash-escaped, then HTML-escaped, one line.

    Safe in a paragraph, a heading, a table cell and between inline HTML tags; never inside backticks.
    """
    text = " ".join(str(value).split())
    return html.escape(_MD_SPECIAL_RE.sub(r"\\\1", text), quote=True)


_PLAIN_SPECIAL_RE = re.compile(r"([\\`*\[\]|])")


def md_plain(value: object) -> str:
    """Text for a plain Markdown twin: one line, only what would change its structure escaped (``<`` as an
    entity, so that a twin rendered by some viewer cannot carry a tag)."""
    text = " ".join(str(value).split())
    return _PLAIN_SPECIAL_RE.sub(r"\\\1", text).replace("<", "&lt;")


def html_text(value: object) -> str:
    """Text that MkDocs templates print without escaping (page titles, nav titles, descriptions)."""
    return html.escape(" ".join(str(value).split()), quote=True)


def link_text(value: object) -> str:
    """Text for the label of a Markdown link in a plain-text file (llms.txt): brackets escaped, one line."""
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(str(value).split()))


def safe_part(value: str, fallback: str) -> str:
    """A path component made only of ``a-z0-9-`` (ids and file names never reach a path unchecked)."""
    return _UNSAFE_PART_RE.sub("-", value.lower()).strip("-") or fallback


# ---------------------------------------------------------------------------------------------------------------
# The site model


@dataclass(frozen=True)
class SitePage:
    """One generated page: its source path in the docs tree, the Markdown MkDocs renders and its Markdown twin."""

    src: str
    """Path of the page's Markdown in the docs tree, and of its twin in the built site."""
    markdown: str
    twin: str
    meta: dict = field(default_factory=dict)
    """Page metadata for MkDocs (title, description, tags, hide, search), already escaped; set by the hooks."""
    fragments: tuple[str, ...] = ()
    """Ready HTML (long lists of rules) that replaces the placeholder comments of ``markdown`` once rendered."""


@dataclass
class Site:
    """Everything the site is built from, rendered in memory."""

    pages: dict[str, SitePage]
    files: dict[str, str | bytes]
    """Other generated files of the built site by path: SKILL.md (its links to references/ rewritten to the rule
    twins), llms.txt, llms-full.txt, .nojekyll and the install source, if any."""
    nav: list
    """The MkDocs ``nav``: home, one section per category (its page, then its rules), tags, removed APIs."""


@dataclass
class _Layout:
    """Where each category and rule lives in the site, and the id of each tag."""

    sections: list[tuple[Category, list[Rule]]]
    category_src: dict[str, str] = field(default_factory=dict)
    rule_src: dict[Path, str] = field(default_factory=dict)
    tags: dict[str, list[Rule]] = field(default_factory=dict)
    tag_ids: dict[str, str] = field(default_factory=dict)


def layout(pack: Pack) -> _Layout:
    """Paths of every category and rule page (sanitised, unique, deterministic) and the tag index."""
    plan = _Layout(pack.sections())
    used: set[str] = {HOME, TAGS, REMOVED}
    for category, rules in plan.sections:
        folder = _unique(f"rules/{safe_part(category.id, 'category')}", used, "")
        plan.category_src[category.id] = f"{folder}/index.md"
        used.add(f"{folder}/index.md")
        for rule in rules:
            slug = safe_part(rule.slug, "rule")
            slug = safe_part(rule.stem, "rule") if slug == "index" else slug
            plan.rule_src[rule.path] = _unique(f"{folder}/{slug}", used, ".md")
    for _, rules in plan.sections:
        for rule in rules:
            for tag in dict.fromkeys(rule.tags):
                plan.tags.setdefault(tag, []).append(rule)
    plan.tags = dict(sorted(plan.tags.items(), key=lambda item: (item[0].casefold(), item[0])))
    ids: set[str] = set()
    for tag in plan.tags:
        plan.tag_ids[tag] = _unique(f"tag-{safe_part(tag, 'x')}", ids, "")
    return plan


def _unique(stem: str, used: set[str], suffix: str) -> str:
    candidate, n = stem + suffix, 2
    while candidate in used:
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    used.add(candidate)
    return candidate


@lru_cache(maxsize=65536)
def relative(target: str, source: str) -> str:
    """The relative link from the page (or twin) at ``source`` to the file at ``target`` (both site paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


# ---------------------------------------------------------------------------------------------------------------
# Rule bodies


def rewrite_links(line: str, resolve) -> str:
    """Rewrite every relative link target of a line with ``resolve(target) -> str | None`` (None: keep the text)."""

    def replace(match: re.Match) -> str:
        target = match.group(1)
        if EXTERNAL_RE.match(target):
            return match.group(0)
        new = resolve(target)
        if new is None:
            return match.group(0)[1 : match.group(0).index("](")]
        start, end = match.span(1)
        return match.group(0)[: start - match.start()] + new + match.group(0)[end - match.start() :]

    return LINK_RE.sub(replace, line)


def site_targets(pack: Pack, plan: _Layout) -> dict[str, str]:
    """Files a rule or SKILL.md may link to (normalised absolute paths) and where each lives in the site; a
    category's rule index (references/index/) is its category page."""
    files = {**plan.rule_src, pack.root / SKILL: SKILL, pack.references / "_removed.yml": REMOVED}
    for category, _ in plan.sections:
        files[pack.root / index_path(category)] = plan.category_src[category.id]
    return {os.path.normpath(os.path.abspath(path)): src for path, src in files.items()}


def link_resolver(targets: dict[str, str], origin: Path, source: str):
    """Map a relative link of the file at ``origin`` to a link relative to ``source`` in the site; None for a file
    the site does not have (the link becomes its text)."""
    folder = os.path.abspath(origin.parent)

    def resolve(target: str) -> str | None:
        file_part, hash_, fragment = target.partition("#")
        if not file_part:
            return target
        site_path = targets.get(os.path.normpath(os.path.join(folder, file_part)))
        if site_path is None:
            return None
        if site_path == REMOVED:
            hash_, fragment = "", ""
        return relative(site_path, source) + hash_ + fragment

    return resolve


def page_body(body: str, resolve) -> str:
    """A rule body for its HTML page: title heading dropped (the page has its own), headings one level up,
    example directives dropped, each labelled block in a red (Incorrect) or green (Correct) box."""
    out: list[str] = []
    pending: tuple[str, str] | None = None
    title_dropped = False
    for kind, lines in body_runs(body):
        if kind == "fence":
            if pending:
                style, label = pending
                out += [f'!!! {style} "{label}"', ""]
                out += [f"    {line}" if line.strip() else "" for line in lines]
                out.append("")
                pending = None
            else:
                out += lines
            continue
        line = lines[0]
        if not title_dropped and line.strip():
            title_dropped = True
            if line.startswith("## "):
                continue
        if DIRECTIVE_RE.match(line):
            continue
        label = LABEL_RE.match(line)
        if label:
            word = label.group(1)
            pending = ("success" if word.lower() == CORRECT else "failure", f"{word} ({label['reason'].strip()})")
            continue
        if pending and not line.strip():
            continue
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) > 1:
            line = line[1:]
        out.append(rewrite_links(line, resolve))
    return "\n".join(out).strip("\n") + "\n"


def twin_body(text: str, resolve) -> str:
    """A whole rule file with its relative links rewritten (code blocks untouched)."""
    out: list[str] = []
    for kind, lines in body_runs(text):
        out += [rewrite_links(lines[0], resolve)] if kind == "text" else lines
    return "\n".join(out)


def full_body(body: str, resolve) -> str:
    """A rule body for llms-full.txt: headings one level down, example directives dropped."""
    out: list[str] = []
    for kind, lines in body_runs(body):
        if kind == "fence":
            out += lines
            continue
        line = lines[0]
        if DIRECTIVE_RE.match(line):
            continue
        if _HEADING_RE.match(line):
            line = "#" + line
        out.append(rewrite_links(line, resolve))
    return "\n".join(out).strip("\n") + "\n"


# ---------------------------------------------------------------------------------------------------------------
# Rendering


def bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept between builds (Jinja2's per-user cache folder, keyed by template source)."""
    return jinja2.FileSystemBytecodeCache()


def _env(html: bool = True):
    """The pack's Jinja2 environment (shared with SKILL.md) with the site's filters; ``md`` escapes text for an
    HTML page or, with ``html`` false, lightly for a plain Markdown twin."""
    env = environment()
    env.bytecode_cache = bytecode_cache()
    env.filters["md"] = md_text if html else md_plain
    env.filters["attr"] = html_text
    env.filters["link_text"] = link_text
    env.filters["oneline"] = lambda value: " ".join(str(value).split())
    env.filters["cell"] = lambda value: " ".join(str(value).split()).replace("|", "\\|")
    env.globals["priorities"] = PRIORITIES
    return env


NAV_GROUP = 15
"""Most rules listed directly under a category in the nav; bigger categories are split into sub-sections so that,
with ``navigation.prune``, every page renders a short nav."""


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The URL of the page built from ``src``, relative to the site root, as MkDocs computes it."""
    return File(src, None, "", use_directory_urls).url


def generate_site(
    pack: Pack, base_url: str = "", use_directory_urls: bool = True, install: dict[str, bytes] | None = None
) -> Site:
    """Render every page, twin and file of the site from a loaded pack (deterministic: same pack, same bytes);
    ``install`` is the install source (:func:`install_source`) to publish, which the home page then shows.

    Generated pages are rendered twice from one template: with HTML lists for the site (fast to build: MkDocs does
    not parse them), and as plain Markdown for their twin.
    """
    envs = {True: _env(), False: _env(html=False)}
    plan = layout(pack)
    targets = site_targets(pack, plan)
    base_url = base_url.rstrip("/") + "/" if base_url else ""
    sections = plan.sections
    common = dict(
        pack=pack,
        plan=plan,
        sections=sections,
        skill_name=config.SKILL_NAME,
        dbos_version=config.DBOS_VERSION,
        pack_version=config.PACK_VERSION,
        docs_home=config.DOCS_HOME,
        description=skill_description(),
        removed=pack.removed,
        rule_count=sum(len(rules) for _, rules in sections),
    )
    urls: dict[str, str] = {}

    def url_of(src: str) -> str:
        if src not in urls:
            urls[src] = page_url(src, use_directory_urls)
        return urls[src]

    def render(name: str, src: str, html: bool = True, fragments: list[str] | None = None, **values) -> str:
        def fragment(text: str) -> str:
            """Keep ready HTML out of Markdown: MkDocs renders a placeholder, on_page_content puts the HTML back."""
            assert fragments is not None
            fragments.append(str(text).strip())
            return f"\n{FRAGMENT.format(len(fragments) - 1)}\n"

        text = envs[html].get_template(f"{PAGE_TEMPLATES}/{name}").render(
            **common,
            **values,
            src=src,
            html=html,
            fragment=fragment,
            link=lambda target: relative(target, src),
            url=lambda target: get_relative_url(url_of(target), url_of(src)),
        )
        return text.strip("\n") + "\n"

    pages: dict[str, SitePage] = {}

    def add(src: str, meta: dict, name: str, **values) -> None:
        """A generated page: the site renders its HTML form, its twin is the same page in plain Markdown."""
        fragments: list[str] = []
        markdown = render(name, src, fragments=fragments, **values)
        pages[src] = SitePage(src, markdown, render(name, src, html=False, **values), meta, tuple(fragments))

    critical = [rule for _, rules in sections for rule in rules if rule.priority == "CRITICAL"]
    checked = lint.checked_rules(pack)
    example = next((rule for _, rules in sections for rule in rules), None)
    add(
        HOME,
        dict(title=html_text(f"{config.SKILL_NAME}: DBOS Transact for Python"), description=html_text(skill_description())),
        "home.md.j2",
        critical=critical,
        example=example,
        install_index=WELL_KNOWN_INDEX if install else None,
        base_url=base_url,
        api=measure_api(pack),
    )
    skill = twin_body(render_skill(pack), link_resolver(targets, pack.root / SKILL, SKILL))
    files: dict[str, str | bytes] = {SKILL: skill}
    full_rules = {}
    for category, rules in sections:
        src = plan.category_src[category.id]
        meta = dict(title=html_text(category.title), description=html_text(category.description), hide=["toc"])
        add(src, meta, "category.md.j2", category=category, rules=rules)
        for rule in rules:
            src = plan.rule_src[rule.path]
            resolve = link_resolver(targets, rule.path, src)
            meta = dict(
                title=html_text(rule.title),
                description=html_text(rule.summary),
                tags=[html_text(t) for t in rule.tags],
                hide=["toc"],
            )
            body = page_body(rule.body, resolve)
            source = rule.path.read_text(encoding="utf-8")
            docs = [url for url in rule.docs if url.startswith("https://") and url not in rule.body]
            linted = None if checked is None else rule.stem in checked
            markdown = render("rule.md.j2", src, rule=rule, category=category, body=body, docs=docs, linted=linted)
            pages[src] = SitePage(src, markdown, twin_body(source, resolve), meta)
            head, _, rest = full_body(rule.body, link_resolver(targets, rule.path, LLMS_FULL)).partition("\n")
            full_rules[rule.path] = (head, rest.strip("\n"))
    tags_meta = dict(title="Tags", description=html_text(f"Every tag of the {config.SKILL_NAME} rules."), search={"exclude": True})
    add(TAGS, tags_meta, "tags.md.j2")
    removed_meta = dict(title="Removed in DBOS 3", description="What DBOS 3 removed or renamed, and what replaces it.")
    add(REMOVED, removed_meta, "removed.md.j2", users=_removed_users(pack, plan))
    files[LLMS] = render("llms.txt.j2", LLMS, base_url=base_url)
    files[LLMS_FULL] = render("llms-full.txt.j2", LLMS_FULL, bodies=full_rules, base_url=base_url)
    files[NOJEKYLL] = ""
    files.update(install or {})

    nav: list = [{"Home": HOME}]
    for category, rules in sections:
        nav.append({html_text(category.title): [plan.category_src[category.id], *nav_groups(rules, plan)]})
    nav += [TAGS, REMOVED]
    return Site(pages, files, nav)


def nav_groups(rules: list[Rule], plan: _Layout) -> list:
    """Nav entries of a category's rules: the rules themselves, or for a big category one sub-section per
    priority, split again into numbered parts of at most NAV_GROUP rules."""
    if len(rules) <= NAV_GROUP:
        return [plan.rule_src[rule.path] for rule in rules]
    groups: list = []
    for priority, members in groupby(rules, key=lambda rule: rule.priority):
        members = list(members)
        name = priority.capitalize()
        for start in range(0, len(members), NAV_GROUP):
            part = members[start : start + NAV_GROUP]
            title = name if len(members) <= NAV_GROUP else f"{name} {start + 1}–{start + len(part)}"
            groups.append({html_text(title): [plan.rule_src[rule.path] for rule in part]})
    return groups


def _removed_users(pack: Pack, plan: _Layout) -> dict[str, list[Rule]]:
    """For each removed API, the rules tagged with one of the names that replace it."""
    users = {}
    for entry in pack.removed:
        names = set(entry.uses)
        users[entry.old] = [rule for _, rules in plan.sections for rule in rules if names & set(rule.tags)]
    return users


# ---------------------------------------------------------------------------------------------------------------
# Install source: npx skills add <site URL>


def install_source(root: Path) -> dict[str, bytes]:
    """The files that make the site an install source for the skills CLI, by path in the site: the bundle of the
    pack at ``root`` (:func:`~skillpack.bundle.bundle_files`) as a deterministic zip with ``SKILL.md`` at its root,
    where the CLI reads it, and the discovery index naming it with its SHA-256 digest (the CLI installs nothing
    whose bytes do not match) and the name and description of SKILL.md's front matter.

    Raises BundleError when the pack cannot be bundled or SKILL.md's name or description do not fit the index.
    """
    files = bundle_files(root)
    parts = split_front_matter(files[SKILL].decode("utf-8"))
    front = yaml.safe_load(parts[0]) if parts else None
    front = front if isinstance(front, dict) else {}
    name, description = front.get("name"), front.get("description")
    if not isinstance(name, str) or not re.fullmatch(r"(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*", name):
        raise BundleError([f"{SKILL}: name {name!r} must be 1 to 64 characters of a-z, 0-9 and single '-'"])
    if not isinstance(description, str) or not 0 < len(description) <= MAX_DESCRIPTION:
        raise BundleError([f"{SKILL}: the description must be 1 to {MAX_DESCRIPTION:,} characters"])
    archive = zip_bytes(files, top="")  # SKILL.md at the archive's root, where the skills CLI looks for it
    entry = dict(name=name, type="archive", description=description, url=f"{name}.zip",
                 digest=f"sha256:{hashlib.sha256(archive).hexdigest()}")
    index = json.dumps({"$schema": DISCOVERY_SCHEMA, "skills": [entry]}, indent=2, ensure_ascii=False) + "\n"
    return {WELL_KNOWN_INDEX: index.encode("utf-8"), f"{WELL_KNOWN}/{name}.zip": archive}


def site_install_source(root: Path) -> dict[str, bytes]:
    """The install source the site of the pack at ``root`` publishes. A pack whose SKILL.md was never built gets
    none (a note in the log); a built pack that cannot be bundled (stale SKILL.md, no LICENSE) gets none and a
    warning per problem, which fails a strict build."""
    if not (root / SKILL).is_file():
        log.info("skillpack: no %s in the site: %s is not built (run 'skillpack build')", WELL_KNOWN_INDEX, SKILL)
        return {}
    try:
        return install_source(root)
    except BundleError as exc:
        for problem in exc.problems:
            log.warning("skillpack: %s not written: %s", WELL_KNOWN_INDEX, problem)
        return {}


# ---------------------------------------------------------------------------------------------------------------
# MkDocs integration (used by mkdocs_hooks.py)

_state: dict = {"pack": None}


@contextmanager
def _prevalidated(pack: Pack):
    """Hand the hooks a pack the caller already loaded and validated (skillpack site validates before building)."""
    _state["pack"] = pack
    try:
        yield
    finally:
        _state["pack"] = None


class Hooks:
    """The MkDocs event handlers: load (and validate) the pack, set the nav, replace the docs files by ours."""

    def __init__(self) -> None:
        self.site: Site | None = None

    def on_config(self, config):
        root = Path(config.docs_dir).parent
        pack = _state["pack"]
        if pack is not None and pack.references.resolve() == Path(config.docs_dir).resolve():
            diagnostics = []
        else:
            pack = load_pack(root)
            diagnostics = validate_pack(pack)
        for diagnostic in diagnostics:
            log.warning(diagnostic.format(root))
        if diagnostics:
            valid = [r for r in pack.rules if pack.category(r.category) and r.priority in PRIORITIES and r.title]
            pack = Pack(pack.root, pack.categories, valid, pack.removed, pack.diagnostics)
        install = site_install_source(root)
        self.site = generate_site(pack, config.site_url or "", config.use_directory_urls, install)
        config.nav = self.site.nav
        return config

    def on_page_markdown(self, markdown, page, config, files):
        generated = self.site.pages.get(page.file.src_uri) if self.site else None
        if generated is not None:
            page.meta = {**page.meta, **generated.meta}
        return markdown

    def on_page_content(self, html, page, config, files):
        generated = self.site.pages.get(page.file.src_uri) if self.site else None
        if generated is None or not generated.fragments:
            return html
        return FRAGMENT_RE.sub(lambda match: generated.fragments[int(match.group(1))], html)

    def on_env(self, env, config, files):
        env.bytecode_cache = bytecode_cache()
        return env

    def on_files(self, files, config):
        assert self.site is not None
        docs_dir = os.path.normpath(config.docs_dir)
        kept = [f for f in files if f.src_dir is None or os.path.normpath(f.src_dir) != docs_dir]
        generated = [File.generated(config, page.src, content=page.markdown) for page in self.site.pages.values()]
        twins = [_asset(config, f"_twins/{page.src}", page.src, page.twin) for page in self.site.pages.values()]
        extra = [_asset(config, path, path, text) for path, text in self.site.files.items()]
        return Files(kept + generated + twins + extra)


class MarkdownFile(File):
    """A generated file that MkDocs copies as is, even when its name ends in ``.md`` (a twin is not a page)."""

    def is_documentation_page(self) -> bool:
        return False


def _asset(config, src_uri: str, dest_uri: str, content: str | bytes) -> File:
    """A generated file written as is to ``dest_uri`` in the site, even under a dot folder (which MkDocs would
    otherwise exclude)."""
    file = MarkdownFile(src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls,
                        dest_uri=dest_uri, inclusion=InclusionLevel.INCLUDED)
    file.generated_by = "skillpack"
    if isinstance(content, bytes):
        file.content_bytes = content
    else:
        file.content_string = content
    return file


# ---------------------------------------------------------------------------------------------------------------
# Building


@dataclass(frozen=True)
class SiteResult:
    ok: bool
    diagnostics: list[Diagnostic]
    site_dir: Path
    seconds: float
    pages: int = 0


def config_file_for(root: Path) -> Path:
    """The pack's own mkdocs.yml if it has one, else the project's."""
    own = root / "mkdocs.yml"
    return own if own.is_file() else PROJECT_CONFIG


def build_site(root: Path, site_dir: Path | None = None, config_file: Path | None = None, validate: bool = True) -> SiteResult:
    """Validate the pack at ``root`` (unless ``validate`` is False), then build its site with ``mkdocs build
    --strict`` into ``site_dir`` (default: ``root/site``). Any MkDocs warning fails the build and is reported.

    The build is deterministic: ``SOURCE_DATE_EPOCH`` (sitemap dates) is 0 unless the caller set it. MkDocs
    writes into a staging folder beside ``site_dir`` that replaces it only when the build succeeded.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    started = time.perf_counter()
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    config_path = (config_file or config_file_for(root)).resolve()
    pack = None
    if validate:
        pack = load_pack(root)
        diagnostics = validate_pack(pack)
        if diagnostics:
            return SiteResult(False, diagnostics, site_dir, time.perf_counter() - started)
    staging = staging_folder(site_dir)
    warnings = _WarningCollector()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(warnings)
    environ = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
    saved = {name: os.environ.get(name) for name in environ}
    os.environ.update(environ)
    try:
        with _prevalidated(pack) if pack is not None else _noop():
            cfg = load_config(str(config_path), docs_dir=str(root / "references"), site_dir=str(staging), strict=True)
            build(cfg)
    except (Abort, ConfigurationError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        problems = [Diagnostic(config_path, 1, f"mkdocs: {message}") for message in warnings.messages]
        problems.append(Diagnostic(config_path, 1, f"mkdocs: {exc}"))
        return SiteResult(False, problems, site_dir, time.perf_counter() - started)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_log.removeHandler(warnings)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    os.chmod(staging, 0o755)
    replace_folder(staging, site_dir)
    pages = sum(1 for _ in site_dir.rglob("index.html"))
    return SiteResult(True, [], site_dir, time.perf_counter() - started, pages)


class _WarningCollector(logging.Handler):
    """Keeps the text of every MkDocs warning of one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _noop():
    yield
