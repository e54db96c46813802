# A JAX yardstick beside `sptop bench` (README, Performance): the seed's vanilla MLP step —
# x ~ N(0, 1) (n × 20), f = A x, ReLU MLP of width n, mean squared error, SGD η = 0.001,
# float64 — as one jit-compiled lax.scan of many steps, on one thread:
#   taskset -c 0 python3 docs/bench/jax_yardstick.py
# prints µs per step at n = 200 (scaled init) and n = 5, and µs per model-step of
# jit(vmap(lax.scan)) over 256 seeds at n = 5. (sptop's step also computes the a-priori
# error after every update; this one does not.)
import os, sys, time, json
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)

def init(key, n, w, scaled):
    ks = jax.random.split(key, 7)
    def mat(k, r, c):
        m = jax.random.normal(k, (r, c))
        return m / jnp.sqrt(c) if scaled else m
    return dict(B1=mat(ks[0], w, n), b1=jax.random.normal(ks[1], (w,)),
                B2=mat(ks[2], w, w), b2=jax.random.normal(ks[3], (w,)),
                B3=mat(ks[4], n, w), b3=jax.random.normal(ks[5], (n,))), jax.random.normal(ks[6], (n, n))

def net(p, X):  # X: n x m
    h = jax.nn.relu(p["B1"] @ X + p["b1"][:, None])
    h = jax.nn.relu(p["B2"] @ h + p["b2"][:, None])
    return p["B3"] @ h + p["b3"][:, None]

def make_run(n, batch, eta, steps):
    def loss(p, X, F):
        return jnp.mean(jnp.sum((net(p, X) - F) ** 2, axis=0))
    g = jax.value_and_grad(loss)
    def run(p, A, key):
        def body(carry, _):
            p, key = carry
            key, sub = jax.random.split(key)
            X = jax.random.normal(sub, (n, batch))
            l, gr = g(p, X, A @ X)
            p = jax.tree_util.tree_map(lambda a, b: a - eta * b, p, gr)
            return (p, key), l
        (p, key), ls = jax.lax.scan(body, (p, key), None, length=steps)
        return p, ls
    return run

def timeit(f, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); jax.block_until_ready(f()); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[len(ts) // 2]

def single(n, steps, reps, scaled):
    p, A = init(jax.random.PRNGKey(1), n, n, scaled)
    run = jax.jit(make_run(n, 20, 1e-3, steps))
    key = jax.random.PRNGKey(2)
    jax.block_until_ready(run(p, A, key))
    t = timeit(lambda: run(p, A, key), reps)
    return t / steps * 1e6

def ensemble(n, seeds, steps, reps):
    keys = jax.random.split(jax.random.PRNGKey(3), seeds)
    ps, As = jax.vmap(lambda k: init(k, n, n, False))(keys)
    run = jax.jit(jax.vmap(make_run(n, 20, 1e-3, steps)))
    jax.block_until_ready(run(ps, As, keys))
    t = timeit(lambda: run(ps, As, keys), reps)
    return t / (steps * seeds) * 1e6

if __name__ == "__main__":
    out = {"jax": jax.__version__,
           "vanilla_n200_scan_us_per_step": single(200, 200, 7, True),
           "vanilla_n5_scan_us_per_step": single(5, 5000, 7, False),
           "vanilla_n5_vmap256_scan_us_per_model_step": ensemble(5, 256, 1000, 5)}
    print(json.dumps(out))
