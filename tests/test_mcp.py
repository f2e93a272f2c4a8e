"""``skillpack mcp``: the pack over MCP, driven by the SDK's own stdio client against the real server process.

One server serves the whole module (starting it costs seconds: the SDK's import). Every bad input must come back
as a tool error result, and the server must still answer afterwards.
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import yaml
from anyio.from_thread import start_blocking_portal
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from agent_tools import markdown_links
from conftest import ROOT
from lint_samples import BAD, GOOD
from skillpack import config
from skillpack.load import load_rule, rule_paths
from skillpack.mcp_server import PackError, load_served
from skillpack.search import BM25, tokenize

pytestmark = pytest.mark.xdist_group("mcp")  # its module fixture is built once, in one worker

SKILLPACK = Path(sys.executable).parent / "skillpack"
QUESTIONS = Path(__file__).parent / "findability" / "questions.yml"
URI = f"skill://{config.SKILL_NAME}/"
TIMEOUT = 60
"""Seconds any one request may take: a hung server fails the test instead of hanging it."""


@asynccontextmanager
async def connect(root: Path, errlog):
    params = StdioServerParameters(command=str(SKILLPACK), args=["--root", str(root), "mcp"])
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write, read_timeout_seconds=TIMEOUT) as session:
            yield session, await session.initialize()


class Client:
    """Synchronous calls into the async session, through the portal's event loop thread."""

    def __init__(self, portal, session, init):
        self.portal, self.session, self.init = portal, session, init

    def run(self, method, *args, **kwargs):
        return self.portal.call(functools.partial(method, *args, **kwargs))

    def call(self, tool: str, arguments: dict):
        return self.run(self.session.call_tool, tool, arguments)

    def ok(self, tool: str, arguments: dict) -> dict:
        result = self.call(tool, arguments)
        assert not result.is_error, result.content
        return result.structured_content


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    stderr = tmp_path_factory.mktemp("mcp") / "stderr.txt"
    with stderr.open("w+", encoding="utf-8") as errlog, start_blocking_portal() as portal:
        try:
            connection = portal.wrap_async_context_manager(connect(ROOT, errlog))
            session, init = connection.__enter__()
        except Exception as exc:
            pytest.fail(f"skillpack mcp did not start ({exc!r}); its stderr:\n{stderr.read_text(encoding='utf-8')}")
        try:
            yield Client(portal, session, init)
        finally:
            connection.__exit__(None, None, None)


def test_initialize_names_the_pack_and_its_entry_point(client):
    assert client.init.server_info.name == config.SKILL_NAME
    assert client.init.server_info.version == config.PACK_VERSION
    assert f"{URI}SKILL.md" in client.init.instructions
    tools = {tool.name: tool for tool in client.run(client.session.list_tools).tools}
    assert sorted(tools) == ["get_rule", "lint", "search_rules"]
    assert all(tool.annotations.read_only_hint and tool.output_schema for tool in tools.values())


def test_resources_are_skill_md_what_it_links_and_every_rule(client):
    resources = client.run(client.session.list_resources).resources
    expected = {"SKILL.md", *markdown_links(ROOT / "SKILL.md")}
    expected |= {f"references/{path.name}" for path in rule_paths(ROOT / "references")}
    assert sorted(r.uri for r in resources) == sorted(URI + name for name in expected)
    assert {r.mime_type for r in resources} == {"text/markdown"}
    assert any(name.startswith("references/index/") for name in expected)
    queue = next(r for r in resources if r.uri == f"{URI}references/queue-register-after-launch.md")
    assert queue.title.startswith("Register queues with DBOS.register_queue")


@pytest.mark.parametrize("name", ["SKILL.md", "references/queue-register-after-launch.md"])
def test_read_resource_is_the_file(client, name):
    contents = client.run(client.session.read_resource, URI + name).contents
    assert len(contents) == 1 and contents[0].mime_type == "text/markdown"
    assert contents[0].text == (ROOT / name).read_text(encoding="utf-8")


def test_unknown_resource_is_an_error_and_the_server_answers_after(client):
    with pytest.raises(MCPError, match="Unknown resource"):
        client.run(client.session.read_resource, f"{URI}references/no-such-rule.md")
    assert client.run(client.session.read_resource, f"{URI}SKILL.md").contents


def questions() -> list[dict]:
    return yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "question",
    [q for q in questions() if q["rule"] in {"queue-enqueue-only-to-registered-queues", "workflow-durable-sleep"}],
    ids=lambda q: q["rule"],
)
def test_search_rules_finds_the_rule_in_the_top_3(client, question):
    found = client.ok("search_rules", {"query": question["question"], "limit": 3})
    ids = [hit["id"] for hit in found["rules"]]
    assert question["rule"] in ids, (question, ids)
    hit = found["rules"][ids.index(question["rule"])]
    assert hit["uri"] == f"{URI}references/{question['rule']}.md"
    rule, _ = load_rule(ROOT / "references" / f"{question['rule']}.md")
    assert (hit["title"], hit["summary"], hit["priority"], hit["category"]) == (rule.title, rule.summary, rule.priority, rule.category)
    scores = [h["score"] for h in found["rules"]]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_search_rules_limit_and_no_match(client):
    assert len(client.ok("search_rules", {"query": "queue workflow step", "limit": 7})["rules"]) == 7
    assert len(client.ok("search_rules", {"query": "queue workflow step"})["rules"]) == 5
    assert client.ok("search_rules", {"query": "zzzqqq xyzzy"})["rules"] == []


@pytest.mark.parametrize("rule_id", ["queue-register-after-launch", "queue-register-after-launch.md"])
def test_get_rule_returns_the_file_and_its_metadata(client, rule_id):
    rule = client.ok("get_rule", {"rule_id": rule_id})
    assert rule["id"] == "queue-register-after-launch"
    assert rule["markdown"] == (ROOT / "references/queue-register-after-launch.md").read_text(encoding="utf-8")
    assert rule["markdown"].startswith("---\ntitle: ")
    assert rule["category"] == "queue" and rule["priority"] == "CRITICAL"
    assert "DBOS.register_queue" in rule["tags"] and rule["docs"]
    assert rule["uri"] == f"{URI}references/queue-register-after-launch.md"


def test_lint_reports_the_rule_a_bad_snippet_breaks(client):
    result = client.ok("lint", {"code": BAD, "filename": "app/jobs.py"})
    assert [(f["rule"], f["line"]) for f in result["findings"]] == [("workflow-durable-sleep", 8)]
    finding = result["findings"][0]
    assert finding["rule_file"] == "references/workflow-durable-sleep.md"
    assert finding["rule_uri"] == f"{URI}references/workflow-durable-sleep.md"
    assert finding["column"] == 5 and "DBOS.sleep" in finding["message"]
    assert result["filename"] == "app/jobs.py" and result["summary"].startswith("1 finding")


def test_lint_gives_no_finding_on_a_good_snippet(client):
    result = client.ok("lint", {"code": GOOD})
    assert result == {"filename": "snippet.py", "summary": "no findings", "findings": []}


def test_lint_says_when_the_code_does_not_parse_or_never_uses_dbos(client):
    broken = client.ok("lint", {"code": "from dbos import DBOS\ndef f(:\n"})
    assert [f["rule"] for f in broken["findings"]] == ["syntax-error"]
    assert broken["findings"][0]["rule_file"] is None
    assert "does not parse" in broken["summary"]
    assert client.ok("lint", {"code": "print('hi')\n"})["summary"] == "the code never mentions dbos: nothing to check"


BAD_INPUTS = {
    "unknown rule": ("get_rule", {"rule_id": "queue-register-after-lanch"}, "did you mean queue-register-after-launch"),
    "empty rule id": ("get_rule", {"rule_id": " .md"}, "rule_id is empty"),
    "empty query": ("search_rules", {"query": ""}, "query is empty"),
    "blank query": ("search_rules", {"query": " \n\t "}, "query is empty"),
    "limit 0": ("search_rules", {"query": "queue", "limit": 0}, "limit must be between 1 and 50, not 0"),
    "limit 51": ("search_rules", {"query": "queue", "limit": 51}, "limit must be between 1 and 50, not 51"),
    "huge query": ("search_rules", {"query": "queue " * 200 + "x"}, "the limit is 1,000"),
    "huge code": ("lint", {"code": "# dbos\n" + "x = 1\n" * 200_000}, "the limit is 1,000,000"),
    "query not a string": ("search_rules", {"query": 5}, "valid string"),
    "limit not a number": ("search_rules", {"query": "queue", "limit": "many"}, "valid integer"),
    "code not a string": ("lint", {"code": ["import dbos"]}, "valid string"),
    "missing argument": ("get_rule", {}, "required"),
    "bad filename": ("lint", {"code": GOOD, "filename": "a\nb.py"}, "filename must be one line"),
    "unknown tool": ("delete_rule", {"rule_id": "x"}, "Unknown tool"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_a_tool_error_and_the_server_answers_after(client, case):
    tool, arguments, message = BAD_INPUTS[case]
    result = client.call(tool, arguments)
    assert result.is_error
    assert message in result.content[0].text
    assert client.ok("search_rules", {"query": "durable sleep", "limit": 1})["rules"]


def test_without_the_sdk_it_says_what_to_install():
    hide_sdk = "import sys; sys.modules['mcp'] = None; from skillpack.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", hide_sdk, "--root", str(ROOT), "mcp"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "pip install 'dbos-python-skillpack[mcp]'" in proc.stderr


def test_a_pack_that_does_not_load_is_refused_in_one_line(pack, cli):
    (pack / "references" / "step-retries.md").write_text("no front matter\n", encoding="utf-8")
    result = cli(pack, "mcp")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "step-retries.md:1:" in result.err


def test_a_pack_that_cannot_be_bundled_is_served_as_it_is(pack, cli):
    with pytest.raises(PackError, match="SKILL.md is missing"):
        load_served(pack)
    assert cli(pack, "build").code == 0  # SKILL.md and the indexes, but no LICENSE: the bundle refuses it
    served = load_served(pack)
    assert "LICENSE is missing" in served.warning
    names = {"SKILL.md", *markdown_links(pack / "SKILL.md"), *(f"references/{p.name}" for p in rule_paths(pack / "references"))}
    assert sorted(served.documents) == sorted(names)
    assert served.documents["references/step-retries.md"] == (pack / "references/step-retries.md").read_text(encoding="utf-8")


def test_tokenize_keeps_identifiers_whole_and_split():
    assert tokenize("Why does DBOS.register_queue fail?") == ["dbos", "dbos.register_queue", "queue", "register", "fail"]
    assert tokenize("SetWorkflowID") == ["id", "set", "setworkflowid", "workflow"]


def test_bm25_scores_as_the_formula_says():
    index = BM25([["queue", "queue", "sleep"], ["sleep"]])
    avgdl, k1, b = 2.0, 1.5, 0.75
    idf_queue, idf_sleep = math.log(1 + 1.5 / 1.5), math.log(1 + 0.5 / 2.5)
    norm0, norm1 = k1 * (1 - b + b * 3 / avgdl), k1 * (1 - b + b * 1 / avgdl)
    expected = [
        idf_queue * 2 * (k1 + 1) / (2 + norm0) + idf_sleep * (k1 + 1) / (1 + norm0),
        idf_sleep * (k1 + 1) / (1 + norm1),
    ]
    assert index.scores(["queue", "sleep"]) == pytest.approx(expected)
    assert index.scores(["absent"]) == [0.0, 0.0]
