import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, numericGradient, numericHessian, type Objective } from './optimize.js';

const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! ** 2;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * x[i]! * a - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return f;
};

describe('minimizeLbfgs', () => {
  it('finds the minimum of the 2-D Rosenbrock valley from the classic start (-1.2, 1)', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.f).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(100);
  });

  it('solves a 20-dimensional Rosenbrock', () => {
    const x0 = Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : -1.2));
    const r = minimizeLbfgs(rosenbrock, x0, { maxIterations: 2000 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 5);
  });

  it('minimises an ill-conditioned quadratic (condition number 1e6) exactly', () => {
    const scales = [1, 10, 100, 1000, 1e6];
    const q: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - (i + 1);
        f += 0.5 * scales[i]! * d * d;
        g[i] = scales[i]! * d;
      }
      return f;
    };
    const r = minimizeLbfgs(q, [0, 0, 0, 0, 0]);
    expect(r.converged).toBe(true);
    for (let i = 0; i < 5; i++) expect(r.x[i]).toBeCloseTo(i + 1, 6);
  });

  it('treats non-finite values as a step too long and still converges (log barrier)', () => {
    // f(x) = x - ln(x) is undefined for x ≤ 0; minimum at x = 1. A long first step lands at x < 0.
    const f: Objective = (x, g) => {
      const v = x[0]!;
      if (v <= 0) {
        g[0] = Number.NaN;
        return Number.NaN;
      }
      g[0] = 1 - 1 / v;
      return v - Math.log(v);
    };
    const r = minimizeLbfgs(f, [30]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
  });

  it('reports a non-finite start instead of pretending to converge', () => {
    const r = minimizeLbfgs(
      (_x, g) => {
        g[0] = 0;
        return Number.POSITIVE_INFINITY;
      },
      [1],
    );
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('non-finite');
  });

  it('reports max-iterations when stopped early', () => {
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('max-iterations');
    expect(r.iterations).toBe(3);
  });

  it('reports an unbounded objective as not converged', () => {
    const r = minimizeLbfgs(
      (x, g) => {
        g[0] = -1;
        return -x[0]!;
      },
      [0],
      { maxIterations: 50 },
    );
    expect(r.converged).toBe(false);
  });
});

describe('numeric derivatives', () => {
  const f = (x: Float64Array) => Math.exp(x[0]!) * x[1]! ** 3 + Math.sin(x[0]! * x[1]!);
  it('central-difference gradient matches the analytic one', () => {
    const x = [0.3, 1.7];
    const g = numericGradient(f, x);
    expect(g[0]).toBeCloseTo(Math.exp(0.3) * 1.7 ** 3 + 1.7 * Math.cos(0.51), 6);
    expect(g[1]).toBeCloseTo(3 * Math.exp(0.3) * 1.7 ** 2 + 0.3 * Math.cos(0.51), 6);
  });
  it('central-difference Hessian matches the analytic one and is symmetric', () => {
    const [a, b] = [0.3, 1.7];
    const h = numericHessian(f, [a, b]);
    const s = Math.sin(a * b);
    const c = Math.cos(a * b);
    expect(h[0]![0]).toBeCloseTo(Math.exp(a) * b ** 3 - b * b * s, 4);
    expect(h[1]![1]).toBeCloseTo(6 * Math.exp(a) * b - a * a * s, 4);
    expect(h[0]![1]).toBeCloseTo(3 * Math.exp(a) * b * b + c - a * b * s, 4);
    expect(h[0]![1]).toBe(h[1]![0]);
  });
});
