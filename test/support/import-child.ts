/**
 * Child process for the kill test (src/ingest/load/kill.test.ts): imports a file into a datamart and,
 * at the named load step, prints PAUSED and waits inside the open transaction until it is killed.
 * Usage: node --import tsx test/support/import-child.ts DB FILE TARGET STEP
 */
import { importSource } from '../../src/ingest/index.js';
import { openDatamart } from '../../src/store/index.js';

const [db, file, target, pauseAt] = process.argv.slice(2);
const engine = await openDatamart({ db });
await importSource(
  engine,
  { path: file!, target: target as 'order_lines' },
  {
    afterStep: async (step) => {
      if (step !== pauseAt) return;
      process.stdout.write(`PAUSED ${step}\n`);
      await new Promise(() => setInterval(() => undefined, 1000));
    },
  },
);
process.stdout.write('FINISHED\n');
await engine.close();
