"""The ``skillpack`` command line: validate, build, new, examples, bundle, upgrade-report, site, serve, mcp, eval."""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from . import config, lint

EPILOG = "Every command works on the pack in --root (default: the current folder), which holds references/."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="skillpack", description=f"Validate and build the {config.SKILL_NAME} skill pack.", epilog=EPILOG
    )
    parser.add_argument("--version", action="version", version=f"skillpack {config.PACK_VERSION} (dbos {config.DBOS_VERSION})")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="pack folder (default: current folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check every rule; print path:line: message for each problem; write nothing")
    build = commands.add_parser("build", help="validate, then write SKILL.md and references/index/ (only what changed)")
    build.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each stale output")
    for command in (validate, build):
        command.add_argument(
            "--no-cache", action="store_true",
            help="check every rule again, without reading or writing the validation cache (~/.cache/skillpack/validation)",
        )
    new = commands.add_parser("new", help="scaffold references/<prefix><slug>.md for a new rule")
    new.add_argument("category", help="category id, e.g. queue")
    new.add_argument("slug", help="lower-case kebab-case name, e.g. register-after-launch")
    examples = commands.add_parser("examples", help="run every example of the given rule files (default: all)")
    examples.add_argument("paths", nargs="*", type=Path, help="rule files (default: every rule)")
    examples.add_argument("--jobs", "-j", type=int, default=0, help="parallel runs (default: CPU count)")
    examples.add_argument(
        "--fresh", action="store_true",
        help="start a new python for each example instead of forking one that has already imported dbos (slower)",
    )
    bundle = commands.add_parser("bundle", help="write dist/dbos-python/ (SKILL.md, references/, LICENSE) and a deterministic dist/dbos-python.zip")
    bundle.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/dist)")
    upgrade = commands.add_parser("upgrade-report", help="what changed in the latest dbos on PyPI against the pinned one, as a checklist")
    upgrade.add_argument("--against", metavar="VERSION", default=None, help="a dbos version to compare with (default: the latest)")
    upgrade.add_argument("--python", type=Path, default=None, help="compare with the dbos of this interpreter instead (no install)")
    upgrade.add_argument("--out", type=Path, default=None, help="write the Markdown report here (default: print it)")
    upgrade.add_argument("--fail-if-newer", action="store_true",
                         help="exit 1 after the report when the other dbos is newer than the pinned one (0 when not)")
    site = commands.add_parser("site", help="validate, then build the docs site with mkdocs build --strict (default: <root>/site)")
    site.add_argument("--site-dir", type=Path, default=None, help="output folder (default: <root>/site)")
    site.add_argument("--config", type=Path, default=None, help="mkdocs.yml (default: <root>/mkdocs.yml, else the project's)")
    serve = commands.add_parser("serve", help="serve the built site; pages answer Markdown to ?format=md or Accept: text/markdown")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--site-dir", type=Path, default=None, help="built site (default: <root>/site)")
    commands.add_parser("mcp", help="serve the pack to agents over MCP on stdin/stdout: SKILL.md, the indexes and the "
                        "rules as resources; search_rules, get_rule and lint as tools (needs the [mcp] extra)")

    evals = commands.add_parser("eval", help="run the outcome evals (evals/tasks/) with an agent command, with or "
                                "without the skill, and grade the results by their graders and dbos-lint")
    evals.add_argument("tasks", nargs="*", metavar="TASK-ID", help="tasks to run (default: every task)")
    evals.add_argument("--agent", required=True, help="agent command run in each work copy, prompt on stdin "
                       "(e.g. \"claude -p --output-format stream-json --verbose\"), or replay:FOLDER of recorded answers")
    evals.add_argument("--baseline", action="store_true", help="also run every task without the skill installed")
    evals.add_argument("--repeat", type=int, default=1, help="runs of each task in each mode (default: 1)")
    evals.add_argument("--jobs", type=int, default=1, help="runs in parallel (default: 1)")
    evals.add_argument("--timeout", type=float, default=None, help="agent time limit in seconds (default: each task's)")
    evals.add_argument("--grader-timeout", type=float, default=120.0, help="graders' time limit in seconds (default: 120)")
    evals.add_argument("--tasks-dir", type=Path, default=None, help="tasks folder (default: <root>/evals/tasks)")
    evals.add_argument("--out", type=Path, default=None, help="results folder (default: test-output/evals/<timestamp>/)")

    args = parser.parse_args(argv)
    # A short-lived batch process: cyclic garbage collection only slows large packs (thousands of rules) down.
    gc.disable()
    root = args.root.resolve()
    if not (root / "references").is_dir():
        print(f"skillpack: {root} has no references/ folder (use --root)", file=sys.stderr)
        return 2
    handler = {
        "validate": cmd_validate,
        "build": cmd_build,
        "new": cmd_new,
        "examples": cmd_examples,
        "bundle": cmd_bundle,
        "upgrade-report": cmd_upgrade_report,
        "site": cmd_site,
        "serve": cmd_serve,
        "eval": cmd_eval,
        "mcp": cmd_mcp,
    }[args.command]
    return handler(root, args)


def print_diagnostics(diagnostics, root: Path) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(root), file=sys.stderr)
    print(f"{len(diagnostics)} error(s)", file=sys.stderr)


def cmd_validate(root: Path, args) -> int:
    from .load import load_pack
    from .validate import validate_pack

    pack = load_pack(root, use_cache=not args.no_cache)
    diagnostics = validate_pack(pack, use_cache=not args.no_cache)
    if diagnostics:
        print_diagnostics(diagnostics, root)
        return 1
    print(f"ok: {len(pack.rules)} rules in {len(pack.categories)} categories")
    return 0


def cmd_build(root: Path, args) -> int:
    from .build import SKILL_BUDGET_TOKENS, body_of, build, estimate_tokens

    started = time.perf_counter()
    result = build(root, check=args.check, use_cache=not args.no_cache)
    if result.diagnostics:
        print_diagnostics(result.diagnostics, root)
        print("build failed: nothing was written", file=sys.stderr)
        return 1
    if args.check:
        for path in result.stale:
            print(f"stale: {path.relative_to(root)} (run 'make build')", file=sys.stderr)
        for path in result.orphans:
            print(f"stale: {path.relative_to(root)} is no category's index any more (run 'make build')", file=sys.stderr)
        if result.stale or result.orphans:
            return 1
    skill = result.outputs[root / "SKILL.md"]
    body = body_of(skill)
    for path in result.outputs:
        state = "stale" if path in result.stale else "up to date"
        action = "" if args.check else (" written" if path in result.stale else "")
        print(f"{path.relative_to(root)}: {state}{action}")
    for path in result.orphans:
        print(f"{path.relative_to(root)}: no category's index any more, removed")
    print(
        f"SKILL.md body: {body.count(chr(10))} lines, {len(body)} characters, ~{estimate_tokens(body):,} tokens "
        f"(budget {SKILL_BUDGET_TOKENS:,}); {len(result.pack.rules)} rules; {time.perf_counter() - started:.2f} s"
    )
    coverage = lint.coverage(result.pack)
    if coverage:
        print(coverage)
    from .coverage import summary as api_coverage

    api = api_coverage(result.pack)
    if api:
        print(api)
    return 0


def cmd_new(root: Path, args) -> int:
    from .model import driver_file
    from .new import scaffold_rule

    try:
        path = scaffold_rule(root, args.category, args.slug)
    except ValueError as exc:
        print(f"skillpack new: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path.relative_to(root)}: fill every TODO(skillpack), then run 'skillpack validate'")
    driver = driver_file(path.stem, "<name>").as_posix()
    print(f"driver (optional): {driver}, named by driver=<name> in the example's directive")
    return 0


def cmd_examples(root: Path, args) -> int:
    from .examples import main as run_examples

    return run_examples(root, args.paths, args.jobs, args.fresh)


def cmd_bundle(root: Path, args) -> int:
    from .bundle import BundleError, write_bundle

    try:
        bundle = write_bundle(root, args.out)
    except BundleError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("bundle failed: nothing was written", file=sys.stderr)
        return 1
    print(f"{bundle.folder}: {len(bundle.files)} files, {bundle.folder_bytes} bytes")
    print(f"{bundle.archive}: {bundle.archive_bytes} bytes, sha256 {bundle.sha256}")
    return 0


def cmd_upgrade_report(root: Path, args) -> int:
    from .upgrade import main as upgrade_report

    return upgrade_report(root, args.against, args.python, args.out, args.fail_if_newer)


def cmd_site(root: Path, args) -> int:
    from .site import build_site

    result = build_site(root, args.site_dir, args.config)
    if not result.ok:
        print_diagnostics(result.diagnostics, root)
        print("site build failed", file=sys.stderr)
        return 1
    print(f"{result.site_dir}: {result.pages} pages, built in {result.seconds:.2f} s")
    return 0


def cmd_serve(root: Path, args) -> int:
    from .serve import serve

    gc.enable()  # a long-running server, unlike the batch commands
    return serve((args.site_dir or root / "site").resolve(), args.host, args.port)


def cmd_mcp(root: Path, args) -> int:
    try:
        from .mcp_server import serve as serve_mcp
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in ("mcp", "mcp_types"):
            raise
        print("skillpack mcp: the MCP SDK is not installed: pip install 'dbos-python-skillpack[mcp]'", file=sys.stderr)
        return 2
    gc.enable()  # a long-running server, unlike the batch commands
    return serve_mcp(root)


def cmd_eval(root: Path, args) -> int:
    from .evals import main as run_evals

    gc.enable()  # runs for minutes with many threads, unlike the batch commands
    return run_evals(root, args)
