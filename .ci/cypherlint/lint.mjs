// Lints every Cypher statement chainmap embeds with Neo4j's own Cypher front-end.
// Input (stdin): the JSON of `chainmap db schema` — the declared graph schema and each
// statement with its declared $parameters. Any error or warning fails the run.
//
//   go run ./cmd/chainmap db schema | node .ci/cypherlint/lint.mjs
//   go run ./cmd/chainmap db schema | node .ci/cypherlint/lint.mjs --self-test
//
// --self-test proves the lint catches mistakes: it misspells a label, a relationship
// type and a parameter in real statements and fails unless each one is reported.
import { lintCypherQuery } from '@neo4j-cypher/language-support';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));

function dbSchema(params) {
  const parameters = {};
  for (const p of params) parameters[p] = null;
  return {
    labels: input.schema.labels,
    relationshipTypes: input.schema.relationshipTypes,
    propertyKeys: [...input.schema.propertyKeys, ...input.schema.rowKeys],
    parameters,
  };
}

function lint(stmt) {
  const { diagnostics } = lintCypherQuery(stmt.query, dbSchema(stmt.params));
  return diagnostics.map((d) => {
    const line = stmt.query.slice(0, d.offsets.start).split('\n').length;
    const kind = d.severity === 1 ? 'error' : 'warning';
    return `${stmt.file} ${stmt.key} line ${line}: ${kind}: ${d.message}`;
  });
}

if (process.argv.includes('--self-test')) {
  const find = (pred) => input.statements.find(pred);
  const cases = [
    ['misspelled label', find((s) => s.query.includes('MATCH (n:Company)')), (q) => q.replace('MATCH (n:Company)', 'MATCH (n:Compnay)')],
    ['misspelled relationship type', find((s) => s.key === 'supply.read'), (q) => q.replace('[r:SUPPLIES]', '[r:SUPPLY]')],
    ['misspelled property key', find((s) => s.key === 'company.read'), (q) => q.replace('n.revenue_wan', 'n.revenue')],
    ['undeclared parameter', find((s) => s.query.includes('$rows')), (q) => q.replace('$rows', '$rowz')],
  ];
  let failed = false;
  for (const [name, stmt, mutate] of cases) {
    if (!stmt) { console.error(`self-test: no statement to mutate for ${name}`); failed = true; continue; }
    if (lint(stmt).length !== 0) { console.error(`self-test: ${stmt.key} is not clean to begin with`); failed = true; continue; }
    const problems = lint({ ...stmt, query: mutate(stmt.query) });
    if (problems.length === 0) { console.error(`self-test: a ${name} in ${stmt.key} was NOT reported`); failed = true; }
    else console.log(`self-test: ${name} reported: ${problems[0]}`);
  }
  process.exit(failed ? 1 : 0);
}

let count = 0;
const problems = [];
for (const stmt of input.statements) {
  problems.push(...lint(stmt));
  count++;
}
for (const p of problems) console.error(p);
console.log(`cypher lint: ${count} statements, ${problems.length} problem(s)`);
process.exit(problems.length === 0 && count > 0 ? 0 : 1);
