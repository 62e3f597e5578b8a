import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, migrate } from '../../../store/index.js';
import { createToken } from '../../http/index.js';
import { parseMaxUploadMb, serveDatamart } from './serve.js';

/**
 * Issue 19: a server's upload limit can be changed by whoever runs it (`clientele serve --max-upload-mb`),
 * and an upload over it is refused with 413 over a real socket, nothing loaded.
 */
let engine: DuckDbEngine;
let server: Awaited<ReturnType<typeof serveDatamart>>;
beforeAll(async () => {
  engine = await DuckDbEngine.open(':memory:');
  await migrate(engine);
  server = await serveDatamart(engine, { port: '0', 'max-upload-mb': '1' }, () => undefined);
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

describe('clientele serve --max-upload-mb', () => {
  it('refuses an upload over the limit with 413 and loads nothing; one under it loads', async () => {
    const admin = (await createToken(engine, 'admin', 'admin')).token;
    // Over a socket, as curl would: the server answers 413 and may close before the body is all sent (the
    // client then sees the connection closed); either way nothing is read into memory or loaded.
    const post = async (text: string): Promise<{ status: number; body: string }> => {
      const form = new FormData();
      form.set('file', new File([text], 'customers.csv', { type: 'text/csv' }));
      form.set('target', 'customers');
      const req = new Request(`${server.url}/api/imports`, { method: 'POST', body: form });
      const bytes = Buffer.from(await req.arrayBuffer());
      return new Promise((resolve, reject) => {
        const r = request(
          `${server.url}/api/imports`,
          {
            method: 'POST',
            agent: false,
            headers: {
              authorization: `Bearer ${admin}`,
              'content-type': req.headers.get('content-type') ?? '',
              'content-length': bytes.length,
            },
          },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        // The server may close the socket after its 413, before the client has sent everything.
        r.on('error', (e) =>
          /EPIPE|ECONNRESET|socket hang up/.test(String(e)) ? resolve({ status: -1, body: '' }) : reject(e),
        );
        r.end(bytes);
      });
    };
    const big = await post(`customer_id\n${Array.from({ length: 200_000 }, (_, i) => `c${i}`).join('\n')}\n`);
    expect([413, -1]).toContain(big.status);
    if (big.body) expect(JSON.parse(big.body).error.code).toBe('LIMIT_EXCEEDED');
    expect(await engine.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    const small = await post('customer_id\nc1\nc2\n');
    expect(small.status).toBe(200);
  });

  it('takes megabytes above 0, and says so otherwise', () => {
    expect(parseMaxUploadMb(undefined)).toBeUndefined();
    expect(parseMaxUploadMb('2')).toBe(2 * 1024 * 1024);
    for (const bad of ['0', '-1', 'lots', ''])
      expect(() => parseMaxUploadMb(bad), bad).toThrow(/--max-upload-mb: expected a number of megabytes/);
  });
});
