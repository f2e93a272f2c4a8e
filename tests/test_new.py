"""new: scaffolds a rule that fails validation until its placeholders are filled, then passes."""

from __future__ import annotations

import re


def test_new_rule_passes_once_placeholders_are_filled(pack, cli):
    result = cli(pack, "new", "queue", "rate-limit")
    assert result.code == 0, result.err
    assert (
        "driver (optional): tests/examples/queue-rate-limit/<name>.py, named by driver=<name> in the example's directive"
        in result.out
    )
    path = pack / "references/queue-rate-limit.md"
    text = path.read_text(encoding="utf-8")
    assert "category: queue" in text and "prefix: queue-" in text

    unfilled = cli(pack, "validate")
    assert unfilled.code == 1
    assert "references/queue-rate-limit.md:2: placeholder TODO(skillpack) left in 'title'" in unfilled.err

    filled = re.sub(r"TODO\(skillpack\) ?", "", text)
    filled = filled.replace("the rule, said as a short imperative", "Rate-limit calls to a paid API")
    filled = filled.replace("tags: []", "tags: [limiter]")
    path.write_text(filled, encoding="utf-8")
    result = cli(pack, "validate")
    assert result.code == 0, result.err


def test_new_refuses_unknown_category_bad_slug_and_existing_file(pack, cli):
    assert "unknown category 'queues'" in cli(pack, "new", "queues", "x").err
    assert "must be lower-case kebab-case" in cli(pack, "new", "queue", "Bad_Slug").err
    assert "already exists" in cli(pack, "new", "queue", "register").err
    assert cli(pack, "new", "queue", "register").code == 2
