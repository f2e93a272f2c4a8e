"""The pack as an MCP server over stdio (``skillpack mcp``), for agents that reach documentation through MCP.

Resources: the Markdown files of the bundle (``SKILL.md``, the category indexes it links, every rule), as
``skill://dbos-python/<path in the bundle>``. Tools: ``search_rules`` (BM25, ``search.RuleSearch``), ``get_rule``
and ``lint`` (the pack's dbos-lint engine, in-process). Everything is loaded once at start; bad input to a tool is
a tool error result that says what is wrong, never a crash.
"""

from __future__ import annotations

import contextlib
import difflib
import sys
from dataclasses import dataclass
from pathlib import Path

from dboslint.engine import lint_source
from dboslint.model import PSEUDO_RULES, SYNTAX_ERROR
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import TextResource
from mcp_types import ToolAnnotations
from typing_extensions import TypedDict  # pydantic needs this one on Python 3.11 to give the tools an output schema

from . import config
from .bundle import BundleError, bundled_pack, resolve_link
from .load import load_pack, relative_links
from .model import Rule
from .search import RuleSearch

MIME_TYPE = "text/markdown"
MAX_QUERY_CHARS = 1_000
MAX_LIMIT = 50
MAX_CODE_BYTES = 1_000_000
MAX_NAME_CHARS = 255
SKILL_FILE = "SKILL.md"
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


class PackError(Exception):
    """The pack cannot be served (one line)."""


def resource_uri(path: str) -> str:
    """``skill://dbos-python/<path>`` for a file of the bundle."""
    return f"skill://{config.SKILL_NAME}/{path}"


def rule_path(stem: str) -> str:
    return f"references/{stem}.md"


@dataclass(frozen=True)
class Served:
    """What the server answers from, loaded once."""

    documents: dict[str, str]
    """Every served Markdown file by its path in the bundle."""
    rules: dict[str, Rule]
    """Every rule by its id (the file stem)."""
    search: RuleSearch
    warning: str | None = None
    """Why the files come from the working tree and not from the bundle, if they do."""


def load_served(root: Path) -> Served:
    """Load the pack at ``root``; the Markdown files are the bundle's (``bundle.bundled_pack``), or, when the pack
    cannot be bundled yet (stale or invalid), SKILL.md, the files it links and the rule files as they are.
    Raises PackError when the pack does not load."""
    refused: list[str] = []
    try:
        pack, files = bundled_pack(root)
    except BundleError as exc:
        pack, files, refused = load_pack(root), {}, exc.problems
    if pack.diagnostics:
        first = pack.diagnostics[0].format(root)
        raise PackError(f"the pack does not load: {first} ({len(pack.diagnostics)} problem(s); run 'skillpack validate')")
    if not pack.rules:
        raise PackError(f"no rule in {root / 'references'}")
    warning = None
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        warning = f"serving the files as they are, not the bundle: {refused[0]}{more}"
        documents = working_tree_documents(root, pack.rules)
    else:
        documents = {name: data.decode("utf-8") for name, data in files.items() if name.endswith(".md")}
    rules = [rule for rule in pack.rules if rule_path(rule.stem) in documents]
    return Served(documents, {rule.stem: rule for rule in rules}, RuleSearch(rules), warning)


def working_tree_documents(root: Path, rules: list[Rule]) -> dict[str, str]:
    """SKILL.md, the Markdown files it links and every rule file, read from ``root``."""
    skill = root / SKILL_FILE
    if not skill.is_file():
        raise PackError(f"{skill} is missing (run 'skillpack build')")
    documents = {SKILL_FILE: skill.read_text(encoding="utf-8")}
    for _, target in relative_links(documents[SKILL_FILE]):
        path = resolve_link(SKILL_FILE, target.split("#", 1)[0])
        if path.endswith(".md") and not path.startswith("../") and (root / path).is_file():
            documents[path] = (root / path).read_text(encoding="utf-8")
    for rule in rules:
        documents[rule_path(rule.stem)] = rule.path.read_text(encoding="utf-8")
    return dict(sorted(documents.items()))


class RuleHit(TypedDict):
    id: str
    title: str
    summary: str
    priority: str
    category: str
    uri: str
    score: float


class SearchResult(TypedDict):
    query: str
    rules: list[RuleHit]


class RuleDocument(TypedDict):
    id: str
    title: str
    summary: str
    priority: str
    category: str
    tags: list[str]
    docs: list[str]
    uri: str
    markdown: str


class LintFinding(TypedDict):
    rule: str
    line: int
    column: int
    message: str
    rule_file: str | None
    rule_uri: str | None


class LintResult(TypedDict):
    filename: str
    summary: str
    findings: list[LintFinding]


class Tools:
    """The tools' work, on a loaded pack; every bad input raises ToolError with a one-line reason."""

    def __init__(self, served: Served):
        self.served = served

    def search_rules(self, query: str, limit: int = 5) -> SearchResult:
        """Find the rules that answer a question or a symptom in plain words (e.g. 'my queued job never runs'),
        best first: id, title, summary, priority, category and the rule's resource URI. limit: 1 to 50."""
        words = query.strip()
        if not words:
            raise ToolError("query is empty: ask in words, e.g. 'my queued job never runs'")
        if len(query) > MAX_QUERY_CHARS:
            raise ToolError(f"query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
        if not 1 <= limit <= MAX_LIMIT:
            raise ToolError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        hits = [self.hit(rule, score) for score, rule in self.served.search.search(words, limit)]
        return {"query": words, "rules": hits}

    def get_rule(self, rule_id: str) -> RuleDocument:
        """One rule's whole Markdown file (front matter included) and its metadata, by id: the file stem, e.g.
        'queue-register-after-launch' (a trailing '.md' is accepted)."""
        stem = rule_id.strip()
        stem = stem[:-3] if stem.endswith(".md") else stem
        if not stem:
            raise ToolError("rule_id is empty: give a rule id such as 'queue-register-after-launch'")
        if len(stem) > MAX_NAME_CHARS:
            raise ToolError(f"rule_id is {len(stem):,} characters long; no rule id is longer than {MAX_NAME_CHARS}")
        rule = self.served.rules.get(stem)
        if rule is None:
            close = difflib.get_close_matches(stem, self.served.rules, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}?" if close else "no rule id is close to it"
            raise ToolError(f"unknown rule id '{stem}': {hint} (search_rules finds rules by words)")
        hit = self.hit(rule, 0.0)
        del hit["score"]
        return {**hit, "tags": rule.tags, "docs": rule.docs, "markdown": self.served.documents[rule_path(stem)]}

    def lint(self, code: str, filename: str = "snippet.py") -> LintResult:
        """Check Python code that uses DBOS with the pack's dbos-lint: each finding names the rule it breaks (read
        it with get_rule) with its line, column and message. Code that does not parse is one 'syntax-error'
        finding. At most 1 MB of code."""
        name = filename.strip()
        if not name or len(name) > MAX_NAME_CHARS or "\n" in name:
            raise ToolError(f"filename must be one line of 1 to {MAX_NAME_CHARS} characters, e.g. 'app/jobs.py'")
        size = len(code.encode("utf-8", "surrogatepass"))
        if size > MAX_CODE_BYTES:
            raise ToolError(f"code is {size:,} bytes; the limit is {MAX_CODE_BYTES:,}: lint one file at a time")
        findings = [self.finding(f) for f in lint_source(code, name)]
        return {"filename": name, "summary": lint_summary(code, findings), "findings": findings}

    def hit(self, rule: Rule, score: float) -> RuleHit:
        return {
            "id": rule.stem, "title": rule.title, "summary": rule.summary, "priority": rule.priority,
            "category": rule.category, "uri": resource_uri(rule_path(rule.stem)), "score": round(score, 4),
        }

    def finding(self, finding) -> LintFinding:
        path = None if finding.rule in PSEUDO_RULES else rule_path(finding.rule)
        known = path is not None and path in self.served.documents
        return {
            "rule": finding.rule, "line": finding.line, "column": finding.column, "message": finding.message,
            "rule_file": path if known else None, "rule_uri": resource_uri(path) if known else None,
        }


def lint_summary(code: str, findings: list[LintFinding]) -> str:
    """One line on what the linter found, saying so when the code does not parse or was not checked."""
    if any(f["rule"] == SYNTAX_ERROR for f in findings):
        return "the code does not parse, so it was not checked: fix the syntax error and lint it again"
    if "dbos" not in code:
        return "the code never mentions dbos: nothing to check"
    if not findings:
        return "no findings"
    return f"{len(findings)} finding(s): read each rule (get_rule) for why and for the fix"


def create_server(served: Served) -> MCPServer:
    """An MCP server over a loaded pack: its resources and its three tools."""
    server = MCPServer(
        name=config.SKILL_NAME,
        title=f"{config.SKILL_NAME} skill pack",
        instructions=(
            f"Rules for writing correct Python with DBOS Transact {config.DBOS_VERSION}. Read {resource_uri(SKILL_FILE)} "
            "first; search_rules finds the rule for a task or a symptom, get_rule returns a rule, lint checks code."
        ),
        version=config.PACK_VERSION,
        log_level="WARNING",
    )
    rules_by_path = {rule_path(stem): rule for stem, rule in served.rules.items()}
    for path, text in served.documents.items():
        rule = rules_by_path.get(path)
        server.add_resource(TextResource(
            uri=resource_uri(path), name=path, title=rule.title if rule else None,
            description=rule.summary if rule else None, mime_type=MIME_TYPE, text=text,
        ))
    tools = Tools(served)
    for function in (tools.search_rules, tools.get_rule, tools.lint):
        server.add_tool(function, annotations=READ_ONLY)
    return server


def serve(root: Path) -> int:
    """Load the pack at ``root`` and answer MCP over stdin/stdout until the client leaves. Exit status 2 when the
    pack does not load."""
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries the protocol only
            served = load_served(root)
    except PackError as exc:
        print(f"skillpack mcp: {exc}", file=sys.stderr)
        return 2
    if served.warning:
        print(f"skillpack mcp: {served.warning}", file=sys.stderr)
    server = create_server(served)
    try:
        server.run("stdio")
    except KeyboardInterrupt:
        pass
    return 0
