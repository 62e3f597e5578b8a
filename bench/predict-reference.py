"""Reference models for bench/predict.bench.ts (issue 5).

Usage:
  python3 predict-reference.py cv MATRIX.csv META.json      -> JSON {sklearn: {auc, folds}, xgboost: {...}}
  python3 predict-reference.py fit N P TREES LEAVES SEED    -> JSON {seconds, auc} for HistGradientBoostingClassifier

MATRIX.csv is written by the TypeScript bench: columns fold, y, then features; categorical features hold integer
codes (empty = missing) and are listed in META.json, so scikit-learn gets them as native categoricals and xgboost
one-hot columns. Both run on exactly the folds our cross-validation used. Pin OMP_NUM_THREADS=1 for timings.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def cv(matrix_path, meta_path):
    import xgboost as xgb

    meta = json.load(open(meta_path))
    data = np.genfromtxt(matrix_path, delimiter=",", skip_header=1, filling_values=np.nan)
    fold = data[:, 0].astype(int)
    y = data[:, 1].astype(int)
    X = data[:, 2:]
    cat = np.array(meta["categorical"], dtype=bool)
    # One-hot for xgboost (missing codes stay all-zero).
    parts = []
    for j in range(X.shape[1]):
        if cat[j]:
            codes = X[:, j]
            levels = np.unique(codes[~np.isnan(codes)])
            parts.append(np.stack([(codes == v).astype(float) for v in levels], axis=1))
        else:
            parts.append(X[:, j : j + 1])
    X1 = np.concatenate(parts, axis=1)
    out = {}
    k = fold.max() + 1
    sk = meta.get("sklearn", {})
    xg = meta.get("xgboost", {})
    for name in ["sklearn", "xgboost"]:
        oof = np.zeros(len(y))
        folds = []
        for f in range(k):
            tr, te = fold != f, fold == f
            if name == "sklearn":
                m = HistGradientBoostingClassifier(categorical_features=cat, random_state=0, **sk)
                m.fit(X[tr], y[tr])
                p = m.predict_proba(X[te])[:, 1]
            else:
                m = xgb.XGBClassifier(tree_method="hist", n_jobs=1, random_state=0, **xg)
                m.fit(X1[tr], y[tr])
                p = m.predict_proba(X1[te])[:, 1]
            oof[te] = p
            folds.append(roc_auc_score(y[te], p))
        out[name] = {"auc": roc_auc_score(y, oof), "meanAuc": float(np.mean(folds)), "folds": folds}
    print(json.dumps(out))


def fit(n, p, trees, leaves, seed):
    data = np.fromfile(sys.argv[7], dtype=np.float64).reshape(-1, p + 1) if len(sys.argv) > 7 else None
    if data is None:
        raise SystemExit("fit: expected the data file written by the bench")
    X, y = data[:, :p], data[:, p].astype(int)
    nv = n // 10
    Xt, yt, Xv, yv = X[nv:], y[nv:], X[:nv], y[:nv]
    t = time.perf_counter()
    c = time.process_time()
    m = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=leaves, early_stopping=False, random_state=seed)
    m.fit(Xt, yt)
    seconds = time.perf_counter() - t
    cpu = time.process_time() - c
    print(json.dumps({"seconds": seconds, "cpu": cpu, "auc": roc_auc_score(yv, m.decision_function(Xv))}))


if __name__ == "__main__":
    if sys.argv[1] == "cv":
        cv(sys.argv[2], sys.argv[3])
    else:
        fit(*(int(a) for a in sys.argv[2:7]))
