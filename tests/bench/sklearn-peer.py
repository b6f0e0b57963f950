"""scikit-learn side of tests/bench/cases/mining.ts and models.ts: the same fit on the same matrix.

Usage: python3 sklearn-peer.py kmeans|cart|logistic|logistic-nc X.f64 N D [Y.i32] [INIT.f64] RUNS
X is row-major float64 (little-endian), Y int32 class codes, INIT k x d float64 starting centres.
Prints one JSON object: per-run seconds (wall, and CPU of all the process's threads) and what
the fit found (for the caller's sanity checks).
The threads scikit-learn may use follow OMP_NUM_THREADS (the caller sets it).
"""
import json
import sys
import time

import numpy as np
import sklearn
from threadpoolctl import threadpool_info


def main():
    mode, xpath, n, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    runs = int(sys.argv[-1])
    x = np.fromfile(xpath, dtype='<f8').reshape(n, d)
    out = {'sklearn': sklearn.__version__, 'times': [], 'cpu': [],
           'threads': max([p.get('num_threads', 1) for p in threadpool_info()] or [1])}
    for _ in range(runs):
        if mode == 'kmeans':
            from sklearn.cluster import KMeans
            init = np.fromfile(sys.argv[5], dtype='<f8').reshape(-1, d)
            model = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=50, tol=0.0, algorithm='lloyd')
            t0, c0 = time.perf_counter(), time.process_time()
            model.fit(x)
            out['times'].append(time.perf_counter() - t0)
            out['cpu'].append(time.process_time() - c0)
            out.update(inertia=float(model.inertia_), iterations=int(model.n_iter_))
        else:
            y = np.fromfile(sys.argv[5], dtype='<i4')
            if mode == 'cart':
                from sklearn.tree import DecisionTreeClassifier
                model = DecisionTreeClassifier(max_depth=12, min_samples_leaf=20, random_state=0)
            elif mode == 'logistic-nc':
                from sklearn.linear_model import LogisticRegression
                model = LogisticRegression(C=1.0, max_iter=1000, solver='newton-cholesky', tol=1e-8)
            else:
                from sklearn.linear_model import LogisticRegression
                model = LogisticRegression(C=1.0, max_iter=1000)
            t0, c0 = time.perf_counter(), time.process_time()
            model.fit(x, y)
            out['times'].append(time.perf_counter() - t0)
            out['cpu'].append(time.process_time() - c0)
            out['train_accuracy'] = float(model.score(x, y))
            if mode == 'cart':
                out['leaves'] = int(model.get_n_leaves())
            else:
                out['coef'] = model.coef_.ravel().tolist()
                out['intercept'] = float(model.intercept_[0])
                out['iterations'] = int(model.n_iter_[0])
    print(json.dumps(out))


main()
