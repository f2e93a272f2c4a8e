"""The docs site as an install source: `npx skills add <site URL>` with the real skills CLI against `skillpack serve`.

The site is built once for the module from a clean clone (whose committed SKILL.md is fresh, so the pack bundles)
and served on loopback; the CLI runs offline with a throw-away HOME in a scratch project.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import logging
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from agent_tools import SKILL, assert_complete_skill, clean_clone, files_of, output, record_size, skills_add
from conftest import ROOT
from lint_samples import assert_linter_runs_from
from skillpack.build import build
from skillpack.bundle import bundle_files, zip_bytes
from skillpack.load import split_front_matter
from skillpack.serve import serving
from skillpack.site import (
    DISCOVERY_SCHEMA, NOJEKYLL, WELL_KNOWN, WELL_KNOWN_INDEX, build_site, install_source, site_install_source,
)

pytestmark = pytest.mark.xdist_group("site-install")  # its module fixture is built once, in one worker

ARCHIVE = f"{WELL_KNOWN}/{SKILL}.zip"


@dataclass(frozen=True)
class InstallableSite:
    clone: Path
    site: Path
    bundle: dict[str, bytes]
    """The bundle of the clone (``bundle_files``): what the archive must hold, exactly."""


@pytest.fixture(scope="module")
def installable(tmp_path_factory) -> InstallableSite:
    base = tmp_path_factory.mktemp("site-install")
    clone = clean_clone(base / "clone")
    result = build_site(clone, base / "site", ROOT / "mkdocs.yml")
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return InstallableSite(clone, base / "site", bundle_files(clone))


@pytest.fixture(scope="module")
def site_url(installable):
    with serving(installable.site) as server:
        yield server.url


def archive_files(data: bytes) -> dict[str, bytes]:
    """The files of an install archive by their path from the archive root (where SKILL.md must be)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def front_matter(skill_md: bytes) -> dict:
    return yaml.safe_load(split_front_matter(skill_md.decode("utf-8"))[0])


# ---------------------------------------------------------------------------------------------------------------
# What the build writes


def test_site_publishes_the_bundle_and_its_discovery_index(installable):
    site = installable.site
    assert (site / NOJEKYLL).is_file() and (site / NOJEKYLL).read_bytes() == b""
    assert sorted(p.name for p in (site / WELL_KNOWN).iterdir()) == [f"{SKILL}.zip", "index.json"]
    assert not (site / ".well-known" / "skills").exists(), "the pinned CLI reads .well-known/agent-skills first"
    index = json.loads((site / WELL_KNOWN_INDEX).read_bytes())
    archive = (site / ARCHIVE).read_bytes()
    front = front_matter(installable.bundle["SKILL.md"])
    assert index == {
        "$schema": DISCOVERY_SCHEMA,
        "skills": [{
            "name": SKILL,
            "type": "archive",
            "description": front["description"],
            "url": f"{SKILL}.zip",
            "digest": "sha256:" + hashlib.sha256(archive).hexdigest(),
        }],
    }
    assert front["name"] == SKILL and 0 < len(front["description"]) <= 1024
    assert archive_files(archive) == installable.bundle, "the archive holds exactly the bundle, SKILL.md at its root"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href=".well-known/agent-skills/index.json"' in home and "From this site" in home
    assert "npx skills add <site URL> -a claude-code --copy" in (site / "index.md").read_text(encoding="utf-8")


def test_install_source_is_deterministic(installable):
    """Built again, after every file's time changed: the same index and archive bytes as the site's."""
    for path in installable.clone.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            os.utime(path, (1_900_000_000, 1_900_000_000))
    again = install_source(installable.clone)
    assert set(again) == {WELL_KNOWN_INDEX, ARCHIVE}
    for name, data in again.items():
        assert data == (installable.site / name).read_bytes(), name


def test_serve_answers_the_well_known_files_with_their_types(installable, site_url):
    host, port = site_url.removeprefix("http://").rstrip("/").split(":")
    for target, ctype in ((f"/{WELL_KNOWN_INDEX}", "application/json"), (f"/{ARCHIVE}", "application/zip")):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", target)
        response = connection.getresponse()
        assert (response.status, response.getheader("Content-Type")) == (200, ctype), target
        assert response.read() == (installable.site / target[1:]).read_bytes()
        connection.close()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/.well-known/%2e%2e/SKILL.md")
    assert connection.getresponse().status == 400, "dot-dot segments stay refused"
    connection.close()


def test_a_pack_that_cannot_be_bundled_publishes_no_install_source(pack, tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="mkdocs.skillpack"):
        assert site_install_source(pack) == {}
    assert "SKILL.md is not built" in caplog.text and not [r for r in caplog.records if r.levelno >= logging.WARNING]
    shutil.copy(ROOT / "LICENSE", pack / "LICENSE")
    assert not build(pack).diagnostics
    assert set(site_install_source(pack)) == {WELL_KNOWN_INDEX, ARCHIVE}
    rule = pack / "references" / "step-retries.md"
    text = rule.read_text(encoding="utf-8")
    rule.write_text(re.sub(r"(?m)^summary: .*$", "summary: A changed summary.", text), encoding="utf-8")
    caplog.clear()
    assert site_install_source(pack) == {}
    problem = f"{WELL_KNOWN_INDEX} not written: stale: references/index/step.md (run 'make build' and commit it)"
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [f"skillpack: {problem}"]
    result = build_site(pack, tmp_path / "site", ROOT / "mkdocs.yml")
    assert not result.ok and any(problem in d.message for d in result.diagnostics), "a strict build fails on it"
    assert not (tmp_path / "site").exists()


# ---------------------------------------------------------------------------------------------------------------
# The skills CLI


def test_skills_cli_lists_exactly_dbos_python(site_url, tmp_path):
    proc = skills_add(site_url, tmp_path / "project", tmp_path / "home", "--list", timeout=120)
    assert proc.returncode == 0, output(proc)
    listed = proc.stdout[proc.stdout.index("Available Skills") : proc.stdout.index("Run without --list")]
    assert re.findall(r"(?m)^│ {4}(\S+)\s*$", listed) == [SKILL], output(proc)
    assert not (tmp_path / "project" / ".claude").exists()


def test_skills_cli_installs_the_whole_skill_from_the_site(installable, site_url, tmp_path):
    project = tmp_path / "project"
    proc = skills_add(site_url, project, tmp_path / "home", "-y", "--agent", "claude-code", "--copy", timeout=120)
    assert proc.returncode == 0, output(proc)
    installed = project / ".claude" / "skills" / SKILL
    assert set(files_of(installed)) == set(installable.bundle), "SKILL.md, LICENSE, every rule, the indexes, the linter"
    for name, data in installable.bundle.items():
        assert (installed / name).read_bytes() == data, name
    assert_complete_skill(installed, installable.clone)
    assert_linter_runs_from(installed, tmp_path)
    record_size("site-well-known", installed)


def test_an_archive_that_does_not_match_its_digest_installs_nothing(installable, tmp_path):
    """A valid archive with one rule changed, served under the published digest: refused. Published with its own
    digest, the same archive installs: the digest is what refused it."""
    site = tmp_path / "site"
    shutil.copytree(installable.site, site)
    files = dict(installable.bundle)
    files["references/workflow-determinism.md"] += b"\nInjected.\n"
    tampered = zip_bytes(files, top="")
    (site / ARCHIVE).write_bytes(tampered)
    with serving(site) as server:
        url, project = server.url, tmp_path / "project"
        proc = skills_add(url, project, tmp_path / "home", "-y", "--agent", "claude-code", "--copy", timeout=120)
        assert proc.returncode != 0 and "No well-known skills found" in proc.stdout, output(proc)
        assert not (project / ".claude").exists() and not (project / ".agents").exists(), output(proc)

        index = json.loads((site / WELL_KNOWN_INDEX).read_bytes())
        index["skills"][0]["digest"] = "sha256:" + hashlib.sha256(tampered).hexdigest()
        (site / WELL_KNOWN_INDEX).write_text(json.dumps(index), encoding="utf-8")
        proc = skills_add(url, project, tmp_path / "home", "-y", "--agent", "claude-code", "--copy", timeout=120)
        assert proc.returncode == 0, output(proc)
        installed = project / ".claude" / "skills" / SKILL / "references" / "workflow-determinism.md"
        assert installed.read_bytes().endswith(b"\nInjected.\n")
