/**
 * The imports between lib/'s stages, measured (docs/ARCHITECTURE.md pastes the table this prints), and
 * the rules they must keep: every stage imports only stages below it in LAYERS (nothing imports upward,
 * so there is no circle between stages), and no circle between files either, type-only imports included.
 *
 *   node --import tsx tools/checkImports.ts      (prints the table; exit 1 and the offending imports when a rule breaks)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** lib/'s stages from the bottom up: a stage may import the ones before it, never one after it. */
const LAYERS = [
  'util',
  'runtime',
  'onnx',
  'checkpoint',
  'audio',
  'datasets',
  'models',
  'features',
  'baselines',
  'results',
  'probe',
  'fusion',
  'analysis',
  'report',
  'notebook',
  'experiment',
  'doctor',
  'cli',
];

const root = resolve(import.meta.dirname, '..');
const lib = join(root, 'lib');
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : n.endsWith('.ts') ? [p] : [];
  });
const files = walk(lib);
const stageOf = (file: string) => relative(lib, file).split('/')[0].replace(/\.ts$/, '');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Every relative import of `file`: static imports, `export ... from`, and import() of a literal path. */
function importsOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: Edge[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const to = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (existsSync(to)) out.push({ from: file, to, typeOnly });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(n.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const named = n.exportClause && ts.isNamedExports(n.exportClause) ? n.exportClause.elements : undefined;
      add(n.moduleSpecifier.text, n.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    ) {
      add(n.arguments[0].text, false);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const edges = files.flatMap(importsOf);
const problems: string[] = [];

// 1. the stage table, and imports of a stage above
const table = new Map<string, { code: Set<string>; types: Set<string> }>();
for (const s of LAYERS) table.set(s, { code: new Set(), types: new Set() });
for (const e of edges) {
  const [a, b] = [stageOf(e.from), stageOf(e.to)];
  if (a === b || a === 'index' || !table.has(a)) continue;
  if (!LAYERS.includes(b)) {
    problems.push(`${relative(root, e.from)} imports ${relative(root, e.to)}, which is in no stage`);
    continue;
  }
  table.get(a)![e.typeOnly ? 'types' : 'code'].add(b);
  if (LAYERS.indexOf(b) > LAYERS.indexOf(a))
    problems.push(`${relative(root, e.from)} imports ${relative(root, e.to)}: ${a} sits below ${b}`);
}
for (const s of table.keys()) if (!existsSync(join(lib, s))) problems.push(`LAYERS names ${s}, which lib/ does not have`);
for (const d of readdirSync(lib))
  if (statSync(join(lib, d)).isDirectory() && !LAYERS.includes(d)) problems.push(`lib/${d} is not in LAYERS`);

// 2. circles between files (Tarjan's strongly connected components)
const next = new Map<string, string[]>(files.map((f) => [f, []]));
for (const e of edges) next.get(e.from)!.push(e.to);
let counter = 0;
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const circles: string[][] = [];
function connect(v: string): void {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of next.get(v)!) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
  }
  if (low.get(v) === index.get(v)) {
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1 || next.get(v)!.includes(v)) circles.push(part);
  }
}
for (const f of files) if (!index.has(f)) connect(f);
for (const c of circles)
  problems.push(
    `import circle: ${c
      .map((f) => relative(root, f))
      .sort()
      .join(' <-> ')}`,
  );

console.log('| stage | imports (code) | imports (types only) |');
console.log('|---|---|---|');
for (const [s, t] of table) {
  const types = [...t.types].filter((x) => !t.code.has(x));
  console.log(`| ${s} | ${[...t.code].sort().join(', ') || '-'} | ${types.sort().join(', ') || '-'} |`);
}
console.log(`\n${edges.length} imports between ${files.length} files; ${circles.length} circle(s)`);
for (const p of problems) console.error(p);
process.exitCode = problems.length > 0 ? 1 : 0;
