"""Upgrade report: what changed in the public API of another dbos release (the latest on PyPI by default)
against the pinned one, and which rules of the pack each change touches, as a Markdown checklist.

Both sides are read the same way, by introspection in a separate interpreter: the pinned side in the current one,
the other in a throw-away virtual environment that pip fills from PyPI (or in an interpreter given with
``--python``). Nothing of the project changes. A script for whoever upgrades the pack; with ``--fail-if-newer``
it exits 1 when the other dbos is newer than the pinned one (the weekly upgrade workflow).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from . import config
from .files import write_atomic

SNAPSHOT_CODE = r"""
import importlib.metadata, inspect, json, typing
import dbos

def keywords(obj):
    if typing.is_typeddict(obj):
        return sorted(typing.get_type_hints(obj))
    if not callable(obj):
        return None
    try:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return sorted(p.name for p in sig.parameters.values() if p.kind in kinds and p.name not in ("self", "cls"))

def member(cls, name):
    # Read without running descriptors: some class properties of DBOS need a live context.
    try:
        raw = inspect.getattr_static(cls, name)
    except AttributeError:
        return None
    return raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw

exports = getattr(dbos, "__all__", None) or [n for n in dir(dbos) if not n.startswith("_")]
names = {}
for name in sorted(set(exports)):
    obj = getattr(dbos, name, None)
    if obj is None or inspect.ismodule(obj):
        continue
    names[name] = keywords(obj)
    if inspect.isclass(obj) and not typing.is_typeddict(obj):
        for attr in dir(obj):
            if not attr.startswith("_"):
                names[name + "." + attr] = keywords(member(obj, attr))
print(json.dumps({"version": importlib.metadata.version("dbos"), "names": names}, sort_keys=True))
"""


VERSION_RE = re.compile(
    r"(?:DBOS Transact|\bdbos==|\bdbos|`dbos`|dbos-version:|DBOS_VERSION =)\s*\"?\*{0,2}(\d+\.\d+\.\d+)\b"
)
"""A statement of the dbos version X.Y.Z: 'DBOS Transact X.Y.Z', 'dbos==X.Y.Z', 'dbos X.Y.Z', '`dbos` X.Y.Z',
'dbos-version: "X.Y.Z"', 'DBOS_VERSION = "X.Y.Z"'."""
TEXT_SUFFIXES = {".md", ".py", ".toml", ".txt", ".yml", ".yaml", ".json", ".j2", ".cfg", ".html", ""}


def version_statements(root: Path) -> list[tuple[str, int, str]]:
    """Every dbos version stated in a committed text file of ``root``: (path, line, version)."""
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True)
    paths = [p for p in proc.stdout.split("\0") if p] if proc.returncode == 0 else []
    found = []
    for name in sorted(paths):
        path = root / name
        if path.suffix not in TEXT_SUFFIXES or name.endswith("package-lock.json") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            found.extend((name, number, m.group(1)) for m in VERSION_RE.finditer(line))
    return found


@dataclass(frozen=True)
class Snapshot:
    """The public API of one installed dbos: every exported name and public class member, with the keyword
    arguments each callable accepts (None: not a callable, or its signature cannot be read)."""

    version: str
    names: dict[str, list[str] | None]

    def has(self, dotted: str) -> bool:
        """Whether a name exists: 'DBOS.launch', or a keyword/TypedDict key as the last part
        ('DBOS.register_queue.worker_concurrency', 'DBOSConfig.name')."""
        if dotted in self.names:
            return True
        parent, _, last = dotted.rpartition(".")
        return last in (self.names.get(parent) or [])


@dataclass
class ApiDiff:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    keywords_added: dict[str, list[str]] = field(default_factory=dict)
    keywords_removed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.keywords_added or self.keywords_removed)


def snapshot(python: str | Path) -> Snapshot:
    """Introspect the dbos installed for the interpreter ``python``."""
    proc = subprocess.run([str(python), "-c", SNAPSHOT_CODE], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"cannot introspect dbos with {python}:\n{proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    return Snapshot(data["version"], data["names"])


def diff(old: Snapshot, new: Snapshot) -> ApiDiff:
    result = ApiDiff(old.version, new.version)
    result.added = sorted(set(new.names) - set(old.names))
    result.removed = sorted(set(old.names) - set(new.names))
    for name in sorted(set(old.names) & set(new.names)):
        before, after = set(old.names[name] or []), set(new.names[name] or [])
        if after - before:
            result.keywords_added[name] = sorted(after - before)
        if before - after:
            result.keywords_removed[name] = sorted(before - after)
    return result


def install_dbos(version: str | None, workdir: Path) -> Path:
    """A throw-away virtual environment with ``dbos`` (``version``, or the latest on PyPI) installed by pip."""
    env = workdir / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    requirement = f"dbos=={version}" if version else "dbos"
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"pip install {requirement} failed:\n{proc.stderr.strip()}")
    return python


def is_newer(version: str, pinned: str = config.DBOS_VERSION) -> bool:
    """Whether dbos ``version`` is a later release than ``pinned`` (PEP 440 order: 3.10.0 > 3.9.1 > 3.9.1rc1)."""
    try:
        return Version(version) > Version(pinned)
    except InvalidVersion as exc:
        raise RuntimeError(f"cannot compare dbos versions {version!r} and {pinned!r}: {exc}") from None


def mentions(text: str, dotted: str) -> bool:
    """Whether a rule's text uses a public name: 'DBOS.sleep', 'Queue', 'WorkflowHandle.get_result'."""
    owner, _, last = dotted.rpartition(".")
    if re.search(rf"(?<![\w.]){re.escape(dotted)}\b", text):
        return True
    # A member of a class whose instances carry other names (handle.get_result, client.enqueue): the class named
    # anywhere in the rule and '.member' used. DBOS's own members are always written DBOS.member.
    return (
        owner not in ("", "DBOS")
        and owner.split(".")[-1] in text
        and re.search(rf"\.{re.escape(last)}\b", text) is not None
    )


def keyword_used(text: str, callable_name: str, keyword: str) -> bool:
    short = callable_name.split(".")[-1]
    return short in text and re.search(rf"\b{re.escape(keyword)}\s*=", text) is not None


def render_report(change: ApiDiff, root: Path, pinned_ok: bool = True) -> str:
    """The report as Markdown: the changes, then a checklist naming the files to touch."""
    from .load import load_pack

    pack = load_pack(root)
    texts = {rule.path.relative_to(root).as_posix(): rule.path.read_text(encoding="utf-8") for rule in pack.rules}
    lines = [f"# dbos upgrade report: {change.old} -> {change.new}", ""]
    if not pinned_ok:
        lines += [f"Warning: the interpreter used for the pinned side has dbos {change.old}, "
                  f"but the pack pins {config.DBOS_VERSION} (run 'make build').", ""]
    if change.old == change.new and change.unchanged:
        lines += [f"dbos {change.new} is the version the pack pins: nothing to upgrade.", ""]
        return "\n".join(lines)

    def section(title: str, items: list[str]) -> None:
        lines.extend([f"## {title} ({len(items)})", ""] + [f"- `{item}`" for item in items] + ([""] if items else ["(none)", ""]))

    section("New public names", change.added)
    section("Removed public names", change.removed)
    section("New keyword arguments", [f"{n}({', '.join(k)})" for n, k in change.keywords_added.items()])
    section("Removed keyword arguments", [f"{n}({', '.join(k)})" for n, k in change.keywords_removed.items()])

    lines += ["## Checklist", ""]
    lines.append(f"- [ ] Set `DBOS_VERSION = \"{change.new}\"` in `scripts/skillpack/config.py`, and `dbos=={change.new}` "
                 "in `pyproject.toml` and `constraints.txt` (with its new dependencies); run `make build`.")
    stated = sorted({path for path, _, version in version_statements(root) if version == change.old})
    if stated:
        lines.append(f"- [ ] Update the dbos version stated in: {', '.join(f'`{p}`' for p in stated)} "
                     "(generated files follow from `make build`; `tests/test_version.py` lists any left behind).")
    broken: dict[str, list[str]] = {}
    for name in change.removed:
        for path, text in texts.items():
            if mentions(text, name):
                broken.setdefault(path, []).append(f"`{name}` is gone")
    for name, keywords in change.keywords_removed.items():
        for keyword in keywords:
            for path, text in texts.items():
                if keyword_used(text, name, keyword):
                    broken.setdefault(path, []).append(f"`{name}` lost `{keyword}=`")
    for path in sorted(broken):
        lines.append(f"- [ ] Rewrite `{path}`: {'; '.join(broken[path])}.")
    for entry in pack.removed:
        new_names = _removed_entry_problems(entry, change)
        if new_names:
            lines.append(f"- [ ] `references/_removed.yml`, `{entry.old}`: {'; '.join(new_names)}.")
    if change.added:
        lines.append("- [ ] Decide which new names deserve a rule or a line in an existing one "
                     "(`skillpack new CATEGORY SLUG`); see 'New public names' above.")
    lines.append("- [ ] `make test`: every example runs against the new dbos; fix what fails.")
    lines.append("")
    return "\n".join(lines)


def _removed_entry_problems(entry, change: ApiDiff) -> list[str]:
    problems = []
    for name in entry.uses:
        if name in change.removed or any(name == f"{n}.{k}" for n, ks in change.keywords_removed.items() for k in ks):
            problems.append(f"replacement {name} is gone")
    for name in entry.gone:
        if name in change.added or any(name == f"{n}.{k}" for n, ks in change.keywords_added.items() for k in ks):
            problems.append(f"{name} is back")
    return problems


def main(root: Path, against: str | None, python: Path | None, out: Path | None, fail_if_newer: bool = False) -> int:
    """``skillpack upgrade-report``: print (or write) the report; 0 on success, 2 when a side cannot be read or the
    report cannot be written; with ``fail_if_newer``, 1 when the other dbos is newer than the pinned one."""
    try:
        pinned = snapshot(sys.executable)
        if python is not None:
            other = snapshot(python)
        else:
            with tempfile.TemporaryDirectory(prefix="dbos-upgrade-") as workdir:
                print(f"installing dbos{'==' + against if against else ' (latest)'} from PyPI into a throw-away venv...",
                      file=sys.stderr)
                other = snapshot(install_dbos(against, Path(workdir)))
    except RuntimeError as exc:
        print(f"skillpack upgrade-report: {exc}", file=sys.stderr)
        return 2
    report = render_report(diff(pinned, other), root, pinned_ok=pinned.version == config.DBOS_VERSION)
    if out is not None:
        try:
            write_atomic(out, report)
        except OSError as exc:
            print(f"skillpack upgrade-report: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {out}", file=sys.stderr)
    else:
        print(report, end="")
    if not fail_if_newer:
        return 0
    try:
        newer = is_newer(other.version)
    except RuntimeError as exc:
        print(f"skillpack upgrade-report: {exc}", file=sys.stderr)
        return 2
    if newer:
        print(f"skillpack upgrade-report: dbos {other.version} is newer than the pinned {config.DBOS_VERSION}: "
              "upgrade the pack (see the checklist)", file=sys.stderr)
        return 1
    return 0
