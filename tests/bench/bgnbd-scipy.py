"""Peer for the bgnbd-fit-50k benchmark: the BG/NBD negative log-likelihood exactly as the
`lifetimes` package (0.11, BetaGeoFitter._negative_log_likelihood) writes it in numpy/scipy,
minimized the way lifetimes does it: scipy.optimize.minimize(method="Nelder-Mead") over the
log-parameters, starting from ones, no penalizer. lifetimes itself is not installed here (no
network), so this re-states its objective; usage: python3 bgnbd-scipy.py summary.csv runs."""
import json, sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln
import scipy

def nll(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    A_1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A_2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A_3 = -(r + x) * np.log(alpha + T)
    A_4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return -(A_1 + A_2 + np.logaddexp(A_3, A_4)).sum() / x.shape[0]

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
x, t_x, T = data[:, 0], data[:, 1], data[:, 2]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    res = minimize(nll, np.zeros(4), args=(x, t_x, T), method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-11})
    times.append(time.perf_counter() - t0)
r, alpha, a, b = np.exp(res.x)
print(json.dumps({"times": times, "params": {"r": r, "alpha": alpha, "a": a, "b": b}, "nll": float(res.fun) * x.shape[0], "iterations": int(res.nit), "scipy": scipy.__version__, "numpy": np.__version__}))
