/** Worker thread of `parallel.ts`: runs the jobs it was started with and posts the outcomes back. */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob, type SeriesJob } from './parallel.js';

parentPort?.postMessage((workerData as SeriesJob[]).map(runJob));
