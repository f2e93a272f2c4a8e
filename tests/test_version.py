"""Version truth: the pack targets one dbos release, says so everywhere, and is tested against exactly that one.
Also the upgrade report (`skillpack upgrade-report`), offline: its introspection, its diff, its checklist and its
failure signal when a newer dbos exists (`--fail-if-newer`)."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from skillpack import config
from skillpack.upgrade import ApiDiff, Snapshot, diff, is_newer, render_report, snapshot, version_statements


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)])


def test_installed_dbos_is_the_targeted_version():
    installed = version("dbos")
    assert installed == config.DBOS_VERSION, (
        f"dbos {installed} is installed but the pack targets {config.DBOS_VERSION}: run 'make build' to reinstall "
        "the pinned one, or upgrade the pack (make upgrade-report)"
    )


def test_dependency_pins_match():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"dbos=={config.DBOS_VERSION}"' in pyproject
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    assert f"dbos=={config.DBOS_VERSION}" in constraints


def test_skill_md_metadata_states_the_version():
    meta = front_matter(ROOT / "SKILL.md")
    assert meta["metadata"] == {"version": config.PACK_VERSION, "dbos-version": config.DBOS_VERSION}
    assert meta["license"] == config.LICENSE


def test_every_version_statement_of_the_pack_agrees():
    """README, SKILL.md, the site config, the plugin manifest...: every committed statement of the dbos version
    (rules and tests excepted: they may name other releases on purpose)."""
    stated = [s for s in version_statements(ROOT) if not s[0].startswith(("references/", "tests/"))]
    paths = {path for path, _, _ in stated}
    assert {"SKILL.md", "pyproject.toml", "scripts/skillpack/config.py", ".claude-plugin/marketplace.json"} <= paths
    wrong = [f"{path}:{line}: dbos {found}" for path, line, found in stated if found != config.DBOS_VERSION]
    assert not wrong, f"these files state another dbos version than {config.DBOS_VERSION}:\n" + "\n".join(wrong)


# --- upgrade report ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pinned() -> Snapshot:
    return snapshot(sys.executable)


def test_snapshot_reads_the_public_api(pinned):
    assert pinned.version == config.DBOS_VERSION
    assert pinned.has("DBOS.launch") and pinned.has("DBOS.register_queue.worker_concurrency")
    assert pinned.has("DBOSConfig.system_database_url") and pinned.has("SetWorkflowID")
    assert not pinned.has("DBOS.transaction") and not pinned.has("DBOS.scheduled")
    assert "worker_concurrency" in pinned.names["DBOS.register_queue"]


def test_same_version_reports_nothing_to_upgrade(pinned):
    change = diff(pinned, pinned)
    assert change.unchanged
    report = render_report(change, ROOT)
    assert "nothing to upgrade" in report


def changed(pinned: Snapshot) -> Snapshot:
    """A made-up next release: DBOS.sleep and DBOS.set_event gone, register_queue without worker_concurrency,
    a new DBOS.hibernate."""
    names = {k: v for k, v in pinned.names.items() if k not in ("DBOS.sleep", "DBOS.set_event")}
    names["DBOS.register_queue"] = [k for k in names["DBOS.register_queue"] if k != "worker_concurrency"]
    names["DBOS.hibernate"] = ["seconds"]
    return Snapshot("99.0.0", names)


def test_diff_names_added_and_removed_names_and_keywords(pinned):
    change = diff(pinned, changed(pinned))
    assert change.added == ["DBOS.hibernate"]
    assert change.removed == ["DBOS.set_event", "DBOS.sleep"]
    assert change.keywords_removed == {"DBOS.register_queue": ["worker_concurrency"]}
    assert change.keywords_added == {}


def test_report_is_a_checklist_naming_the_rules_to_rewrite(pinned, pack):
    rule = pack / "references" / "queue-register.md"
    assert "worker_concurrency=" in rule.read_text(encoding="utf-8")
    change = diff(pinned, changed(pinned))
    report = render_report(change, pack)
    assert report.startswith(f"# dbos upgrade report: {config.DBOS_VERSION} -> 99.0.0")
    assert "- `DBOS.hibernate`" in report and "- `DBOS.sleep`" in report
    assert re.search(r"- \[ \] Rewrite `references/queue-register.md`: .*`DBOS.register_queue` lost `worker_concurrency=`", report)
    assert '- [ ] Set `DBOS_VERSION = "99.0.0"`' in report
    assert "- [ ] `make test`" in report


def test_report_on_the_repository_lists_the_files_that_state_the_version(pinned):
    report = render_report(ApiDiff(config.DBOS_VERSION, "99.0.0", removed=["DBOS.sleep"]), ROOT)
    line = next(l for l in report.splitlines() if l.startswith("- [ ] Update the dbos version stated in"))
    assert "`README.md`" in line and "`.claude-plugin/marketplace.json`" in line


def test_upgrade_report_cli_against_an_interpreter(cli, tmp_path):
    out = tmp_path / "report.md"
    result = cli(ROOT, "upgrade-report", "--python", sys.executable, "--out", str(out), "--fail-if-newer")
    assert result.code == 0, result.err  # the same dbos: not newer, so --fail-if-newer passes
    assert "nothing to upgrade" in out.read_text(encoding="utf-8")


# --- upgrade-report --fail-if-newer ------------------------------------------------------------------------------


def test_is_newer_orders_releases():
    assert is_newer("3.5.0", "3.4.0") and is_newer("3.10.0", "3.9.1") and is_newer("4.0.0rc1", "3.4.0")
    assert not is_newer("3.4.0", "3.4.0") and not is_newer("3.3.2", "3.4.0") and not is_newer("3.4.0rc1", "3.4.0")
    assert is_newer("99.0.0") and not is_newer(config.DBOS_VERSION)
    with pytest.raises(RuntimeError, match="cannot compare dbos versions"):
        is_newer("latest", "3.4.0")


@pytest.fixture(scope="module")
def newer_python(tmp_path_factory) -> Path:
    """This interpreter and its real dbos, under the metadata of a dbos 99.0.0: a newer release without PyPI."""
    folder = tmp_path_factory.mktemp("newer-dbos")
    dist_info = folder / "site" / "dbos-99.0.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: dbos\nVersion: 99.0.0\n", encoding="utf-8")
    python = folder / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH="{dist_info.parent}" exec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return python


def test_fail_if_newer_exits_1_after_writing_the_report(cli, tmp_path, newer_python):
    out = tmp_path / "report.md"
    result = cli(ROOT, "upgrade-report", "--python", str(newer_python), "--out", str(out), "--fail-if-newer")
    assert result.code == 1, result.err
    assert out.read_text(encoding="utf-8").startswith(f"# dbos upgrade report: {config.DBOS_VERSION} -> 99.0.0")
    assert f"dbos 99.0.0 is newer than the pinned {config.DBOS_VERSION}" in result.err
