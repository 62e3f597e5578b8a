import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Enforces the layer rules of STYLE.md §3 by reading every import in src/.
 * A violation names the file, the import and the rule it breaks.
 */

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g))
    found.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

function layerOf(rel: string): string {
  const [top, second, third] = rel.split('/');
  if (top === 'analytics') {
    if (second === 'shared') return 'analytics/shared';
    if (second === 'module.ts') return 'analytics/module';
    // analytics/<m>/models/ holds a module's pure model maths: the same rules as core.ts.
    if (third === 'core.ts' || third === 'models') return 'analytics/core';
    return 'analytics/module';
  }
  return (top ?? '').replace(/\.ts$/, '');
}

const NODE_BUILTIN = /^node:/;

function violation(fromRel: string, target: string): string | null {
  const from = layerOf(fromRel);
  if (!target.startsWith('.')) {
    if (from === 'analytics/core' && NODE_BUILTIN.test(target))
      return 'analytics core must not use Node built-ins';
    return null;
  }
  const toRel = relative(SRC, join(SRC, fromRel, '..', target)).replace(/\.js$/, '.ts');
  const to = layerOf(toRel);
  const toTop = toRel.split('/')[0];
  const allowed: Record<string, (t: string) => boolean> = {
    errors: () => false,
    store: (t) => t === 'store' || t === 'errors',
    ingest: (t) => ['ingest', 'store', 'errors'].includes(t),
    // The demo generator draws from the project's seeded RNG and distributions (pure, no engine).
    demo: (t) => ['demo', 'ingest', 'store', 'errors', 'analytics/shared'].includes(t),
    'analytics/shared': (t) => ['analytics/shared', 'errors'].includes(t),
    // A pure file may use sibling files of its own module; that they stay pure is checked transitively below.
    'analytics/core': (t) => ['analytics/shared', 'errors', 'analytics/core', 'analytics/module'].includes(t),
    'analytics/module': (t) =>
      ['analytics/shared', 'analytics/core', 'analytics/module', 'store', 'errors'].includes(t),
    services: () => true,
    index: () => true,
  };
  const rule = allowed[from];
  if (rule && !rule(to)) return `${from} must not import ${to}`;
  // A module reaches another analytics module only through its index.ts.
  if (
    from.startsWith('analytics/') &&
    to.startsWith('analytics/') &&
    to !== 'analytics/shared' &&
    toRel !== 'analytics/module.ts' // the module contract every module implements
  ) {
    const fromModule = fromRel.split('/')[1];
    const toModule = toRel.split('/')[1];
    if (fromModule !== toModule && !toRel.endsWith('/index.ts'))
      return `analytics/${fromModule} imports analytics/${toModule} internals`;
  }
  // A service never imports another service.
  if (from === 'services' && toTop === 'services') {
    const fromService = fromRel.split('/')[1];
    const toService = toRel.split('/')[1];
    if (fromService !== toService && !toRel.endsWith(`services/${toService}/index.ts`))
      return `services/${fromService} imports services/${toService} internals (use its index.ts)`;
  }
  return null;
}

describe('layer rules (STYLE.md §3)', () => {
  it('no source file imports upward or across modules', () => {
    const problems: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const rel = relative(SRC, file);
      for (const target of importsOf(file)) {
        const why = violation(rel, target);
        if (why) problems.push(`${rel} → ${target}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps pure analytics files pure: nothing they reach, directly or not, touches store, I/O or services', () => {
    const files = sourceFiles(SRC).map((f) => relative(SRC, f));
    const problems: string[] = [];
    for (const start of files.filter((f) => layerOf(f) === 'analytics/core')) {
      const seen = new Set<string>([start]);
      const queue = [start];
      while (queue.length) {
        const rel = queue.pop()!;
        for (const target of importsOf(join(SRC, rel))) {
          if (!target.startsWith('.')) {
            if (NODE_BUILTIN.test(target))
              problems.push(`${start} reaches ${rel} → ${target} (Node built-in)`);
            continue;
          }
          const toRel = relative(SRC, join(SRC, rel, '..', target)).replace(/\.js$/, '.ts');
          const top = toRel.split('/')[0];
          if (top === 'store' || top === 'ingest' || top === 'services')
            problems.push(`${start} reaches ${rel} → ${toRel}`);
          else if (!seen.has(toRel) && files.includes(toRel)) {
            seen.add(toRel);
            queue.push(toRel);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('detects a violation (the checker itself works)', () => {
    expect(violation('store/engine.ts', '../analytics/rfm/index.js')).toMatch(/store must not import/);
    expect(violation('analytics/rfm/core.ts', 'node:fs')).toMatch(/Node built-ins/);
    expect(violation('analytics/rfm/core.ts', '../../store/index.js')).toMatch(/must not import store/);
    expect(violation('analytics/clv/index.ts', '../rfm/core.js')).toMatch(/internals/);
    expect(violation('analytics/clv/index.ts', '../rfm/index.js')).toBeNull();
    expect(violation('demo/generate.ts', '../analytics/shared/rng.js')).toBeNull();
    expect(violation('demo/generate.ts', '../analytics/clv/index.js')).toMatch(/demo must not import/);
    expect(violation('demo/generate.ts', '../services/cli/main.js')).toMatch(/demo must not import/);
    expect(violation('demo/generate.ts', '../store/index.js')).toBeNull();
    expect(violation('services/cli/commands/serve.ts', '../../http/app.js')).toMatch(/internals/);
    expect(violation('services/cli/commands/serve.ts', '../../http/index.js')).toBeNull();
  });

  it('web/ reaches src/ only for the shared API types, and only with `import type`', () => {
    // The dashboard is bundled for the browser: a value import from src/ would pull server code (DuckDB, node:*)
    // into it. The response types in services/http/types.ts are what keeps the pages and the routes in step, so
    // that file is the one door, and it imports nothing itself (web's type check must not follow it into src/).
    const WEB = join(import.meta.dirname, '..', 'web', 'src');
    const webFiles = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return webFiles(path);
        return /\.tsx?$/.test(name) ? [path] : [];
      });
    const problems: string[] = [];
    for (const file of webFiles(WEB)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        const target = m[3]!;
        if (!target.startsWith('.')) continue;
        const toRel = relative(SRC, join(file, '..', target)).replace(/\.js$/, '.ts');
        if (toRel.startsWith('..')) continue; // inside web/
        const where = `web/${relative(WEB, file)} → ${target}`;
        if (toRel !== 'services/http/types.ts') problems.push(`${where}: only services/http/types.ts`);
        else if (!m[2]) problems.push(`${where}: use \`import type\``);
      }
    }
    expect(problems).toEqual([]);
    expect(importsOf(join(SRC, 'services', 'http', 'types.ts'))).toEqual([]);
  });

  it('analytics modules import each other without a cycle (static value imports)', () => {
    // A cycle between modules makes one read another's binding before it is initialised, but only in the
    // load order of a real process (vitest's runner orders loads differently): `clientele demo` once stopped
    // on "Cannot access 'RFM_TABLE' before initialization". Break a cycle with `import type` or an `import()`
    // on use.
    const moduleOf = (rel: string): string | null => {
      const [top, name] = rel.split('/');
      return top === 'analytics' && name !== undefined && !name.endsWith('.ts') ? name : null;
    };
    const edges = new Map<string, Map<string, string>>();
    for (const file of sourceFiles(SRC)) {
      const from = moduleOf(relative(SRC, file));
      if (from === null) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        if (m[2] || !m[3]!.startsWith('.')) continue;
        const to = moduleOf(relative(SRC, join(file, '..', m[3]!)));
        if (to === null || to === from) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        edges.get(from)!.set(to, relative(SRC, file));
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, path: string[]): void => {
      state.set(node, 'open');
      for (const [next, via] of edges.get(node) ?? []) {
        const step = [...path, `${node} → ${next} (${via})`];
        if (state.get(next) === 'open')
          cycles.push(step.slice(path.findIndex((p) => p.startsWith(`${next} →`))).join(', '));
        else if (!state.has(next)) visit(next, step);
      }
      state.set(node, 'done');
    };
    for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('src/index.ts has only named exports (no export *, no default)', () => {
    const text = readFileSync(join(SRC, 'index.ts'), 'utf8');
    expect(text).not.toMatch(/export \*/);
    expect(text).not.toMatch(/export default/);
  });
});
