"""The real network (core/network.py) and the ``network`` command: data, exact derivatives,
sharpness, training with the project's optimizers and sampler, JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.network import (
    Network,
    epsilon_sharpness,
    interpolate,
    load_digits_split,
    top_eigenvalue,
    train,
)
from core.optim import OPTIMIZERS, make_optimizer
from core.sampler import BatchSchedule

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads((ROOT / "tests" / "data" / "network_reference.json").read_text())
KINDS = [(a, loss) for a in ("tanh", "relu") for loss in ("cross_entropy", "mse")]


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(0)


def tiny(activation: str, loss: str, seed: int = 1):
    """A 5 → 4 → 3 → 3 network at a random point, with 7 random examples."""
    net = Network((5, 4, 3, 3), activation, loss)
    rng = np.random.default_rng(seed)
    theta = net.init(rng) + 0.3 * rng.standard_normal(net.n_params)
    x = rng.standard_normal((7, 5))
    y = rng.integers(0, 3, 7)
    return net, theta, x, y


# -- data and model ----------------------------------------------------------------------------


def test_digits_split(digits):
    from sklearn.datasets import load_digits

    d = digits
    raw = load_digits()
    assert (d.n_train, d.n_test, d.inputs, d.classes) == (1437, 360, 64, 10)
    both = np.concatenate([d.train_indices, d.test_indices])
    assert np.array_equal(np.sort(both), np.arange(1797))
    np.testing.assert_array_equal(d.x_train, raw.data[d.train_indices] / 16.0)
    np.testing.assert_array_equal(d.y_test, raw.target[d.test_indices])
    # stratified: every class's share in the test set is within one example of 20 %
    for c in range(10):
        n_c = np.sum(raw.target == c)
        assert abs(np.sum(d.y_test == c) - 0.2 * n_c) <= 1
    again = load_digits_split(0)
    assert np.array_equal(again.train_indices, d.train_indices)
    assert not np.array_equal(load_digits_split(1).train_indices, d.train_indices)


def test_layout_and_init():
    net = Network((64, 32, 10))
    assert net.n_params == 64 * 32 + 32 + 32 * 10 + 10
    theta = net.init(np.random.default_rng(0))
    assert np.array_equal(theta, net.init(np.random.default_rng(0)))
    (w0, b0), (w1, b1) = net.unflatten(theta)
    assert w0.shape == (64, 32) and w1.shape == (32, 10)
    assert not b0.any() and not b1.any()
    assert np.shares_memory(w0, theta) and np.shares_memory(b1, theta)
    assert abs(w0.std() - 1 / 8) < 0.01 and abs(w1.std() - 1 / np.sqrt(32)) < 0.02
    with pytest.raises(ValueError, match="activation"):
        Network((3, 2), "sigmoid")
    with pytest.raises(ValueError, match="loss"):
        Network((3, 2), "tanh", "hinge")


@pytest.mark.parametrize(("activation", "loss"), KINDS)
def test_gradient_and_hvp_against_finite_differences(activation, loss):
    net, theta, x, y = tiny(activation, loss)
    value, g = net.loss_grad(theta, x, y)
    assert value == pytest.approx(net.loss_value(theta, x, y), rel=1e-15)
    h = 1e-6
    eye = np.eye(net.n_params)
    fd = np.array([(net.loss_value(theta + h * e, x, y) - net.loss_value(theta - h * e, x, y))
                   / (2 * h) for e in eye])
    np.testing.assert_allclose(g, fd, atol=1e-8)
    v = np.random.default_rng(5).standard_normal(net.n_params)
    hv = net.hvp(theta, v, x, y)
    fd_hv = (net.loss_grad(theta + h * v, x, y)[1]
             - net.loss_grad(theta - h * v, x, y)[1]) / (2 * h)
    np.testing.assert_allclose(hv, fd_hv, atol=1e-7 * max(1.0, np.abs(hv).max()))


def test_against_torch_autograd():
    x = np.array(REFERENCE["x"])
    y = np.array(REFERENCE["y"])
    assert len(REFERENCE["cases"]) == 8
    for case in REFERENCE["cases"]:
        net = Network(tuple(REFERENCE["layers"]), case["activation"], case["loss"])
        theta, v = np.array(case["theta"]), np.array(case["v"])
        value, g = net.loss_grad(theta, x, y)
        assert value == pytest.approx(case["value"], rel=1e-13)
        np.testing.assert_allclose(g, case["grad"], rtol=1e-11, atol=1e-14)
        np.testing.assert_allclose(net.hvp(theta, v, x, y), case["hvp"], rtol=1e-10, atol=1e-13)


def test_loss_definitions():
    net = Network((2, 3), "tanh", "mse")
    theta = np.arange(net.n_params, dtype=float) / 10
    x = np.array([[1.0, -1.0], [0.5, 2.0]])
    y = np.array([2, 0])
    (w, b), = net.unflatten(theta)
    o = x @ w + b
    onehot = np.eye(3)[y]
    assert net.loss_value(theta, x, y) == pytest.approx(0.5 * ((o - onehot) ** 2).sum() / 2)
    ce = Network((2, 3), "tanh", "cross_entropy")
    logp = o - np.log(np.exp(o).sum(axis=1, keepdims=True))
    assert ce.loss_value(theta, x, y) == pytest.approx(-logp[[0, 1], y].mean())


# -- sharpness ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("activation", "loss"), KINDS)
def test_top_eigenvalue_against_dense_hessian(activation, loss, digits):
    net = Network((64, 3, 10), activation, loss)
    rng = np.random.default_rng(3)
    theta = net.init(rng) + 0.2 * rng.standard_normal(net.n_params)
    x, y = digits.x_train[:150], digits.y_train[:150]
    dense = net.hessian(theta, x, y)
    # the HVPs really are symmetric: H and Hᵀ agree before symmetrizing
    cols = np.stack([net.hvp(theta, e, x, y) for e in np.eye(net.n_params)[:20]], axis=1)
    np.testing.assert_allclose(cols[:20], cols[:20].T, atol=1e-12)
    top = np.linalg.eigvalsh(dense)[-1]
    assert top_eigenvalue(net, theta, x, y) == pytest.approx(top, rel=1e-6)


def test_epsilon_sharpness():
    net, theta, x, y = tiny("tanh", "cross_entropy")
    eps = 1e-3
    phi = epsilon_sharpness(net, theta, x, y, eps=eps)
    f0 = net.loss_value(theta, x, y)
    half = eps * (np.abs(theta) + 1)
    rng = np.random.default_rng(0)
    # no corner or point of the box beats the L-BFGS-B maximum
    samples = [net.loss_value(theta + half * rng.choice([-1.0, 1.0], theta.size), x, y)
               for _ in range(200)]
    best = 100 * (max(samples) - f0) / (1 + f0)
    assert 0 < best <= phi + 1e-9
    # first order: max over the box ≈ f0 + Σ |gᵢ| half_i
    _, g = net.loss_grad(theta, x, y)
    assert phi == pytest.approx(100 * np.abs(g) @ half / (1 + f0), rel=0.05)
    assert epsilon_sharpness(net, theta, x, y, eps=5e-4) < phi


def test_sharpness_measurements_stop_mid_way_when_asked(digits):
    """ε-sharpness (L-BFGS-B) and λ_max (Lanczos) ask ``should_stop`` at every evaluation:
    the call that says stop is the last one, and Cancelled comes out of SciPy."""
    from core.cancel import Cancelled

    net = Network((64, 32, 10))
    theta = net.init(np.random.default_rng(0))
    x, y = digits.x_train, digits.y_train
    for measure in (epsilon_sharpness, top_eigenvalue):
        asked = []

        def stop(asked=asked):
            asked.append(1)
            return len(asked) >= 3

        with pytest.raises(Cancelled):
            measure(net, theta, x, y, should_stop=stop)
        assert len(asked) == 3  # stopped at the third evaluation, not at the end
        # without a stop the same measurement runs to its end (many more evaluations)
        calls = []
        measure(net, theta, x, y, should_stop=lambda calls=calls: calls.append(1) and False)
        assert len(calls) > 10


# -- training -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizers_accept_a_network_theta(name):
    theta = np.zeros((1, 50))
    opt = make_optimizer(name)
    delta, _ = opt.update(np.ones((1, 50)), opt.init(theta), theta)
    assert delta.shape == (1, 50)


def test_training_follows_the_lecture_momentum_and_the_sampler(digits):
    net = Network((64, 8, 10))
    x, y = digits.x_train, digits.y_train
    theta0 = net.init(np.random.default_rng(4))
    eta, lam, b = 0.1, 0.9, 100
    res = train(net, x, y, theta0, b, "momentum", {"lr": eta, "momentum": lam}, seed=7,
                max_updates=20)
    sched = BatchSchedule(len(y), b, seed=7)
    theta, m = theta0.copy(), np.zeros_like(theta0)
    for t in range(20):
        idx = sched.batch(t)
        _, g = net.loss_grad(theta, x[idx], y[idx])
        m = lam * m - eta * g
        theta = theta + m
    np.testing.assert_allclose(res.theta, theta, rtol=1e-12, atol=1e-14)
    assert (res.updates, res.stopped, res.batches_per_epoch) == (20, "updates", 15)
    assert res.train_loss == pytest.approx(net.loss_value(theta, x, y), rel=1e-12)


def test_stopping_rules(digits):
    net = Network((64, 8, 10))
    x, y = digits.x_train, digits.y_train
    theta0 = net.init(np.random.default_rng(0))
    hyper = {"lr": 0.1, "momentum": 0.9}
    r = train(net, x, y, theta0, 128, "momentum", hyper, until_loss=0.5, max_epochs=100)
    assert r.stopped == "until_loss" and r.train_loss <= 0.5
    assert r.loss_trace[-2][1] > 0.5 and r.updates % r.batches_per_epoch == 0
    r = train(net, x, y, theta0, 128, "momentum", hyper, max_epochs=2)
    assert (r.updates, r.epochs, r.stopped) == (24, 2.0, "epochs")
    full = train(net, x, y, theta0, len(y), "gd", {"lr": 0.5}, until_loss=1.0, max_epochs=500)
    assert full.stopped == "until_loss" and full.train_loss <= 1.0
    assert full.loss_trace[-2][1] > 1.0
    r = train(net, x, y, theta0, len(y), "gd", {"lr": 0.5}, max_updates=5, sharpness_every=2)
    assert [t for t, _ in r.sharpness_trace] == [0, 2, 4]
    assert r.sharpness_trace[0][1] == pytest.approx(top_eigenvalue(net, theta0, x, y), rel=1e-6)
    with pytest.raises(ValueError, match="target"):
        train(net, x, y, theta0, 10)


def test_interpolation_ends(digits):
    net = Network((64, 8, 10))
    a = net.init(np.random.default_rng(0))
    b = net.init(np.random.default_rng(1))
    line = interpolate(net, a, b, digits, [0.0, 1.0])
    assert line["train_loss"][0] == pytest.approx(net.loss_value(a, digits.x_train,
                                                                 digits.y_train), rel=1e-14)
    assert line["test_accuracy"][1] == net.evaluate(b, digits.x_test, digits.y_test)[1]


def test_core_never_imports_qt():
    code = ("import sys, core.network, core.netcli; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# -- the command ----------------------------------------------------------------------------------


def _strict(text: str):
    def bad(token):
        raise AssertionError(f"non-strict JSON token {token}")

    return json.loads(text, parse_constant=bad)


def test_network_command_json_weights_and_trace(tmp_path, capsys):
    from scipy import stats

    from main import cli

    out = tmp_path / "net.json"
    code = cli(["network", "--hidden", "8", "--batch-sizes", "64,full", "--seeds", "2",
                "--updates", "30", "--sharpness-every", "10", "--save", str(tmp_path / "w"),
                "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "per batch size" in printed and "along (1 − α)" in printed
    doc = _strict(out.read_text())
    d = doc["data"]
    assert (d["name"], d["input_scale"], d["n_train"], d["n_test"], d["split_seed"]) == (
        "digits", 1 / 16, 1437, 360, 0)
    assert sorted(d["train_indices"] + d["test_indices"]) == list(range(1797))
    assert doc["model"] == {"layers": [64, 8, 10], "activation": "tanh",
                            "loss": "cross_entropy", "parameters": 64 * 8 + 8 + 8 * 10 + 10}
    runs = doc["runs"]
    assert [(r["batch_size"], r["seed"]) for r in runs] == [(64, 0), (1437, 0), (64, 1),
                                                            (1437, 1)]
    data = load_digits_split(0)
    net = Network((64, 8, 10))
    for r in runs:
        assert r["updates"] == 30 and r["optimizer"] == "momentum"
        assert r["hyper"] == {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.0}
        assert [p["update"] for p in r["sharpness_trace"]] == [0, 10, 20, 30]
        with np.load(r["weights"]) as z:
            assert sorted(z.files) == ["W0", "W1", "b0", "b1"]
            assert z["W0"].shape == (64, 8) and z["W1"].shape == (8, 10)
            theta = np.concatenate([z["W0"].ravel(), z["b0"], z["W1"].ravel(), z["b1"]])
        loss, acc = net.evaluate(theta, data.x_train, data.y_train)
        assert r["train_loss"] == pytest.approx(loss, rel=1e-12)
        assert r["train_accuracy"] == acc
        assert r["sharpness"] == pytest.approx(r["sharpness_trace"][-1]["sharpness"], rel=1e-5)
        assert r["epsilon_sharpness"] > 0
    acc = [r["test_accuracy"] for r in runs if r["batch_size"] == 64]
    s = doc["summary"][0]
    assert s["batch_size"] == 64
    assert s["test_accuracy"]["mean"] == pytest.approx(np.mean(acc))
    half = stats.t.ppf(0.975, 1) * np.std(acc, ddof=1) / np.sqrt(2)
    assert s["test_accuracy"]["ci95"] == pytest.approx(half)
    line = doc["interpolation"]
    assert line["alpha"][0] == -0.5 and line["alpha"][-1] == 1.5 and len(line["alpha"]) == 21
    assert line["train_loss"][5] == pytest.approx(runs[0]["train_loss"], rel=1e-9)
    assert line["test_loss"][15] == pytest.approx(runs[1]["test_loss"], rel=1e-9)


def test_network_command_until_loss_and_same_updates(capsys):
    from main import cli

    assert cli(["network", "--hidden", "8", "--batch-sizes", "128,full", "--seeds", "1",
                "--until-loss", "1.5", "--json", "-"]) == 0
    doc = _strict(capsys.readouterr().out)
    for r in doc["runs"]:
        assert r["stopped"] == "until_loss" and r["train_loss"] <= 1.5
        assert r["weights"] is None and r["sharpness_trace"] is None
    assert cli(["network", "--hidden", "8", "--batch-sizes", "64,full", "--seeds", "1",
                "--epochs", "1", "--same-updates", "--optimizer", "gd", "--json", "-"]) == 0
    runs = _strict(capsys.readouterr().out)["runs"]
    assert [r["updates"] for r in runs] == [23, 23]  # ⌈1437/64⌉ updates for both
    assert runs[1]["epochs"] == 23 and runs[1]["hyper"] == {"lr": 0.1, "weight_decay": 0.0}


@pytest.mark.parametrize("args", [
    ["--batch-sizes", "0"],
    ["--batch-sizes", "16,x"],
    ["--batch-sizes", "16", "--hidden", "a"],
    ["--batch-sizes", "16", "--optimizer", "gd", "--momentum", "0.5"],
    ["--batch-sizes", "16", "--lr", "-1"],
    ["--batch-sizes", "16", "--momentum", "1.5"],
    ["--batch-sizes", "16", "--optimizer", "sgd"],
    ["--batch-sizes", "16", "--seeds", "0"],
    ["--batch-sizes", "16", "--epochs", "2", "--max-epochs", "3"],
    ["--batch-sizes", "16", "--until-loss", "nan"],
    ["--seeds", "2"],
])
def test_network_command_bad_arguments(args, capsys):
    from main import cli

    assert cli(["network", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("descent-lab: error:") and err.count("\n") == 1


def test_network_command_bad_save_folder_fails_before_training(tmp_path, capsys, monkeypatch):
    import core.netcli
    from main import cli

    monkeypatch.setattr(core.netcli, "train", lambda *a, **k: pytest.fail("trained"))
    afile = tmp_path / "file"
    afile.write_text("x")
    assert cli(["network", "--batch-sizes", "16", "--save", str(afile)]) == 2
    assert cli(["network", "--batch-sizes", "16", "--json", str(tmp_path / "no" / "x.json")]) == 2


def test_network_command_ctrl_c(monkeypatch, capsys):
    import core.netcli
    from main import cli

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(core.netcli, "train", interrupt)
    assert cli(["network", "--batch-sizes", "16"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_network_command_ctrl_c_inside_the_epsilon_sharpness(monkeypatch, capsys):
    """Ctrl-C while L-BFGS-B maximizes φ(ε): the interrupt comes out of SciPy at the next
    evaluation of L(θ + z) and the command exits 130 at once (the evaluations stop there)."""
    import core.netcli
    from main import cli

    calls = {"n": 0}

    def measured(*args, should_stop=None, **kwargs):
        def stop() -> bool:
            calls["n"] += 1
            if calls["n"] == 3:  # what main.py's SIGINT handler raises, mid-measurement
                raise KeyboardInterrupt
            return False

        return epsilon_sharpness(*args, should_stop=stop, **kwargs)

    monkeypatch.setattr(core.netcli, "epsilon_sharpness", measured)
    assert cli(["network", "--hidden", "8", "--batch-sizes", "64", "--seeds", "1",
                "--updates", "5"]) == 130
    assert calls["n"] == 3 and "interrupted" in capsys.readouterr().err


def test_a_diverging_run_is_reported_not_raised(capsys):
    from main import cli

    assert cli(["network", "--hidden", "8", "--batch-sizes", "64,full", "--seeds", "1",
                "--loss", "mse", "--optimizer", "gd", "--lr", "1000", "--updates", "50",
                "--sharpness-every", "10", "--json", "-"]) == 0
    doc = _strict(capsys.readouterr().out)
    for r in doc["runs"]:
        assert r["stopped"] == "diverged" and r["updates"] < 50
        assert r["sharpness"] is None and r["epsilon_sharpness"] is None
        assert r["sharpness_trace"][0]["sharpness"] > 0
