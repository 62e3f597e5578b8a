/**
 * Prints a report's HTML to PDF with the system's Chromium (`--headless --print-to-pdf`): no browser is
 * downloaded and nothing is fetched (the page has no external resource). Debian: `apt-get install chromium`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError, ConfigError } from '../../errors.js';

/** Where Chromium is looked for when neither CLIENTELE_CHROMIUM nor CHROMIUM_PATH names it. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export interface PdfOptions {
  /** The Chromium executable (default: $CLIENTELE_CHROMIUM, $CHROMIUM_PATH, then CHROMIUM_CANDIDATES). */
  chromium?: string;
  /** Give up after this many milliseconds (default 120 000). */
  timeoutMs?: number;
}

/**
 * The Chromium executable to print with.
 *
 * @throws ConfigError (CONFIG_INVALID) naming where it looked, what it expected and how to install it
 */
export function findChromium(explicit?: string): string {
  const named = explicit ?? process.env.CLIENTELE_CHROMIUM ?? process.env.CHROMIUM_PATH;
  if (named) {
    if (existsSync(named) && statSync(named).isFile()) return named;
    throw new ConfigError(
      `report --pdf: expected a Chromium executable at ${named} (from ${explicit ? 'the chromium option' : process.env.CLIENTELE_CHROMIUM ? 'CLIENTELE_CHROMIUM' : 'CHROMIUM_PATH'}), found no such file. Install Chromium (Debian/Ubuntu: apt-get install chromium) or point CLIENTELE_CHROMIUM at it; the HTML report needs no browser.`,
      { chromium: named },
    );
  }
  const found = CHROMIUM_CANDIDATES.find((c) => existsSync(c));
  if (found) return found;
  throw new ConfigError(
    `report --pdf: expected Chromium to print the PDF, found none at ${CHROMIUM_CANDIDATES.join(', ')} and CLIENTELE_CHROMIUM is not set. Install it (Debian/Ubuntu: apt-get install chromium) or set CLIENTELE_CHROMIUM=/path/to/chromium; the HTML report (--out) needs no browser.`,
    { looked: CHROMIUM_CANDIDATES },
  );
}

/** Pages in a PDF file (counts its page objects). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/**
 * Writes `html` as a PDF to `outPath` (A4, the page's own print styles, no header or footer lines).
 *
 * @returns the pages written
 * @throws ConfigError without Chromium; AppError (INTERNAL) when Chromium fails or writes no PDF
 * @example
 * await printPdf(renderReport(data), 'report.pdf');
 */
export async function printPdf(html: string, outPath: string, options: PdfOptions = {}): Promise<number> {
  const chromium = findChromium(options.chromium);
  const dir = mkdtempSync(join(tmpdir(), 'clientele-report-'));
  const page = join(dir, 'report.html');
  const out = resolve(outPath);
  try {
    writeFileSync(page, html);
    rmSync(out, { force: true });
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      '--print-to-pdf-no-header',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    const { code, stderr } = await run(chromium, args, options.timeoutMs ?? 120_000);
    if (!existsSync(out) || statSync(out).size === 0)
      throw new AppError(
        'INTERNAL',
        `report --pdf: expected ${chromium} to write ${out}, found no PDF (exit code ${code}). Its last output: ${stderr.trim().split('\n').slice(-3).join(' | ') || '(none)'}. Check that Chromium starts (${chromium} --headless --version).`,
        { chromium, code },
      );
    return pdfPageCount(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new AppError(
          'INTERNAL',
          `report --pdf: ${cmd} did not finish printing within ${Math.round(timeoutMs / 1000)} s; it was stopped. Try again on a less busy machine.`,
          { chromium: cmd },
        ),
      );
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(
        new ConfigError(
          `report --pdf: could not start ${cmd} (${e.message}). Install Chromium (apt-get install chromium) or set CLIENTELE_CHROMIUM.`,
          { chromium: cmd },
          { cause: e },
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stderr });
    });
  });
}
