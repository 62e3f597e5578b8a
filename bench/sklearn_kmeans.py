#!/usr/bin/env python3
"""scikit-learn side of bench/segments.bench.ts: KMeans inertia and time on the same data.

Usage:
  python3 bench/sklearn_kmeans.py csv FILE K N_INIT          # columns of numbers with a header; StandardScaler first
  python3 bench/sklearn_kmeans.py bin FILE N D K N_INIT      # raw float64 row-major matrix, already standardised
Prints one JSON object: {"inertia": …, "seconds": …, "n": …, "d": …, "sklearn": version}.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler


def main() -> None:
    kind = sys.argv[1]
    if kind == "csv":
        path, k, n_init = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        x = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
        x = StandardScaler().fit_transform(x)
    else:
        path, n, d, k, n_init = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        x = np.fromfile(path, dtype=np.float64).reshape(n, d)
    start = time.perf_counter()
    model = KMeans(n_clusters=k, n_init=n_init, init="k-means++", random_state=0).fit(x)
    seconds = time.perf_counter() - start
    print(json.dumps({"inertia": float(model.inertia_), "seconds": seconds, "n": int(x.shape[0]), "d": int(x.shape[1]),
                      "iterations": int(model.n_iter_), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
