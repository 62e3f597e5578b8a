#!/usr/bin/env python3
"""mlxtend side of bench/basket-peers.bench.ts: read a basket file (one basket per line, comma-separated),
one-hot encode it with TransactionEncoder, mine with fpgrowth and derive association rules by confidence, as
mlxtend's documentation does. Prints one JSON object with the counts and the time of each stage.

Usage: python3 bench/peer_mlxtend.py FILE MIN_SUPPORT MIN_CONFIDENCE
"""
import json
import sys
import time

import pandas as pd
from mlxtend.frequent_patterns import association_rules, fpgrowth
from mlxtend.preprocessing import TransactionEncoder


def main() -> None:
    path, min_support, min_confidence = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        baskets = [line.rstrip("\n").split(",") for line in f if line.strip()]
    te = TransactionEncoder()
    onehot = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
    t1 = time.perf_counter()
    itemsets = fpgrowth(onehot, min_support=min_support, use_colnames=True)
    t2 = time.perf_counter()
    rules = association_rules(itemsets, num_itemsets=len(onehot), metric="confidence", min_threshold=min_confidence)
    single = rules[rules["consequents"].apply(len) == 1]
    t3 = time.perf_counter()
    print(json.dumps({"baskets": len(onehot), "itemsets": len(itemsets), "rules": len(rules),
                      "rulesSingleRhs": len(single), "readSeconds": t1 - t0, "mineSeconds": t2 - t1,
                      "rulesSeconds": t3 - t2}))


if __name__ == "__main__":
    main()
