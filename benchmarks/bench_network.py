"""Network benchmarks: print figures, with ratios against baselines measured in the same run.

    python benchmarks/bench_network.py

The machine is shared: every figure is the best of many repeats, and the two sides of a ratio
are timed alternately so that both see the same load.

1. One epoch at B = 32 of the digits network (64 → 32 → 10 tanh, cross-entropy, momentum
   η = 0.1, λ = 0.9) with :func:`core.network.train`, against scikit-learn's ``MLPClassifier``
   with the same layers, activation, solver ``sgd`` (momentum 0.9, no Nesterov, no L2),
   batch size and learning rate, one ``partial_fit`` per epoch. Goal: at most 1.0× its time.
   Both run with one BLAS thread (as the ``network`` command does) and, for the record, with
   OpenBLAS's default threads.
2. λ_max(∇²L(θ)) at the end points of a B = 16 and a full-batch run (trained to L ≤ 0.02).
   Goal: at most 1 s.
3. The ``network`` command's whole comparison of 2 batch sizes (16 and full) × 3 seeds to a
   training loss of 0.02 (training, λ_max, ε-sharpness, interpolation). Goal: at most 60 s.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.netcli import network_study
from core.network import Network, load_digits_split, top_eigenvalue, train

HYPER = {"lr": 0.1, "momentum": 0.9}


def best_of(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_pair(a, b, repeat: int) -> tuple[float, float]:
    """Best wall times of ``a`` and ``b``, called alternately so both see the same load."""
    ta = tb = float("inf")
    for _ in range(repeat):
        ta = min(ta, best_of(a, 1))
        tb = min(tb, best_of(b, 1))
    return ta, tb


def bench_epoch(label: str) -> None:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    d = load_digits_split(0)
    net = Network((64, 32, 10))
    theta0 = net.init(np.random.default_rng(0))
    epochs = 20

    def ours_one() -> None:
        train(net, d.x_train, d.y_train, theta0, 32, "momentum", HYPER, max_epochs=1)

    def ours_many() -> None:
        train(net, d.x_train, d.y_train, theta0, 32, "momentum", HYPER, max_epochs=epochs)

    classes = np.arange(10)

    def sk_model() -> MLPClassifier:
        m = MLPClassifier(hidden_layer_sizes=(32,), activation="tanh", solver="sgd",
                          batch_size=32, learning_rate_init=0.1, momentum=0.9,
                          nesterovs_momentum=False, alpha=0.0, shuffle=True, random_state=0)
        m.partial_fit(d.x_train, d.y_train, classes=classes)  # the first call initializes
        return m

    model = sk_model()

    def sk_one() -> None:
        model.partial_fit(d.x_train, d.y_train)

    def sk_many() -> None:
        for _ in range(epochs):
            model.partial_fit(d.x_train, d.y_train)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        one, sk = best_of_pair(ours_one, sk_one, 60)
        many, skm = best_of_pair(ours_many, sk_many, 8)
        many, skm = many / epochs, skm / epochs
    print(f"one epoch, B = 32 ({label}): ours {one * 1e3:.2f} ms (a 1-epoch run: set-up and "
          f"2 training-loss checks included), sklearn MLPClassifier.partial_fit "
          f"{sk * 1e3:.2f} ms: {one / sk:.2f}x; per epoch over {epochs} epochs: "
          f"ours {many * 1e3:.2f} ms vs {skm * 1e3:.2f} ms: {many / skm:.2f}x")


def bench_eigen() -> None:
    d = load_digits_split(0)
    net = Network((64, 32, 10))
    theta0 = net.init(np.random.default_rng(0))
    for b in (16, d.n_train):
        res = train(net, d.x_train, d.y_train, theta0, b, "momentum", HYPER, until_loss=0.02,
                    max_epochs=5000)
        value = top_eigenvalue(net, res.theta, d.x_train, d.y_train)
        t = best_of(lambda th=res.theta: top_eigenvalue(net, th, d.x_train, d.y_train), 7)
        name = "full" if b == d.n_train else str(b)
        print(f"λ_max at the B = {name} end point ({value:.4g}): {t * 1e3:.0f} ms (goal ≤ 1 s)")


def bench_study() -> None:
    args = argparse.Namespace(
        data="digits", hidden="32", activation="tanh", optimizer="momentum", lr=0.1,
        momentum=0.9, loss="cross_entropy", batch_sizes="16,full", seeds=3, split_seed=0,
        until_loss=0.02, max_epochs=None, epochs=None, updates=None, same_updates=False,
        sharpness_every=None, save=None, json=None)
    t0 = time.perf_counter()
    doc = network_study(args).doc
    total = time.perf_counter() - t0
    train_s = sum(r["seconds"] for r in doc["runs"])
    print(f"2 batch sizes (16, full) x 3 seeds to L <= 0.02, with λ_max, ε-sharpness and the "
          f"interpolation: {total:.1f} s (training {train_s:.1f} s) (goal ≤ 60 s)")


def main() -> None:
    with threadpool_limits(limits=1, user_api="blas"):
        bench_epoch("1 BLAS thread")
        bench_eigen()
        bench_study()
    bench_epoch("default BLAS threads")


if __name__ == "__main__":
    main()
