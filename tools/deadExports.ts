/**
 * Exports of lib/ that nothing uses: an exported symbol that no other file of lib/, test/, bench/ or
 * tools/ imports and that lib/index.ts (the package's public API) does not expose. Each is either an
 * `export` keyword too many (used only in its own file) or dead code. A check run by hand:
 *
 *   node --import tsx tools/deadExports.ts          (lists them; exit 1 when there are any)
 *
 * Namespace imports (`import * as x`) and `import()` of a file count as using all its exports.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    if (n === 'node_modules' || n === 'fixtures' || n.startsWith('.')) return [];
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|mts)$/.test(n) && !n.endsWith('.d.ts') ? [p] : [];
  });
const files = ['lib', 'test', 'bench', 'tools'].flatMap((d) => walk(join(root, d)));
const program = ts.createProgram(files, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  allowJs: false,
  noEmit: true,
});
const checker = program.getTypeChecker();

/** The declared symbol behind an alias (import/export specifier). */
const original = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const used = new Set<ts.Symbol>();
const wholeModules = new Set<string>();

for (const sf of program.getSourceFiles()) {
  if (!files.includes(sf.fileName)) continue;
  const visit = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isImportClause(node)) {
      const name = ts.isImportClause(node) ? node.name : node.name;
      if (name) {
        const s = checker.getSymbolAtLocation(name);
        if (s) used.add(original(s));
      }
    }
    if (ts.isNamespaceImport(node) || (ts.isExportDeclaration(node) && !node.exportClause && node.moduleSpecifier)) {
      const decl = ts.isNamespaceImport(node) ? node.parent.parent : node;
      const spec = (decl as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
      const target = spec && checker.getSymbolAtLocation(spec);
      // `export *` re-exports are followed through getExportsOfModule below, not counted as uses
      if (target && ts.isNamespaceImport(node)) for (const e of checker.getExportsOfModule(target)) used.add(original(e));
    }
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      const target = checker.getSymbolAtLocation(node.arguments[0]);
      if (target) for (const e of checker.getExportsOfModule(target)) used.add(original(e));
      else wholeModules.add(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

// The public API: everything lib/index.ts exposes, through its `export *` chains.
const index = program.getSourceFile(join(root, 'lib', 'index.ts'))!;
const publicApi = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map(original));

const dead: string[] = [];
for (const sf of program.getSourceFiles()) {
  if (!sf.fileName.startsWith(join(root, 'lib') + '/') || sf.fileName.endsWith('/index.ts')) continue;
  const mod = checker.getSymbolAtLocation(sf);
  if (!mod) continue;
  for (const e of checker.getExportsOfModule(mod)) {
    const s = original(e);
    if (used.has(s) || publicApi.has(s)) continue;
    const decl = s.declarations?.[0];
    if (!decl || decl.getSourceFile() !== sf) continue; // a re-export: judged at its own file
    const line = sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
    dead.push(`${relative(root, sf.fileName)}:${line}  ${e.name}`);
  }
}
for (const d of dead.sort()) console.log(d);
if (wholeModules.size > 0) console.error(`(import() of unresolved modules: ${[...wholeModules].join(', ')})`);
console.error(`${dead.length} export(s) nothing imports and lib/index.ts does not expose`);
process.exitCode = dead.length > 0 ? 1 : 0;
