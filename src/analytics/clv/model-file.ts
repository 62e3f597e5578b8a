/** The saved form of a fitted CLV model: the JSON ModelEnvelope of STYLE.md §5. */
import { InputError, ModelError } from '../../errors.js';
import type { ModelEnvelope } from '../module.js';
import type { ClvFitResult, ClvState } from './core.js';
import { type ClvParams, parseParams } from './params.js';

export const CLV_FORMAT_VERSION = 1;

export type ClvModel = ModelEnvelope<ClvParams, ClvState>;

/** Wraps a fit into the envelope (fingerprint = model, customers, LL and parameters). */
export function envelope(params: ClvParams, fit: ClvFitResult, warnings: string[]): ClvModel {
  const p = fit.state.params;
  return {
    module: 'clv',
    formatVersion: CLV_FORMAT_VERSION,
    params,
    state: fit.state,
    data: {
      asOf: params.calibrationEnd,
      rows: fit.state.distinctRows,
      fingerprint: `${fit.state.model}:${fit.state.customers}:${fit.state.logLikelihood.toFixed(6)}:${Object.values(
        p,
      )
        .map((v) => v.toPrecision(8))
        .join(',')}`,
    },
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings },
  };
}

/** Checks that an unknown value (a saved file) is a CLV model envelope of this format. */
export function parseClvModel(value: unknown): ClvModel {
  if (typeof value !== 'object' || value === null || (value as { module?: unknown }).module !== 'clv')
    throw new ModelError(
      'MODULE_MISMATCH',
      `clv: expected a saved CLV model (module "clv"), got ${JSON.stringify((value as { module?: unknown })?.module ?? typeof value)}. Save one with: clientele clv fit … --save model.json`,
    );
  const m = value as ClvModel;
  if (m.formatVersion !== CLV_FORMAT_VERSION)
    throw new ModelError(
      'FORMAT_VERSION',
      `clv: the model file has format version ${m.formatVersion}; this version reads ${CLV_FORMAT_VERSION}. Refit it with clientele clv fit.`,
    );
  parseParams(m.params);
  if (!m.state || typeof m.state.params !== 'object')
    throw new InputError('clv: the model file has no state.params; refit it with clientele clv fit.');
  return m;
}

export type { ClvParams, ClvState };
