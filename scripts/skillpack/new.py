"""Scaffold a new rule file from the template in ``templates/rule.md.j2``."""

from __future__ import annotations

from pathlib import Path

from .files import write_atomic
from .load import CATEGORIES_FILE, load_list
from .model import Category, driver_file
from .render import environment
from .validate import SLUG_RE


def scaffold_rule(root: Path, category_id: str, slug: str) -> Path:
    """Write ``references/<prefix><slug>.md``; raises ValueError for an unknown category, a bad slug or an
    existing file."""
    categories, problems = load_list(root / "references" / CATEGORIES_FILE, Category)
    if problems:
        raise ValueError(problems[0].format(root))
    category = next((c for c in categories if c.id == category_id), None)
    if category is None:
        raise ValueError(f"unknown category '{category_id}' (one of: {', '.join(c.id for c in categories)})")
    if not SLUG_RE.match(slug):
        raise ValueError(f"slug '{slug}' must be lower-case kebab-case, e.g. register-after-launch")
    path = root / "references" / f"{category.prefix}{slug}.md"
    if path.exists():
        raise ValueError(f"{path.relative_to(root)} already exists")
    driver = driver_file(path.stem, "<name>").as_posix()
    write_atomic(path, environment().get_template("rule.md.j2").render(category=category, driver=driver))
    return path
