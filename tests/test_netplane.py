"""The network's comparison as a core function (progress, cancel, verdict), the lesson's
``[network]`` settings, and the plane through parameter space (core/netplane.py)."""

from __future__ import annotations

import numpy as np
import pytest

from core import scenario as sc
from core.basins import Cancelled
from core.netcli import compare, stability_threshold, verdict
from core.netplane import endpoint_plane, grid_range, loss_grid, pca_plane, project
from core.netsettings import NetworkSettings, from_table, to_table


def tiny_settings(**kw) -> NetworkSettings:
    base = {"hidden": "8", "batch_sizes": "64,full", "seeds": 2, "stop": "updates",
            "stop_value": 12, "path_every": 3, "lr": 0.1}
    return NetworkSettings(**(base | kw))


@pytest.fixture(scope="module")
def tiny_run():
    reports: list[tuple[float, str]] = []
    res = compare(tiny_settings().to_args(), report=lambda f, t: reports.append((f, t)),
                  path_every=3)
    return res, reports


def test_compare_reports_progress_and_keeps_paths(tiny_run):
    res, reports = tiny_run
    fr = [f for f, _ in reports]
    assert fr == sorted(fr) or all(0.0 <= f <= 1.0 for f in fr)
    assert all(0.0 <= f <= 1.0 for f in fr) and fr[-1] == 1.0
    assert any("B = 64, seed 1" in str(t) for _, t in reports)  # (core.texts.Text)
    n = res.data.n_train
    assert set(res.ends) == {(64, 0), (64, 1), (n, 0), (n, 1)}
    path = res.paths[(64, 0)]
    assert [t for t, _ in path] == [0, 3, 6, 9, 12]
    np.testing.assert_array_equal(path[-1][1], res.ends[(64, 0)])
    assert res.batches_per_epoch[64] == -(-n // 64)
    assert len(res.doc["runs"]) == 4 and res.doc["interpolation"] is not None


def test_compare_cancels():
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    with pytest.raises(Cancelled):
        compare(tiny_settings(stop="epochs", stop_value=50).to_args(), should_stop=stop)


def test_verdict_is_computed_from_the_numbers(tiny_run):
    doc = tiny_run[0].doc
    lines = verdict(doc)
    s = doc["summary"]
    assert any(f"{s[0]['sharpness']['mean']:.3g}" in line for line in lines)
    acc = f"{s[0]['test_accuracy']['mean']:.3f} vs {s[-1]['test_accuracy']['mean']:.3f}"
    assert any(acc in line for line in lines)


def test_stability_threshold():
    assert stability_threshold("gd", {"lr": 0.1}) == pytest.approx(20.0)
    assert stability_threshold("momentum", {"lr": 0.1, "momentum": 0.9}) == pytest.approx(38.0)
    assert stability_threshold("adam", {"lr": 0.1}) is None


def test_network_settings_table_round_trip_and_errors():
    s = tiny_settings(sharpness_every=5)
    assert from_table(to_table(s)) == s
    with pytest.raises(ValueError, match=r"network\.lr"):
        NetworkSettings(lr=-1.0)
    with pytest.raises(ValueError, match="unknown key 'bogus'"):
        from_table({"bogus": 1})
    with pytest.raises(ValueError, match=r"network\.stop"):
        NetworkSettings(stop="forever")


def test_scenario_network_table_validated_and_round_trips():
    text = ('[network]\nhidden = "8"\nbatch_sizes = "32,full"\nseeds = 2\n'
            'stop = "updates"\nstop_value = 10\n')
    s = sc.loads(text)
    assert s.network is not None and s.network.hidden == "8"
    assert sc.loads(sc.dumps(s)) == s
    with pytest.raises(sc.ScenarioError, match=r"network\.seeds"):
        sc.loads("[network]\nseeds = 0\n")


# ------------------------------------------------------------------------------ the plane


def test_pca_directions_orthonormal_and_end_point_at_origin(tiny_run):
    res = tiny_run[0]
    path = np.array([th for _, th in res.paths[(64, 0)]])
    plane = pca_plane([path], path[-1])
    d = np.stack([plane.d1, plane.d2])
    np.testing.assert_allclose(d @ d.T, np.eye(2), atol=1e-12)
    ab, dist = project(plane, path)
    np.testing.assert_array_equal(ab[-1], [0.0, 0.0])
    assert ab[0, 0] >= 0 and ab[0, 1] >= 0
    assert sum(plane.explained) <= 1 + 1e-12 and plane.explained[0] >= plane.explained[1]
    assert np.all(dist >= 0)


def test_grid_value_at_origin_is_the_end_points_loss_exactly(tiny_run):
    res = tiny_run[0]
    net, data = res.net, res.data
    path = np.array([th for _, th in res.paths[(64, 1)]])
    plane = pca_plane([path], path[-1])

    def loss(th):
        return net.loss_value(th, data.x_train, data.y_train)

    seen = []
    z = loss_grid(loss, plane, np.array([-1.0, 0.0, 1.0]), np.array([0.0, 2.0]),
                  progress=seen.append)
    assert z[1, 0] == loss(path[-1])
    assert seen[-1] == 1.0
    with pytest.raises(Cancelled):
        loss_grid(loss, plane, np.zeros(3), np.zeros(3), should_stop=lambda: True)


def test_endpoint_plane_through_three_points(tiny_run):
    res = tiny_run[0]
    n = res.data.n_train
    start = res.paths[(64, 0)][0][1]
    a, b = res.ends[(64, 0)], res.ends[(n, 0)]
    plane = endpoint_plane(start, a, b)
    ab, dist = project(plane, np.stack([start, a, b]))
    np.testing.assert_allclose(ab[0], [0, 0], atol=1e-12)
    assert ab[1, 1] == pytest.approx(0.0, abs=1e-9) and ab[1, 0] > 0
    np.testing.assert_allclose(dist, 0.0, atol=1e-9)
    with pytest.raises(ValueError, match="span a plane"):
        endpoint_plane(start, a, start + 2 * (a - start))


def test_grid_range_is_square_and_covers():
    (a0, a1), (b0, b1) = grid_range(np.array([[0.0, 0.0], [4.0, 1.0]]))
    assert a1 - a0 == pytest.approx(b1 - b0)
    assert a0 < 0 < 4 < a1 and b0 < 0 < 1 < b1


def _doc(acc_small, ci_small, acc_large, ci_large):
    def c(m, h):
        return {"mean": m, "ci95": h}

    summ = [{"batch_size": b, "test_accuracy": c(a, h), "sharpness": c(s, 0.01),
             "test_loss": c(0.1, 0.01), "updates": c(100.0, 1.0)}
            for b, a, h, s in ((16, acc_small, ci_small, 0.3), (100, acc_large, ci_large, 0.8))]
    return {"data": {"n_train": 100}, "summary": summ, "runs": [],
            "protocol": {"until_loss": None}}


@pytest.mark.parametrize(("numbers", "words"), [
    ((0.98, 0.002, 0.95, 0.002), "ARE better here, as in the lecture"),
    ((0.96, 0.02, 0.95, 0.02), "slightly better here, but not clearly"),
    ((0.95, 0.002, 0.98, 0.002), "the opposite of the lecture's table"),
    ((0.969, 0.004, 0.975, 0.007), "is not seen in these numbers"),
])
def test_verdict_words_follow_the_confidence_intervals(numbers, words):
    lines = verdict(_doc(*numbers))
    assert lines[0] == "λ_max rises with B: yes (0.3 → 0.8, B = 16 → full batch)."
    assert words in lines[1]
    assert f"({numbers[0]:.3f} vs {numbers[2]:.3f}, CIs" in lines[1]


def test_train_stops_inside_an_epoch_when_asked():
    from core.network import Network, load_digits_split, train

    data = load_digits_split(0)
    net = Network((64, 8, 10))
    theta0 = net.init(np.random.default_rng(0))
    asked = {"n": 0}

    def stop() -> bool:
        asked["n"] += 1
        return asked["n"] > 5

    with pytest.raises(Cancelled):
        train(net, data.x_train, data.y_train, theta0, 1, max_epochs=1, should_stop=stop)
    assert asked["n"] == 6  # after the 5th update, long before the epoch's 1,437


def test_compute_paths_every_run_and_the_inspected_point(tiny_run):
    from core.netplane import compute_paths, path_point

    res, _ = tiny_run
    n = res.data.n_train
    one = compute_paths(res, "pca", (64, 1), 11, "seed")
    assert one.keys == [(64, 1), (n, 1)] and one.ref == (64, 1)
    d = compute_paths(res, "pca", (64, 1), 11, "all")
    assert d.keys == [(64, 0), (64, 1), (n, 0), (n, 1)] and d.batch_sizes == (64, n)
    assert [d.size_index(i) for i in range(4)] == [0, 0, 1, 1]
    assert d.path_every == 3 and d.t_max == 12 and d.steps == 5
    assert [d.index_at(t) for t in (0, 2, 3, 11, 12, 99)] == [0, 0, 1, 3, 4, 4]
    # the reference run's end point is the plane's origin; other seeds lie off the plane
    p = path_point(d, 1, 4)
    assert (p.t, p.a, p.b, p.ended) == (12, 0.0, 0.0, False) and p.distance < 1e-9
    q = path_point(d, 0, 2)
    bpe = -(-n // 64)
    assert (q.t, q.epoch, q.batch, q.per_epoch) == (6, 6 // bpe, 6 % bpe, bpe)
    assert q.distance > 1e-3
    loss, acc = res.net.evaluate(res.paths[(64, 0)][2][1], res.data.x_train, res.data.y_train)
    assert (q.loss, q.accuracy) == (loss, acc)
    _, g = res.net.loss_grad(res.paths[(64, 0)][2][1], res.data.x_train, res.data.y_train)
    assert q.gnorm == pytest.approx(np.linalg.norm(g), rel=1e-12)
    with pytest.raises(ValueError, match="runs"):
        compute_paths(res, "pca", (64, 1), 11, "some")
