/**
 * Private, throw-away database servers for the connector tests: Debian's PostgreSQL 15 and MariaDB, each
 * with its data directory in a fresh temp folder, listening on a free loopback port, started once per test
 * run (vitest globalSetup, see `servers-setup.ts`) and stopped at the end with nothing left behind.
 *
 * A missing server binary is not a reason to skip: the tests that need the server fail with a message that
 * names the apt package to install.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the test workers receive: a connection URL per server, or why it could not be started. */
export interface ServerInfo {
  /** Connection URL of a superuser-like account (password auth over TCP on 127.0.0.1). */
  url?: string;
  /** Set when the server could not be started: what failed and what to do. */
  error?: string;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** Password of the test accounts; the servers listen on loopback only and live for one test run. */
export const TEST_PASSWORD = 'clientele-test';

const PG_BIN = process.env.CLIENTELE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

const isRoot = process.getuid?.() === 0;

/** A free TCP port on 127.0.0.1 (the OS picks it; the tiny race before the server binds is acceptable). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops servers left behind by a test run that was killed before its teardown (SIGKILL, a timeout):
 * every server folder records the test run's pid in `owner.pid`; a folder whose owner is gone is stopped
 * and removed. Folders of runs still going (other worktrees, parallel runs) are left alone.
 */
async function reapOrphans(prefix: string, stop: (base: string) => Promise<void>): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    const base = join(tmpdir(), name);
    const ownerFile = join(base, 'owner.pid');
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    try {
      await stop(base);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }
}

/** A temp folder the server's system user can write (as root, servers run as `postgres` / `mysql`). */
function serverFolder(prefix: string, user: string): string {
  const base = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(base, 'owner.pid'), String(process.pid));
  // mkdtemp makes 0700 folders; the server user must be able to enter its own folder.
  chmodSync(base, 0o755);
  if (isRoot) {
    const { uid, gid } = userIds(user);
    chownSync(base, uid, gid);
  }
  return base;
}

function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`system user "${user}" does not exist`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a server tool, as `user` when we are root (PostgreSQL refuses to run as root). */
async function runAs(user: string, file: string, args: string[]): Promise<string> {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', user, '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await run(cmd, argv, { timeout: 60_000 });
    return stdout;
  } catch (cause) {
    const e = cause as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`, { cause });
  }
}

function missing(binary: string, aptPackage: string): string {
  return (
    `${binary} was not found. The connector tests need a real server: install it with ` +
    `\`sudo apt-get install -y ${aptPackage}\` (or run .ci/run, which installs it).`
  );
}

/**
 * Starts a private PostgreSQL 15: initdb in a temp folder, password auth on TCP, socket in the same folder.
 * Takes about 1.2 s.
 */
export async function startPostgres(): Promise<RunningServer> {
  const initdb = join(PG_BIN, 'initdb');
  const pgCtl = join(PG_BIN, 'pg_ctl');
  if (!existsSync(initdb)) throw new Error(missing(initdb, 'postgresql-15'));
  await reapOrphans('clientele-pg-', async (base) => {
    if (existsSync(join(base, 'data', 'postmaster.pid')))
      await runAs('postgres', pgCtl, ['-D', join(base, 'data'), '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
  });
  const base = serverFolder('clientele-pg-', 'postgres');
  const data = join(base, 'data');
  const pwFile = join(base, 'pw');
  writeFileSync(pwFile, TEST_PASSWORD);
  if (isRoot) chownSync(pwFile, userIds('postgres').uid, userIds('postgres').gid);
  const port = await freePort();
  const user = 'postgres';
  try {
    await runAs('postgres', initdb, [
      '-D',
      data,
      '-U',
      user,
      '--pwfile',
      pwFile,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    await runAs('postgres', pgCtl, [
      '-D',
      data,
      '-l',
      join(base, 'server.log'),
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${base} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (error) {
    const log = join(base, 'server.log');
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`Could not start PostgreSQL: ${(error as Error).message}${detail}`, { cause: error });
  }
  return {
    url: `postgres://${user}:${TEST_PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        await runAs('postgres', pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

function which(names: string[]): string | null {
  const dirs = [
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
    ...(process.env.PATH ?? '').split(':'),
  ];
  for (const name of names)
    for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/**
 * Starts a private MariaDB: `mariadb-install-db` into a temp folder, then `mariadbd --no-defaults` on a
 * loopback port. Creates the account `clientele` (password auth over TCP, all privileges). About 2 s.
 */
export async function startMariaDb(): Promise<RunningServer> {
  const server = which(['mariadbd', 'mysqld']);
  const installDb = which(['mariadb-install-db', 'mysql_install_db']);
  if (!server || !installDb) throw new Error(missing('mariadbd', 'mariadb-server'));
  await reapOrphans('clientele-maria-', async (base) => {
    const pidFile = join(base, 'mysqld.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN;
    // Only a process that really is this folder's server (pids get reused).
    const cmdline =
      Number.isInteger(pid) && existsSync(`/proc/${pid}/cmdline`)
        ? readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        : '';
    if (cmdline.includes(base)) process.kill(pid, 'SIGKILL');
  });
  const base = serverFolder('clientele-maria-', 'mysql');
  const data = join(base, 'data');
  const socket = join(base, 'mysqld.sock');
  const errLog = join(base, 'err.log');
  const port = await freePort();
  const userArgs = isRoot ? ['--user=mysql'] : [];
  let child: ChildProcess | null = null;
  try {
    await run(
      installDb,
      [
        '--no-defaults',
        ...userArgs,
        `--datadir=${data}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
      ],
      { timeout: 120_000 },
    );
    // The account is created by an init file so no client has to log in as root.
    const init = join(base, 'init.sql');
    writeFileSync(
      init,
      `CREATE USER 'clientele'@'127.0.0.1' IDENTIFIED BY '${TEST_PASSWORD}';\n` +
        `GRANT ALL ON *.* TO 'clientele'@'127.0.0.1' WITH GRANT OPTION;\n`,
    );
    chmodSync(init, 0o644);
    child = spawn(
      server,
      [
        '--no-defaults',
        ...userArgs,
        `--datadir=${data}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--log-error=${errLog}`,
        `--pid-file=${join(base, 'mysqld.pid')}`,
        `--init-file=${init}`,
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-buffer-pool-size=64M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
      ],
      { stdio: 'ignore' },
    );
    await waitForMariaDb(child, port, errLog);
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
    throw new Error(`Could not start MariaDB: ${(error as Error).message}`, { cause: error });
  }
  const proc = child;
  return {
    url: `mysql://clientele:${TEST_PASSWORD}@127.0.0.1:${port}/mysql`,
    async stop() {
      try {
        if (proc.exitCode === null) {
          const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
          proc.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
          clearTimeout(timer);
          if (proc.exitCode === null) proc.kill('SIGKILL');
        }
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

/** Polls until the server accepts the test account over TCP; fails early if the server exits. */
async function waitForMariaDb(child: ChildProcess, port: number, errLog: string): Promise<void> {
  const { createConnection } = await import('mysql2/promise');
  const deadline = Date.now() + 60_000;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const conn = await createConnection({
        host: '127.0.0.1',
        port,
        user: 'clientele',
        password: TEST_PASSWORD,
      });
      await conn.end();
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = existsSync(errLog) ? readFileSync(errLog, 'utf8').slice(-2000) : '(no log)';
  throw new Error(
    `mariadbd did not accept connections (exit code ${child.exitCode}, last error: ${(last as Error)?.message}).\n${log}`,
  );
}
