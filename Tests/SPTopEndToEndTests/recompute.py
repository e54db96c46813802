#!/usr/bin/env python3
"""Recomputes every error `sptop run --json` reports from the parameters it reports, with numpy:
the target, every architecture's forward pass, the seed's metrics and the structure diagnostics.
Reads the JSON on stdin; exits non-zero naming the first mismatch."""
import json, sys
import numpy as np

r = json.load(sys.stdin)
n = r["settings"]["n"]
A = np.array(r["A"]); xvalid = np.array(r["xvalid"]); probe = r["probe"]
relu = lambda z: np.maximum(z, 0.0)
target = r["settings"].get("target", "general")

def mlp(p, x, biases=True):
    """The seed's network (or the bias-free one) and its two hidden activations."""
    b = (lambda k: p[k]) if biases else (lambda k: 0.0)
    h1 = relu(p["B1"] @ x + b("b1"))
    h2 = relu(p["B2"] @ h1 + b("b2"))
    return p["B3"] @ h2 + b("b3"), [h1, h2]

def network(arch, p):
    """x -> (N(x), hidden activations whose positive entries mark active units)."""
    if arch == "linear":
        return lambda x: (p["B1"] @ x, [])
    if arch == "skew":
        return lambda x: ((p["K"] - p["K"].T) @ x, [])
    if arch == "biasfree":
        return lambda x: mlp(p, x, biases=False)
    if arch == "odd":
        def odd(x):
            u, hu = mlp(p, x, biases=False)
            v, hv = mlp(p, -x, biases=False)
            return 0.5 * (u - v), [np.maximum(a, b) for a, b in zip(hu, hv)]
        return odd
    if arch == "mass":
        def mass(x):
            g, h = mlp(p, x)
            return g - g.mean(), h
        return mass
    if arch in ("vanilla", "penalized", "penalized-scaled"):
        return lambda x: mlp(p, x)
    sys.exit(f"unknown architecture {arch}")

def f(x):
    if target == "even":
        return A @ np.abs(x)
    if target == "odd-teacher":
        c = {k: np.array(v, dtype=float) for k, v in r["teacher"].items()}
        return 0.5 * (mlp(c, x, biases=False)[0] - mlp(c, -x, biases=False)[0])
    return A @ x

# The target's own structure.
if target == "skew" and np.abs(A + A.T).max() > 0:
    sys.exit("skew target is not skew")
if target in ("mass", "laplacian") and np.abs(A.sum(axis=0)).max() > 1e-12:
    sys.exit("mass target has nonzero column sums")
fvalid = f(xvalid)
if not np.allclose(fvalid, r["fvalid"], rtol=1e-12, atol=1e-300):
    sys.exit(f"mismatch in fvalid: reported {r['fvalid']}, numpy {fvalid}")

def close(name, a, b, tol=1e-9, tiny=1e-12):
    """a (numpy) against b (reported); at rounding level both need only be tiny."""
    if a is None or b is None or not np.isfinite(a):
        ok = (b is None) == (a is None or not np.isfinite(a))
    elif a < tiny:
        ok = b is not None and b < tiny
    else:
        ok = abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)
    if not ok:
        sys.exit(f"mismatch in {name}: reported {b}, numpy {a}")

def rel(num, den):
    if den == 0:
        return 0.0 if num == 0 else None
    return num / den

nm = np.linalg.norm
for m in r["models"]:
    p = {k: np.array(v, dtype=float) for k, v in m["parameters"].items()}
    net = network(m["architecture"], p)
    nn = lambda x: net(x)[0]
    fin = m["final"]
    name = m["name"]
    close(name + " apriori", rel(nm(nn(xvalid) - fvalid), nm(fvalid)), fin["apriori_error"])
    x, y = np.array(probe["additivity_x"]), np.array(probe["additivity_y"])
    close(name + " additivity", rel(nm(nn(x + y) - nn(x) - nn(y)), nm(nn(x) + nn(y))),
          fin["additivity_error"])
    xh = np.array(probe["homogeneity_x"])
    homs = []
    for lam, rep in zip(probe["lambdas"], fin["homogeneity_error"]):
        if lam == 0:
            close(f"{name} homogeneity at 0 (skipped)", None, rep)
            continue
        h = rel(nm(nn(lam * xh) - lam * nn(xh)), nm(lam * nn(xh)))
        close(f"{name} homogeneity at {lam}", h, rep)
        homs.append((lam, h))
    close(name + " homogeneity max", max(h for _, h in homs), fin["homogeneity_error_max"])
    close(name + " positive homogeneity max", max(h for l, h in homs if l > 0),
          fin["positive_homogeneity_error_max"])
    close(name + " offset", nm(nn(np.zeros(n))), fin["offset"])
    pts = [x, y, xh]
    odd = max(rel(nm(nn(-q) + nn(q)), nm(nn(q)) + nm(nn(-q))) for q in pts)
    energy = max(rel(abs(q @ nn(q)), nm(q) * nm(nn(q))) for q in pts)
    mass = max(rel(abs(nn(q).sum()), np.sqrt(n) * nm(nn(q))) for q in pts)
    close(name + " oddness", odd, fin["oddness_error"])
    close(name + " energy", energy, fin["energy_cosine"])
    close(name + " mass", mass, fin["mass_error"])
    props = fin["properties"]
    for key, val in [("additivity", fin["additivity_error"]),
                     ("homogeneity", fin["homogeneity_error_max"]),
                     ("positive-homogeneity", fin["positive_homogeneity_error_max"]),
                     ("oddness", fin["oddness_error"]), ("energy", fin["energy_cosine"]),
                     ("mass", fin["mass_error"])]:
        if props[key] != val:
            sys.exit(f"mismatch in {name} properties.{key}: {props[key]} vs {val}")
    # The verdict: every defect again in extended precision (numpy's longdouble is the same x87
    # 80-bit format as Swift's Float80 here), then the rule of ModelDiagnostics.verdict.
    if np.finfo(np.longdouble).nmant < 63:
        sys.exit("numpy's longdouble is not 80-bit extended precision on this machine")
    L = np.longdouble
    pl = {k: np.array(v, dtype=L) for k, v in m["parameters"].items()}
    nl = lambda q: network(m["architecture"], pl)(np.array(q, dtype=L))[0]
    xl, yl, hl = (np.array(v, dtype=L) for v in (x, y, xh))
    def rl(num, den):
        return (0.0 if num == 0 else np.inf) if den == 0 else float(num / den)
    nxl, nyl, nhl = nl(xl), nl(yl), nl(hl)
    ext = {"additivity": rl(nm(nl(xl + yl) - nxl - nyl), nm(nxl + nyl))}
    hl_all = [(lam, rl(nm(nl(L(lam) * hl) - L(lam) * nhl), nm(L(lam) * nhl)))
              for lam in probe["lambdas"] if lam != 0]
    ext["homogeneity"] = max(e for _, e in hl_all)
    ext["positive-homogeneity"] = max(e for lam, e in hl_all if lam > 0)
    ptsl = [xl, yl, hl]
    ext["oddness"] = max(rl(nm(nl(-q) + nl(q)), nm(nl(q)) + nm(nl(-q))) for q in ptsl)
    ext["energy"] = max(rl(abs(q @ nl(q)), nm(q) * nm(nl(q))) for q in ptsl)
    ext["mass"] = max(rl(abs(nl(q).sum()), np.sqrt(L(n)) * nm(nl(q))) for q in ptsl)
    threshold = 1e-15  # ModelDiagnostics.verdictThreshold
    for key, e in ext.items():
        rep = fin["extended_defects"][key]
        close(f"{name} extended defect {key}", e, rep, tol=1e-6, tiny=1e-16)
        guaranteed = key in m["guarantees"]
        value = props[key]
        if guaranteed and rep is not None and rep > threshold:
            verdict = "violated"
        elif value is None:
            verdict = "not-finite"
        elif rep is not None and rep <= threshold:
            verdict = "exact-guaranteed" if guaranteed else "exact"
        else:
            verdict = "measured"
        if fin["verdicts"][key] != verdict:
            sys.exit(f"mismatch in {name} verdicts.{key}: {fin['verdicts'][key]} vs {verdict}")
        if guaranteed and verdict != "exact-guaranteed":
            sys.exit(f"{name}: guaranteed {key} reads {verdict} (Float80 defect {rep})")
        if fin["exact"][key] != (verdict in ("exact", "exact-guaranteed")):
            sys.exit(f"mismatch in {name} exact.{key}")
    # Dead units: never positive on any probe input.
    inputs = [x, y, x + y, xh] + [l * xh for l in probe["lambdas"]] + \
             [np.zeros(n), -x, -y, -xh, xvalid]
    acts = [net(q)[1] for q in inputs]
    if acts[0]:
        alive = np.concatenate([np.any([a[k] > 0 for a in acts], axis=0) for k in range(len(acts[0]))])
        dead = int((~alive).sum())
        if dead != fin["dead_units"] or alive.size != fin["relu_units"]:
            sys.exit(f"mismatch in {name} dead units: reported {fin['dead_units']}/"
                     f"{fin['relu_units']}, numpy {dead}/{alive.size}")
    elif fin["dead_units"] is not None:
        sys.exit(f"{name}: dead units reported for an architecture without ReLU units")
    if not isinstance(m.get("represents_target"), bool):
        sys.exit(f"{name}: represents_target is not true or false")
    # What the architecture guarantees holds to rounding.
    for key in m["guarantees"]:
        if props[key] is None or props[key] > 1e-12:
            sys.exit(f"{name}: guaranteed {key} measures {props[key]}")
print(f"recomputed {len(r['models'])} models")
