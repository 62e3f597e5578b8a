#!/usr/bin/env python3
"""lifetimes side of bench/clv-peers.bench.ts: the package itself (placed by bench/peers/setup.sh), used as its
documentation shows. Summary from transactions with summary_data_from_transaction_data (freq='D', then recency
and T in weeks, as `clientele clv fit --unit week`), then BetaGeoFitter or GammaGammaFitter (repeat customers,
their mean repeat spend) with no penalizer. Prints one JSON object: params, the mean negative log-likelihood
lifetimes minimises, customers, and the seconds (wall and process CPU) of reading, summary and fit.

Usage: python3 bench/peer_lifetimes.py TRANSACTIONS.csv CALIBRATION_END bgnbd|gammagamma
"""
import json
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data


def main() -> None:
    path, cal_end, model = sys.argv[1], sys.argv[2], sys.argv[3]
    t0, c0 = time.perf_counter(), time.process_time()
    tx = pd.read_csv(path, parse_dates=["date"])
    t1, c1 = time.perf_counter(), time.process_time()
    summary = summary_data_from_transaction_data(
        tx, "customer_id", "date", monetary_value_col="amount" if model == "gammagamma" else None,
        observation_period_end=cal_end, freq="D")
    summary["recency"] /= 7
    summary["T"] /= 7
    t2, c2 = time.perf_counter(), time.process_time()
    if model == "bgnbd":
        fitter = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
        names = ["r", "alpha", "a", "b"]
    else:
        repeat = summary[summary["frequency"] > 0]
        fitter = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["frequency"], repeat["monetary_value"])
        names = ["p", "q", "v"]
    t3, c3 = time.perf_counter(), time.process_time()
    print(json.dumps({"params": {n: float(fitter.params_[n]) for n in names},
                      "meanNegativeLogLikelihood": float(fitter._negative_log_likelihood_),
                      "customers": int(len(summary)),
                      "seconds": {"read": t1 - t0, "summary": t2 - t1, "fit": t3 - t2},
                      "cpuSeconds": {"read": c1 - c0, "summary": c2 - c1, "fit": c3 - c2}}))


if __name__ == "__main__":
    main()
