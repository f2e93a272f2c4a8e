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


def agent_facing_texts() -> dict[str, str]:
    """Every text an agent may read: the bundle's Markdown files, and the site's pages, twins, SKILL.md and llms files."""
    from skillpack.bundle import bundle_files
    from skillpack.load import load_pack
    from skillpack.site import generate_site

    texts = {f"bundle/{name}": data.decode("utf-8") for name, data in bundle_files(ROOT).items() if name.endswith(".md")}
    site = generate_site(load_pack(ROOT))
    for page in site.pages.values():
        texts[f"site/{page.src}"] = page.markdown
        texts[f"site/{page.src} (twin)"] = page.twin
    texts.update({f"site/{name}": text for name, text in site.files.items()})
    return texts


def test_bundle_and_site_hold_no_driver_and_no_private_dbos_name():
    texts = agent_facing_texts()
    assert "site/llms-full.txt" in texts and "bundle/SKILL.md" in texts
    assert sum(name.startswith("bundle/references/") for name in texts) >= 74
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, text in texts.items()
        for number, line in enumerate(text.splitlines(), 1)
        if "example-driver" in line or PRIVATE_DBOS_RE.search(line)
    ]
    assert not found, "\n".join(found[:20])
