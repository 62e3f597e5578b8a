// Module hooks for tests that check what a process loads (src/services/cli/startup.test.ts): every resolved
// module URL is appended, one per line, to the file named by $CLIENTELE_MODULE_LOG. Registered with
// `node --import tsx --import ./test/support/module-log.mjs …`.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.CLIENTELE_MODULE_LOG) appendFileSync(process.env.CLIENTELE_MODULE_LOG, `${result.url}\n`);
  return result;
}
