"""What an agent reads (the rule files and SKILL.md) holds no test scaffolding: no example drivers, no private
dbos names."""

from __future__ import annotations

import re

from conftest import ROOT

PRIVATE_DBOS_RE = re.compile(r"_sys_db|_get_dbos_instance|_recover_pending_workflows|\bdbos\._")


def test_no_example_driver_under_references():
    files = [p for p in sorted((ROOT / "references").rglob("*")) if p.is_file()]
    assert files
    found = [str(p.relative_to(ROOT)) for p in files if "example-driver" in p.read_text(encoding="utf-8")]
    assert not found, f"move these drivers to tests/examples/: {found}"


def test_no_private_dbos_names_in_rules_or_skill():
    files = sorted((ROOT / "references").glob("*.md")) + [ROOT / "SKILL.md"]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE_DBOS_RE.search(line)
    ]
    assert not found, "\n".join(found)
