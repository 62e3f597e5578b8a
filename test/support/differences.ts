// Deep comparison for the suites that check that two engines (or a cluster and one server) give the same answers.

/** Deep equality with numbers equal within `rel` (relative, absolute below 1). */
export function differences(a: unknown, b: unknown, rel: number, path = '', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const same = Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= rel * Math.max(1, Math.abs(a));
    if (!same) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} vs ${b.length} items`);
    else for (let i = 0; i < a.length; i++) differences(a[i], b[i], rel, `${path}[${i}]`, out);
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        rel,
        `${path}.${k}`,
        out,
      );
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}
