"""Build the pack's generated files: validate, render every output in memory, then write or check them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import is_stale, write_atomic
from .load import load_pack
from .model import Diagnostic, Pack
from .render import render_skill
from .validate import validate_pack


@dataclass(frozen=True)
class BuildResult:
    pack: Pack | None
    diagnostics: list[Diagnostic]
    outputs: dict[Path, str]
    """Every generated file and its content (empty when validation failed)."""
    stale: list[Path]
    """Outputs that differed from disk before this build (with --check: nothing was written)."""


def render_outputs(pack: Pack) -> dict[Path, str]:
    """Every committed generated file of the pack, rendered in memory."""
    return {pack.root / "SKILL.md": render_skill(pack)}


def build(root: Path, check: bool = False) -> BuildResult:
    """Validate the pack at ``root``; if valid, render its outputs and write the stale ones (unless ``check``)."""
    pack = load_pack(root)
    diagnostics = validate_pack(pack)
    if diagnostics:
        return BuildResult(pack, diagnostics, {}, [])
    outputs = render_outputs(pack)
    stale = [path for path, text in outputs.items() if is_stale(path, text)]
    if not check:
        for path in stale:
            write_atomic(path, outputs[path])
    return BuildResult(pack, [], outputs, stale)


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
