import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../test/support/cli.js';

/**
 * A full disk (issue 19): the import fails with exit 2 and the real cause ("No space left on device"), not
 * "cannot rollback", and the datamart keeps what it had. Runs where a small tmpfs can be mounted (root on
 * Linux); elsewhere it is skipped.
 */
const dir = mkdtempSync(join(tmpdir(), 'clientele-diskfull-'));
const disk = join(dir, 'disk');
let mounted = false;
try {
  execFileSync('mkdir', ['-p', disk]);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { stdio: 'ignore' });
  mounted = true;
} catch {
  mounted = false;
}
afterAll(() => {
  if (mounted) execFileSync('umount', [disk]);
  rmSync(dir, { recursive: true, force: true });
});

const cli = cliOn(() => join(disk, 'shop.duckdb'));

describe.skipIf(!mounted)('a full disk', () => {
  it('says the disk is full, exits 2 and keeps the datamart as it was', async () => {
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'customer_id,email\nc1,a@example.com\nc2,b@example.com\n');
    // --create: the 2 MB disk has room for one datamart made by the import itself, not for init's checkpoint too.
    expect((await cli('import', small, '--create', '--json')).exitCode).toBe(0);
    const big = join(dir, 'big.csv');
    const lines = ['customer_id,first_name,last_name,email,city'];
    for (let i = 0; i < 60_000; i++)
      lines.push(
        `C${i},Name${i},Last${(i * 7919) % 100_003},u${i}@example.com,City${(i * 104_729) % 99_991}`,
      );
    writeFileSync(big, `${lines.join('\n')}\n`);
    const r = await cli('import', big, '--json');
    expect(r.exitCode).toBe(2);
    expect(r.json.error.code).toBe('DISK_FULL');
    expect(r.json.error.message).toMatch(/No space left on device/);
    expect(r.json.error.message).not.toMatch(/cannot rollback/i);
    const after = await cli('sql', 'SELECT count(*) AS n FROM customers', '--json');
    expect(after.json.rows).toEqual([{ n: 2 }]);
  }, 120_000);
});
