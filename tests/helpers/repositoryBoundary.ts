import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * Finds code that reads a path outside the repository. A clone on its own must install, run and
 * pass its tests, so nothing in it may reach a sibling folder (the project's working data lives
 * beside the repository on its own machines, never on a stranger's).
 *
 * TypeScript and JavaScript are read as syntax trees: module specifiers, and path expressions built
 * from the file's own location (`import.meta.url`, `__dirname`, `process.cwd()`, consts holding
 * such paths, `join`, `resolve`, `dirname`, `new URL(…, import.meta.url)`, templates and `+`), are
 * evaluated and must stay under the root. Any other string that starts with `../` is resolved from
 * the root (where every command runs) and from the file's folder, and must stay under one of them.
 * Shell scripts and package.json scripts are checked for `../` paths from their folder. Every file,
 * whatever its kind, must not name the folder the repository sits in.
 *
 * A line that only names such a path, reading nothing, says so with a comment containing
 * `reads nothing outside` and is passed over.
 */
export interface Escape {
  file: string;
  line: number;
  path: string;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', 'test-output', '.git', 'bench/results']);
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Calls that open, list, copy or serve a path: fs, child processes, Playwright's file inputs, Express. */
const OPENS_FILES =
  /^(readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|existsSync|statSync|stat|readdir|readdirSync|copyFile|copyFileSync|cp|cpSync|open|openSync|opendir|access|accessSync|mkdirSync|rmSync|execFile|execFileSync|spawn|fork|setInputFiles|static|sendFile|Worker)$/;

/** The files the rule covers: source, tests, benchmarks, configuration and scripts. */
export function repositoryFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      if (SKIP_DIRS.has(name) || SKIP_DIRS.has(rel)) return [];
      if (statSync(path).isDirectory()) return walk(path);
      return CODE.test(name) || name === 'package.json' || name.endsWith('.sh') || rel === '.ci/run' ? [path] : [];
    });
  return walk(root);
}

/** Every place in `files` (absolute paths, with their text) that reaches outside `root`. */
export function findEscapes(root: string, files: { path: string; text: string }[]): Escape[] {
  const base = resolve(root);
  const inside = (p: string) => p === base || p.startsWith(base + sep);
  // A repository at the top of the disk has no folder around it to name.
  const parent = dirname(base) === base ? null : dirname(base).replace(/[\\/]$/, '') + sep;
  const escapes: Escape[] = [];
  for (const { path, text } of files) {
    const rel = relative(base, path).split(sep).join('/');
    const report = (offset: number, p: string) =>
      escapes.push({ file: rel, line: text.slice(0, offset).split('\n').length, path: p });

    // The folder the repository sits in, named outright (e.g. an absolute path to a sibling).
    for (const m of parent ? text.matchAll(new RegExp(escapeRegExp(parent), 'g')) : []) {
      const rest = text.slice(m.index! + parent!.length).match(/^[^\s'"`]*/)![0];
      if (!inside(join(parent!, rest))) report(m.index!, parent + rest);
    }

    if (CODE.test(path)) {
      for (const e of escapesInCode(path, text, base, inside)) report(e.offset, e.path);
    } else {
      // Scripts run at the root (package.json scripts, and .ci/run changes to it first).
      for (const m of text.matchAll(/(?:^|[\s'"=(:])((?:\.\.\/)+[^\s'"`;)]*)/g)) {
        if (!inside(resolve(base, m[1]!))) report(m.index!, m[1]!);
      }
    }
  }
  // One line, one finding: `new URL('../x', import.meta.url)` is both a literal and a URL.
  return escapes.filter(
    (e, i) =>
      escapes.findIndex((o) => o.file === e.file && o.line === e.line) === i &&
      !/reads nothing outside/.test(files.find((f) => relative(base, f.path).split(sep).join('/') === e.file)!.text.split('\n')[e.line - 1]!),
  );
}

type Value = { path: string; anchored: boolean } | { url: URL } | { text: string } | null;

function escapesInCode(file: string, text: string, root: string, inside: (p: string) => boolean) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const here = dirname(file);
  const consts = new Map<string, ts.Expression[]>();
  const found: { offset: number; path: string }[] = [];
  const reported = new Set<number>();

  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      consts.set(node.name.text, [...(consts.get(node.name.text) ?? []), node.initializer]);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);

  const asPath = (v: Value): string | null =>
    v === null ? null : 'path' in v ? v.path : 'url' in v ? (v.url.protocol === 'file:' ? fileURLToPath(v.url) : null) : v.text;
  const anchoredIn = (v: Value) => v !== null && (('path' in v && v.anchored) || 'url' in v);

  const evaluate = (node: ts.Expression, depth = 0): Value => {
    if (depth > 20) return null;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return evaluate(node.expression, depth + 1);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return { text: node.text };
    if (ts.isTemplateExpression(node)) {
      let out = node.head.text;
      let anchored = false;
      for (const span of node.templateSpans) {
        const v = evaluate(span.expression, depth + 1);
        const p = asPath(v);
        if (p === null) return null;
        anchored ||= anchoredIn(v);
        out += p + span.literal.text;
      }
      return anchored ? { path: resolve(out), anchored } : { text: out };
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = evaluate(node.left, depth + 1);
      const r = evaluate(node.right, depth + 1);
      const lp = asPath(l);
      const rp = asPath(r);
      if (lp === null || rp === null) return null;
      return anchoredIn(l) || anchoredIn(r) ? { path: resolve(lp + rp), anchored: true } : { text: lp + rp };
    }
    if (ts.isMetaProperty(node)) return null;
    if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === 'url') {
      return { url: pathToFileURL(file) };
    }
    if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.name.text === 'dirname') {
      return { path: here, anchored: true };
    }
    if (ts.isIdentifier(node)) {
      if (node.text === '__dirname') return { path: here, anchored: true };
      if (node.text === '__filename') return { path: file, anchored: true };
      const inits = consts.get(node.text);
      return inits?.length === 1 ? evaluate(inits[0]!, depth + 1) : null;
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2) {
      const rel = evaluate(node.arguments[0]!, depth + 1);
      const baseUrl = evaluate(node.arguments[1]!, depth + 1);
      if (rel && 'text' in rel && baseUrl && 'url' in baseUrl) return { url: new URL(rel.text, baseUrl.url) };
      return null;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      // `path.join`, `join`, `resolve`; not `[].join` or `Promise.resolve`.
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && /^(path|process)$/.test(callee.expression.text)
          ? callee.name.text
          : '';
      if (name === 'cwd' && node.arguments.length === 0) return { path: root, anchored: true };
      const args = node.arguments.map((a) => evaluate(a, depth + 1));
      if (name === 'fileURLToPath' && args[0] && 'url' in args[0]) return { path: fileURLToPath(args[0].url), anchored: true };
      if (name === 'dirname' && args[0] && 'path' in args[0]) return { path: dirname(args[0].path), anchored: args[0].anchored };
      if (name === 'join' || name === 'resolve') {
        const parts = args.map(asPath);
        if (parts.length === 0 || parts.some((p) => p === null)) return null;
        const anchored = args.some(anchoredIn);
        if (!anchored && !isAbsolute(parts[0]!)) return { text: join(...(parts as string[])) };
        return { path: (name === 'join' ? join : resolve)(...(parts as string[])), anchored: anchored || isAbsolute(parts[0]!) };
      }
    }
    return null;
  };

  const check = (node: ts.Node) => {
    const offset = node.getStart(source);
    const flag = (p: string) => {
      if (reported.has(offset)) return;
      reported.add(offset);
      found.push({ offset, path: p });
    };
    // Module specifiers resolve from the file's folder.
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.') && !inside(resolve(here, spec))) flag(spec);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      const spec = node.arguments[0].text;
      if (spec.startsWith('.') && !inside(resolve(here, spec))) flag(spec);
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTemplateExpression(node) || ts.isBinaryExpression(node)) {
      const v = evaluate(node as ts.Expression);
      if (v !== null && 'path' in v && v.anchored && !inside(v.path)) flag(v.path);
      if (v !== null && 'url' in v && v.url.protocol === 'file:' && !inside(fileURLToPath(v.url))) flag(fileURLToPath(v.url));
    }
    // A relative path handed to something that opens files resolves from the working folder,
    // which is the root. (Other strings such as '../../etc/passwd' in a hostile-input test are data.)
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (OPENS_FILES.test(name)) {
        for (const arg of node.arguments) {
          const v = evaluate(arg);
          if (v !== null && 'text' in v && v.text.startsWith('..') && !inside(resolve(root, v.text))) flag(v.text);
        }
      }
    }
    ts.forEachChild(node, check);
  };
  check(source);
  return found;
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
