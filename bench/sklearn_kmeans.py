#!/usr/bin/env python3
"""scikit-learn side of bench/segments.bench.ts and bench/kmeans-peers.bench.ts: KMeans on the same data.

Usage:
  python3 bench/sklearn_kmeans.py csv FILE K N_INIT          # columns of numbers with a header; StandardScaler first
  python3 bench/sklearn_kmeans.py bin FILE N D K N_INIT [MAX_ITER] [INIT_FILE]
      raw float64 row-major matrix, already standardised; INIT_FILE: k × d float64 starting centres (then one run)
Prints one JSON object: {"inertia": …, "seconds": …, "cpu": …, "n": …, "d": …, "iterations": …, "sklearn": version};
seconds and cpu are the fit's wall and process CPU time (all threads).
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
    init = "k-means++"
    max_iter = 300
    if kind == "csv":
        path, k, n_init = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        x = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
        x = StandardScaler().fit_transform(x)
    else:
        path, n, d, k, n_init = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        x = np.fromfile(path, dtype=np.float64).reshape(n, d)
        if len(sys.argv) > 7:
            max_iter = int(sys.argv[7])
        if len(sys.argv) > 8:
            init = np.fromfile(sys.argv[8], dtype=np.float64).reshape(k, d)
            n_init = 1
    start = time.perf_counter()
    cpu = time.process_time()
    model = KMeans(n_clusters=k, n_init=n_init, init=init, max_iter=max_iter, random_state=0).fit(x)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(json.dumps({"inertia": float(model.inertia_), "seconds": seconds, "cpu": cpu, "n": int(x.shape[0]),
                      "d": int(x.shape[1]), "iterations": int(model.n_iter_), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
