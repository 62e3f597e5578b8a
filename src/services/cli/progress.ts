/** A progress bar on stderr. Silent when stderr is not a TTY, when CI is set, or when disabled. */
export interface Progress {
  /** Sets the done count (of `total`, if known) and an optional detail text. */
  update(done: number, detail?: string): void;
  /** Ends the bar with a final message. */
  done(message?: string): void;
}

const SILENT: Progress = { update() {}, done() {} };

export function createProgress(
  label: string,
  total: number | undefined,
  options: { enabled: boolean; stream?: NodeJS.WriteStream },
): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.enabled || !stream.isTTY || process.env.CI || process.env.CLIENTELE_NO_PROGRESS) return SILENT;
  const started = Date.now();
  let last = 0;
  const draw = (done: number, detail = '') => {
    const width = 28;
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    if (total && total > 0) {
      const f = Math.min(1, done / total);
      const bar = '█'.repeat(Math.round(f * width)).padEnd(width, '░');
      stream.write(`\r${label} ${bar} ${(f * 100).toFixed(0).padStart(3)}% ${elapsed}s ${detail}\x1b[K`);
    } else {
      stream.write(`\r${label} ${done.toLocaleString('en')} ${elapsed}s ${detail}\x1b[K`);
    }
  };
  return {
    update(done, detail) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(done, detail);
    },
    done(message) {
      stream.write(
        `\r${label} ${message ?? 'done'} (${((Date.now() - started) / 1000).toFixed(1)}s)\x1b[K\n`,
      );
    },
  };
}
