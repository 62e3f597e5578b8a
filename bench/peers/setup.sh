#!/usr/bin/env bash
# Places the peers that the comparison benches run against (issue 20): their public source, read-only, in the
# git-ignored folder bench/peers/src. They are never part of the product, never imported by it, never copied into it.
#   lifetimes 0.11.3 (+ autograd 1.7.0)   BTYD fitting, for bench/clv-peers
#   mlxtend 0.25.0                         FP-Growth + association rules, for bench/basket-peers
#     (not 0.23.2–0.23.4: they count support row by row in Python, 290 s instead of 0.5 s on 20k baskets)
# scikit-learn, xgboost, SciPy, pandas and dill come from Debian (apt-get install -y python3-sklearn
# python3-xgboost python3-scipy python3-pandas python3-dill); run the benches with PYTHON=/usr/bin/python3.
# Sources: PEERS_GIT (default /work/.mirror) holds one git repository per peer as <owner>+<name>/repo; any clone
# of the public repositories works (PEERS_GIT=/path/with/owner+name/repo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
git_root=${PEERS_GIT:-/work/.mirror}
mkdir -p "$here/src"
place() { # owner+name tag folder
  local dest="$here/src/$3"
  if [ ! -d "$dest/.git" ]; then git clone -q "$git_root/$1/repo" "$dest"; fi
  git -C "$dest" checkout -q "$2"
  echo "$3 at $2"
}
place rasbt+mlxtend v0.25.0 mlxtend
place CamDavidsonPilon+lifetimes v0.11.3 lifetimes
place HIPS+autograd v1.7.0 autograd
py=${PYTHON:-/usr/bin/python3}
PYTHONPATH="$here/src/mlxtend:$here/src/lifetimes:$here/src/autograd" "$py" -c '
import sklearn, xgboost, scipy, pandas, lifetimes, mlxtend
print("python peers ready: scikit-learn", sklearn.__version__, "xgboost", xgboost.__version__, "scipy", scipy.__version__,
      "pandas", pandas.__version__, "lifetimes", lifetimes.__version__, "mlxtend", mlxtend.__version__)'
