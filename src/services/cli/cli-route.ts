/**
 * `POST /api/cli`: the server side of the CLI hand-off (server-handoff.ts has the why). Loaded by
 * `clientele serve` only, so other commands never load zod or the HTTP types.
 */
import { z } from 'zod';
import { InputError } from '../../errors.js';
import type { Engine } from '../../store/index.js';
import type { AnyRoute } from '../http/index.js';
import type { CliEvent } from './server-handoff.js';

/** Runs one CLI command in this process on the given engine (`runCli` with its datamart injected). */
export type RunOnEngine = (
  argv: readonly string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
  engine: Engine,
) => Promise<{ exitCode: number }>;

const cliBody = z.object({
  argv: z.array(z.string()).min(1).max(10_000),
  cwd: z.string().min(1),
  lang: z.string().nullable().optional(),
});

/**
 * `POST /api/cli` (admin): runs a CLI command on a session of the server's engine and streams its
 * output as NDJSON (`{out}`, `{err}`, a `{ping}` every 15 s, then `{exitCode}`). Commands run one at a
 * time, each in the caller's working folder, so relative paths mean what they meant to the caller.
 */
export function cliRoute(root: Engine, run: RunOnEngine): AnyRoute {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    method: 'post',
    path: '/api/cli',
    summary: 'Run a clientele CLI command on this datamart (used by the CLI while the server holds it)',
    tag: 'system',
    role: 'admin',
    body: cliBody,
    async handler({ body, caller, audit }) {
      const { argv, cwd, lang } = body as z.infer<typeof cliBody>;
      if (argv[0] === 'serve')
        throw new InputError(
          'clientele serve: this datamart is already being served here; stop this server first.',
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      await audit.record(caller, 'cli.run', '/api/cli', { argv });
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const send = (e: CliEvent) => controller.enqueue(encoder.encode(`${JSON.stringify(e)}\n`));
          const ping = setInterval(() => send({ ping: true }), 15_000);
          const work = queue.then(async () => {
            // The SQL console reads the file through a read-only instance of its own (store/sandbox.ts),
            // which sees the datamart as of its last checkpoint: write what is committed to the file first
            // (best effort: a checkpoint waits for no one and fails while another write is running).
            await root.exec('CHECKPOINT').catch(() => undefined);
            const session = root.session ? await root.session() : root;
            const before = process.cwd();
            const langBefore = process.env.CLIENTELE_LANG;
            try {
              process.chdir(cwd);
              if (lang) process.env.CLIENTELE_LANG = lang;
              else delete process.env.CLIENTELE_LANG;
              const { exitCode } = await run(
                argv,
                { stdout: (s) => send({ out: s }), stderr: (s) => send({ err: s }) },
                session,
              );
              send({ exitCode });
            } catch (error) {
              send({ err: `clientele: ${(error as Error).message}\n` });
              send({ exitCode: 1 });
            } finally {
              process.chdir(before);
              if (langBefore === undefined) delete process.env.CLIENTELE_LANG;
              else process.env.CLIENTELE_LANG = langBefore;
              if (session !== root) await session.close();
              clearInterval(ping);
              controller.close();
            }
          });
          queue = work.catch(() => undefined);
        },
      });
      return new Response(stream, { headers: { 'content-type': 'application/x-ndjson' } });
    },
  };
}
