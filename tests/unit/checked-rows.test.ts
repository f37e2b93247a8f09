import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Rows read from the database are checked (server/db/rows.ts), never cast: a cast claims a shape
 * nothing verified. With the type checker, this finds in every server module a type assertion on
 * what a better-sqlite3 statement's get/all/iterate returned, and a statement prepared with a
 * claimed result type.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READS = new Set(['get', 'all', 'iterate']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function strip(node: ts.Expression): ts.Expression {
  let e = node;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function program(files: string[]): ts.Program {
  const configFile = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  return ts.createProgram(files, options);
}

function uncheckedReads(prog: ts.Program, files: string[]): string[] {
  const checker = prog.getTypeChecker();
  const isStatement = (e: ts.Expression) => {
    const symbol = checker.getTypeAtLocation(e).getSymbol();
    return symbol?.getName() === 'Statement' && (symbol.declarations ?? []).some((d) => d.getSourceFile().fileName.includes('better-sqlite3'));
  };
  // PostgreSQL (node-postgres): rows come as `result.rows`, typed `any` unless claimed.
  const isPgResult = (e: ts.Expression) => {
    const symbol = checker.getTypeAtLocation(e).getSymbol();
    return symbol?.getName() === 'QueryResult' && (symbol.declarations ?? []).some((d) => /[\\/]@types[\\/]pg[\\/]/.test(d.getSourceFile().fileName));
  };
  const isPgQuery = (call: ts.CallExpression) =>
    /[\\/]@types[\\/]pg[\\/]/.test(checker.getResolvedSignature(call)?.getDeclaration()?.getSourceFile().fileName ?? '');
  const found: string[] = [];
  for (const file of files) {
    const source = prog.getSourceFile(file);
    if (!source) throw new Error(`${file} is not in the program`);
    const where = (node: ts.Node) => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node) => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
        const e = strip(node.expression);
        if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && READS.has(e.expression.name.text) && isStatement(e.expression.expression)) {
          found.push(`${where(node)} casts a row read`);
        }
        // `result.rows as …`, `result.rows[0] as …`
        let rows = e;
        while (ts.isElementAccessExpression(rows)) rows = strip(rows.expression);
        if (ts.isPropertyAccessExpression(rows) && rows.name.text === 'rows' && isPgResult(rows.expression)) {
          found.push(`${where(node)} casts a row read`);
        }
      }
      if (ts.isCallExpression(node) && node.typeArguments && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'query' && isPgQuery(node)) {
        found.push(`${where(node)} queries with a claimed row type`);
      }
      if (ts.isCallExpression(node) && node.typeArguments && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'prepare') {
        found.push(`${where(node)} prepares a statement with a claimed row type`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('rows read from the database', () => {
  it('are checked, never cast', () => {
    const files = sources(join(ROOT, 'server'));
    expect(uncheckedReads(program(files), files)).toEqual([]);
  }, 120_000);

  it('the check finds a cast read, however it is written', () => {
    const sample = join(ROOT, 'tests', 'fixtures', 'unchecked-rows.ts');
    expect(uncheckedReads(program([sample]), [sample]).map((f) => f.replace(/^.*:/, ''))).toEqual([
      '8 casts a row read',
      '9 casts a row read',
      '10 casts a row read',
      '11 prepares a statement with a claimed row type',
    ]);
    const pgSample = join(ROOT, 'tests', 'fixtures', 'unchecked-pg-rows.ts');
    expect(uncheckedReads(program([pgSample]), [pgSample]).map((f) => f.replace(/^.*:/, ''))).toEqual([
      '8 casts a row read',
      '9 casts a row read',
      '10 casts a row read',
      '11 queries with a claimed row type',
    ]);
  }, 120_000);
});
