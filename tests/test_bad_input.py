"""Hostile or broken rule files give one clear error each, never a traceback, and nothing is written."""

from __future__ import annotations

import pytest

from conftest import RULE

BAD_FRONT_MATTER = {
    "wrong-type": ("---\n- a list\n- not a mapping\n---\n", 2, "front matter must be a YAML mapping"),
    "alias-bomb": (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n",
        2,
        "YAML anchors and aliases (&name, *name) are not allowed",
    ),
    "python-tag": ("---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n", 2, "invalid YAML"),
    "broken-yaml": ("---\ntitle: [unclosed\n---\n", 3, "invalid YAML"),
}


@pytest.mark.parametrize("name", sorted(BAD_FRONT_MATTER))
def test_bad_front_matter_is_a_clear_error(pack, cli, name):
    text, line, message = BAD_FRONT_MATTER[name]
    (pack / RULE).write_text(text + "\n## Body\n", encoding="utf-8")
    before = (pack / "SKILL.md").exists()
    result = cli(pack, "build")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert f"{RULE}:{line}: {message}" in result.err, result.err
    assert (pack / "SKILL.md").exists() == before


def test_python_tag_constructs_nothing(pack, cli, tmp_path):
    marker = tmp_path / "pwned"
    (pack / RULE).write_text(f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n", encoding="utf-8")
    assert cli(pack, "validate").code == 1
    assert not marker.exists()


def test_invalid_utf8_names_the_line(pack, cli):
    (pack / RULE).write_bytes(b"---\ntitle: ok\n\xff\xfe bad\n---\n")
    result = cli(pack, "validate")
    assert result.code == 1
    assert f"{RULE}:3: file is not valid UTF-8" in result.err


def test_unclosed_front_matter(pack, cli):
    (pack / RULE).write_text("---\ntitle: x\n", encoding="utf-8")
    result = cli(pack, "validate")
    assert f"{RULE}:1: file must start with '---' YAML front matter closed by '---'" in result.err


def test_unclosed_fence(pack, cli):
    path = pack / RULE
    path.write_text(path.read_text(encoding="utf-8").rsplit("```", 1)[0], encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "code fence is never closed" in result.err


def test_broken_categories_file(pack, cli):
    (pack / "references/_categories.yml").write_text("- id: x\n  title: [\n", encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 1
    assert "references/_categories.yml:" in result.err and "invalid YAML" in result.err
    assert "Traceback" not in result.err


def test_missing_references_folder_is_usage_error(cli, tmp_path):
    result = cli(tmp_path, "validate")
    assert result.code == 2
    assert "has no references/ folder" in result.err
