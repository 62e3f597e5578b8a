#!/usr/bin/env python3
"""Peer side of bench/gbdt-peers.bench.ts: scikit-learn's HistGradientBoostingClassifier or xgboost's `hist`
booster fitted on exactly the rows, folds and hyperparameters our GBDT gets (one thread: run with
OMP_NUM_THREADS=1). Reads the bench's matrix (float64, row-major: fold, y, features; categorical features as
integer codes, NaN = missing) and its meta JSON; fits one model per listed test fold on the other rows, scores
the held-out rows, and prints one JSON object: pooled out-of-fold AUC, per-fold AUC, and the fit seconds
(wall and process CPU, fits only: no reading, slicing or scoring).

Hyperparameters as they map: learning rate, trees (no early stopping), leaves (best-first growth, no depth
limit), 255 bins (missing values apart), minimum rows per leaf (scikit-learn; xgboost has none, only the
hessian floor min_child_weight), L2 on leaf values (ours and scikit-learn default 0; xgboost's default 1 is
set to ours). Categorical features: scikit-learn's native categoricals; xgboost gets them one-hot, as its
1.7 categorical support needs pandas' category dtype.

Usage: python3 bench/gbdt_peers.py sklearn|xgboost MATRIX.f64 META.json SEED
"""
import json
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score


def main() -> None:
    tool, matrix, meta_path, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    meta = json.load(open(meta_path))
    p = len(meta["categorical"])
    data = np.fromfile(matrix, dtype=np.float64).reshape(-1, p + 2)
    fold = data[:, 0].astype(int)
    y = data[:, 1].astype(int)
    X = np.ascontiguousarray(data[:, 2:])
    cat = np.array(meta["categorical"], dtype=bool)
    hp = meta["params"]
    if tool == "xgboost":
        import xgboost as xgb

        parts = []
        for j in range(p):
            if cat[j]:
                codes = X[:, j]
                levels = np.unique(codes[~np.isnan(codes)])
                parts.append(np.stack([(codes == v).astype(float) for v in levels], axis=1))
            else:
                parts.append(X[:, j : j + 1])
        X = np.ascontiguousarray(np.concatenate(parts, axis=1))

        def make():
            return xgb.XGBClassifier(
                tree_method="hist", n_jobs=1, random_state=seed, n_estimators=hp["trees"],
                learning_rate=hp["learningRate"], max_leaves=hp["maxLeaves"], grow_policy="lossguide",
                max_depth=0, max_bin=hp["maxBins"], reg_lambda=hp["l2"], min_child_weight=hp["minChildWeight"])
    else:
        from sklearn.ensemble import HistGradientBoostingClassifier

        def make():
            return HistGradientBoostingClassifier(
                max_iter=hp["trees"], learning_rate=hp["learningRate"], max_leaf_nodes=hp["maxLeaves"],
                max_depth=None, min_samples_leaf=hp["minSamplesLeaf"], l2_regularization=hp["l2"],
                max_bins=hp["maxBins"], early_stopping=False, categorical_features=cat if cat.any() else None,
                random_state=seed)

    oof = np.full(len(y), np.nan)
    folds, wall, cpu = [], 0.0, 0.0
    for f in meta["testFolds"]:
        tr, te = fold != f, fold == f
        Xt, yt = X[tr], y[tr]
        m = make()
        w0, c0 = time.perf_counter(), time.process_time()
        m.fit(Xt, yt)
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        s = m.predict_proba(X[te])[:, 1]
        oof[te] = s
        folds.append(roc_auc_score(y[te], s))
    held = ~np.isnan(oof)
    print(json.dumps({"auc": roc_auc_score(y[held], oof[held]), "folds": folds,
                      "fitSeconds": wall, "fitCpu": cpu}))


if __name__ == "__main__":
    main()
