#!/usr/bin/env python3
"""Recomputes every error `sptop run --json` reports from the parameters it reports, with numpy.
Reads the JSON on stdin; exits non-zero naming the first mismatch."""
import json, sys
import numpy as np

r = json.load(sys.stdin)
A = np.array(r["A"]); xvalid = np.array(r["xvalid"]); probe = r["probe"]
relu = lambda z: np.maximum(z, 0.0)

def model(m):
    p = {k: np.array(v, dtype=float) for k, v in m["parameters"].items()}
    if m["architecture"] == "linear":
        return lambda x: p["B1"] @ x
    return lambda x: p["B3"] @ relu(p["B2"] @ relu(p["B1"] @ x + p["b1"]) + p["b2"]) + p["b3"]

def close(name, a, b, tol=1e-9):
    if a is None or b is None:
        ok = a == b
    else:
        ok = abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)
    if not ok:
        sys.exit(f"mismatch in {name}: reported {b}, numpy {a}")

for m in r["models"]:
    nn = model(m)
    f = m["final"]
    fv = A @ xvalid
    close(m["name"] + " apriori", np.linalg.norm(nn(xvalid) - fv) / np.linalg.norm(fv), f["apriori_error"])
    x, y = np.array(probe["additivity_x"]), np.array(probe["additivity_y"])
    add = np.linalg.norm(nn(x + y) - nn(x) - nn(y)) / np.linalg.norm(nn(x) + nn(y))
    if add < 1e-12:   # rounding level: both must be tiny, digits need not agree
        if f["additivity_error"] is None or f["additivity_error"] > 1e-12:
            sys.exit(f"mismatch in {m['name']} additivity: {f['additivity_error']} vs {add}")
    else:
        close(m["name"] + " additivity", add, f["additivity_error"])
    xh = np.array(probe["homogeneity_x"])
    for lam, rep in zip(probe["lambdas"], f["homogeneity_error"]):
        h = np.linalg.norm(nn(lam * xh) - lam * nn(xh)) / np.linalg.norm(lam * nn(xh))
        if h < 1e-12:   # rounding level: both must be tiny, digits need not agree
            if rep is None or rep > 1e-12:
                sys.exit(f"mismatch in {m['name']} homogeneity at {lam}: {rep} vs {h}")
        else:
            close(f"{m['name']} homogeneity at {lam}", h, rep)
print(f"recomputed {len(r['models'])} models")
