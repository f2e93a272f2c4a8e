"""The clean bundle: only what an agent needs, as a folder and as a deterministic zip.

``dist/dbos-python/`` holds ``SKILL.md``, ``LICENSE``, ``references/<rule>.md`` for every rule and the rule indexes
``references/index/<category>.md``; nothing of the build tooling, the tests or the site. ``dist/dbos-python.zip``
holds the same files under ``dbos-python/``, with sorted entries, fixed timestamps and fixed permissions, so two
bundles of the same commit are byte-identical.
The bundle is made from the committed generated files: a stale or invalid pack is refused, never bundled.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import config
from .build import build
from .files import replace_folder, staging_folder, write_atomic
from .lint import LINTER_SCRIPT
from .load import relative_links
from .model import Pack

LICENSE_FILE = "LICENSE"
LINTER_PACKAGE = "scripts/dboslint"
"""The package behind the linter's entry script (``lint.LINTER_SCRIPT``), which an agent runs from the skill folder."""
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can carry: every entry gets it, so the archive does not depend on file times."""
FILE_MODE = 0o644
DIR_MODE = 0o755



class BundleError(Exception):
    """The pack cannot be bundled; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Bundle:
    folder: Path
    archive: Path
    files: dict[str, bytes]
    """Every bundled file by its path inside the bundle (POSIX), sorted."""
    archive_bytes: int
    sha256: str

    @property
    def folder_bytes(self) -> int:
        return sum(len(data) for data in self.files.values())


def bundle_files(root: Path) -> dict[str, bytes]:
    """The bundle's files, read from the pack at ``root``: the generated files (SKILL.md and the rule indexes, which
    must be fresh), LICENSE, every rule file.

    Raises BundleError when the pack does not build, a generated file is stale, missing or left over, LICENSE is
    missing, or a relative link in a bundled file points outside the bundle.
    """
    return bundled_pack(root)[1]


def bundled_pack(root: Path) -> tuple[Pack, dict[str, bytes]]:
    """The pack at ``root``, loaded and validated, and its bundle's files (see ``bundle_files``, which raises the
    same BundleError)."""
    result = build(root, check=True)
    if result.diagnostics:
        raise BundleError([d.format(root) for d in result.diagnostics] + ["bundle refused: the pack does not build"])
    stale = result.stale + result.orphans
    if stale:
        raise BundleError([f"stale: {p.relative_to(root)} (run 'make build' and commit it)" for p in stale])
    license_path = root / LICENSE_FILE
    if not license_path.is_file():
        raise BundleError([f"{LICENSE_FILE} is missing at {root}"])
    files = {path.relative_to(root).as_posix(): path.read_bytes() for path in result.outputs}
    files[LICENSE_FILE] = license_path.read_bytes()
    for rule in result.pack.rules:
        files[f"references/{rule.path.name}"] = rule.path.read_bytes()
    files.update(linter_files(root))
    problems = [
        f"{name}: relative link '{target}' points outside the bundle"
        for name, data in files.items()
        if name.endswith(".md")
        for _, target in relative_links(data.decode("utf-8"))
        if resolve_link(name, target.split("#", 1)[0]) not in files
    ]
    if problems:
        raise BundleError(problems)
    return result.pack, dict(sorted(files.items()))


def linter_files(root: Path) -> dict[str, bytes]:
    """The linter's entry script and every module of its package (empty when the pack ships no linter)."""
    script = root / LINTER_SCRIPT
    if not script.is_file():
        return {}
    modules = sorted(p for p in (root / LINTER_PACKAGE).rglob("*.py") if "__pycache__" not in p.parts)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in [script, *modules]}


def resolve_link(source: str, target: str) -> str:
    """The bundle path a relative link of the file ``source`` points to ('..' resolved; may leave the bundle)."""
    parts: list[str] = []
    for part in (PurePosixPath(source).parent / target).parts:
        if part == "..":
            if not parts:
                return "../" + target
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def zip_bytes(files: dict[str, bytes], top: str = config.SKILL_NAME) -> bytes:
    """A deterministic zip of ``files`` under the folder ``top`` (``""``: at the archive's root): sorted entries
    (folders first of their contents), fixed timestamps, Unix permissions 0644/0755, deflate level 9, no comment and
    no extra fields."""
    names = sorted(files)
    folders = sorted({str(PurePosixPath(n).parent) for n in names if "/" in n})
    prefix = f"{top}/" if top else ""
    entries = ([(prefix, None)] if top else []) + [(f"{prefix}{d}/", None) for d in folders]
    entries += [(f"{prefix}{n}", files[n]) for n in names]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(entries, key=lambda entry: entry[0]):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.create_system = 3  # Unix, so the permissions below are read by unzip
            if data is None:
                info.external_attr = (0o040000 | DIR_MODE) << 16 | 0x10
                archive.writestr(info, b"")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100000 | FILE_MODE) << 16
                archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Replace ``folder`` with exactly ``files``: written beside it, then swapped in, so no stale file survives."""
    staging = staging_folder(folder)
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.chmod(path, FILE_MODE)
        for path in [staging, *(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(path, DIR_MODE)
        replace_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_bundle(root: Path, out: Path | None = None) -> Bundle:
    """Write ``<out>/dbos-python/`` and ``<out>/dbos-python.zip`` (``out`` defaults to ``<root>/dist``)."""
    files = bundle_files(root)
    out = (out or root / "dist").resolve()
    folder = out / config.SKILL_NAME
    archive = out / f"{config.SKILL_NAME}.zip"
    data = zip_bytes(files)
    write_folder(folder, files)
    write_atomic(archive, data)
    return Bundle(folder, archive, files, len(data), hashlib.sha256(data).hexdigest())
