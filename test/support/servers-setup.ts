/**
 * Vitest globalSetup: starts the private PostgreSQL and MariaDB servers once per test run, in parallel,
 * hands their URLs to the test workers (`inject('servers')`) and stops them when the run ends.
 * A server that cannot start is reported to the tests that need it (they fail with the reason); the
 * rest of the suite still runs.
 */
import type { TestProject } from 'vitest/node';
import { type RunningServer, type ServerInfo, startMariaDb, startPostgres } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: { postgres: ServerInfo; mysql: ServerInfo };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningServer[] = [];
  const attempt = async (start: () => Promise<RunningServer>): Promise<ServerInfo> => {
    try {
      const server = await start();
      started.push(server);
      return { url: server.url };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const [postgres, mysql] = await Promise.all([attempt(startPostgres), attempt(startMariaDb)]);
  project.provide('servers', { postgres, mysql });
  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).map((s) => s.stop()));
  };
  // A run interrupted with Ctrl-C still stops the servers.
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  return stopAll;
}
