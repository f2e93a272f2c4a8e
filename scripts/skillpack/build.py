"""Build the pack's generated files: validate, render every output in memory, then write or check them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .files import is_stale, write_atomic
from .load import load_pack
from .model import Diagnostic, Pack
from .render import INDEX_FOLDER, index_path, render_index, render_skill
from .validate import SLUG_RE, validate_pack

SKILL_BUDGET_TOKENS = 5_000
"""Most tokens (characters / 4) the body of SKILL.md may have, at any pack size: build refuses a bigger one."""


@dataclass(frozen=True)
class BuildResult:
    pack: Pack | None
    diagnostics: list[Diagnostic]
    outputs: dict[Path, str]
    """Every generated file and its content (empty when validation failed)."""
    stale: list[Path]
    """Outputs that differed from disk before this build (with --check: nothing was written)."""
    orphans: list[Path] = field(default_factory=list)
    """Generated files on disk that no output corresponds to any more (removed by build; kept by --check)."""


def render_outputs(pack: Pack) -> dict[Path, str]:
    """Every committed generated file of the pack, rendered in memory: SKILL.md and one rule index per category."""
    outputs = {pack.root / "SKILL.md": render_skill(pack)}
    for category, rules in pack.sections():
        outputs[pack.root / index_path(category)] = render_index(category, rules)
    return outputs


def output_problems(pack: Pack, outputs: dict[Path, str]) -> list[Diagnostic]:
    """What keeps the outputs from being written: a category id that cannot name its index file, and a SKILL.md
    body over the token budget."""
    problems = [
        Diagnostic(pack.references / "_categories.yml", 1, f"category id '{c.id}' must be lower-case kebab-case (it names {index_path(c)})")
        for c in pack.categories
        if not SLUG_RE.match(c.id)
    ]
    skill = pack.root / "SKILL.md"
    tokens = estimate_tokens(body_of(outputs[skill]))
    if tokens > SKILL_BUDGET_TOKENS:
        problems.append(Diagnostic(
            skill, 1,
            f"SKILL.md body is {tokens:,} tokens (characters / 4); the budget is {SKILL_BUDGET_TOKENS:,} "
            "(shorten the critical rules' summaries or mark fewer rules CRITICAL)",
        ))
    return problems


def orphan_outputs(root: Path, outputs: dict[Path, str]) -> list[Path]:
    """Files in the generated index folder that are not outputs (the index of a category that is gone)."""
    return sorted(path for path in (root / INDEX_FOLDER).glob("*.md") if path not in outputs)


def build(root: Path, check: bool = False, use_cache: bool = True) -> BuildResult:
    """Validate the pack at ``root`` (with the validation cache unless ``use_cache`` is false); if valid, render its
    outputs and write the stale ones and remove the orphans (unless ``check``). Nothing is written when the pack
    does not validate or SKILL.md is over its budget."""
    pack = load_pack(root, use_cache)
    diagnostics = validate_pack(pack, use_cache)
    if diagnostics:
        return BuildResult(pack, diagnostics, {}, [])
    outputs = render_outputs(pack)
    diagnostics = output_problems(pack, outputs)
    if diagnostics:
        return BuildResult(pack, diagnostics, {}, [])
    stale = [path for path, text in outputs.items() if is_stale(path, text)]
    orphans = orphan_outputs(pack.root, outputs)
    if not check:
        for path in stale:
            write_atomic(path, outputs[path])
        for path in orphans:
            path.unlink(missing_ok=True)
    return BuildResult(pack, [], outputs, stale, orphans)


def estimate_tokens(text: str) -> int:
    """Rough token count of a text: characters / 4."""
    return len(text) // 4


def body_of(markdown: str) -> str:
    """The Markdown after its front matter."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5:]
    return markdown
