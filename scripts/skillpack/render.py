"""Render SKILL.md from a validated pack with the Jinja2 template in ``templates/``."""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import config
from .model import Category, Pack, Rule

TEMPLATES = Path(__file__).parent / "templates"
INDEX_FOLDER = "references/index"
"""Where the per-category rule indexes live, relative to the pack root (generated and committed, like SKILL.md)."""

DESCRIPTION = (
    "Write correct, durable Python programs with DBOS Transact {dbos} (pip install dbos), with workflows and steps that "
    "recover from crashes, queues with concurrency, rate limits, deduplication and priority, workflow IDs and "
    "idempotency, step retries, durable sleep, timeouts, scheduled workflows, messages, events and streams, "
    "DBOSClient, FastAPI integration, testing with pytest on SQLite, and upgrading from DBOS 2.x. Use when Python "
    "code imports dbos or the task mentions DBOS, durable execution, background jobs, task queues, cron "
    "schedules, sagas or exactly-once processing."
)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the pack's templates (Markdown output: no HTML autoescaping)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def skill_description() -> str:
    return DESCRIPTION.format(dbos=config.DBOS_VERSION)


def index_path(category: Category) -> str:
    """The category's rule index, relative to the pack root (POSIX)."""
    return f"{INDEX_FOLDER}/{category.id}.md"


def render_skill(pack: Pack) -> str:
    """SKILL.md: Agent Skills front matter, when to use, checking code, categories (each linking its index),
    critical rules, removed APIs."""
    sections = pack.sections()
    critical = [rule for _, rules in sections for rule in rules if rule.priority == "CRITICAL"]
    text = environment().get_template("SKILL.md.j2").render(
        name=config.SKILL_NAME,
        description=skill_description(),
        license=config.LICENSE,
        pack_version=config.PACK_VERSION,
        dbos_version=config.DBOS_VERSION,
        sections=sections,
        critical=critical,
        removed=pack.removed,
        index_path=index_path,
    )
    return text.rstrip("\n") + "\n"


def render_index(category: Category, rules: list[Rule]) -> str:
    """``references/index/<category>.md``: the category's rules, most important first, each with its summary."""
    text = environment().get_template("category-index.md.j2").render(category=category, rules=rules)
    return text.rstrip("\n") + "\n"
