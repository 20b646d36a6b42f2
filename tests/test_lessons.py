"""Every lesson's claim, asserted on the engine's numbers.

Definitions (core.basins): a run "ends in minimum j" when its final θ is within the capture
radius (¼ of the smallest distance between two critical points, at most 0.25) of minimum j of
``problem.critical_points()``; it is "stuck at the saddle" when its final θ is within the same
radius of a saddle point; it "escaped" when it is not. Where shuffling makes runs random the
claim is checked over many shuffle seeds (and, where cheap, over data seeds too).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core import lessons as core_lessons
from core import scenario as sc
from core.analysis import classify
from core.basins import Ensemble, end_labels, find_critical_points
from core.lessons import (
    LESSONS,
    end_report,
    escape_and_continue,
    lesson_names,
    load_lesson,
    momentum_sum,
    ridge_start,
    sharpness,
    trajectory_momentum_sum,
)
from core.lessons import (
    testing_loss as shifted_loss,  # not named test*: pytest would collect it
)
from core.problem import Problem
from core.run import problem_of, simulate, simulate_scenario

SEEDS = 40  # shuffle seeds for random claims (≥ 20)


def problem_with_data_seed(scenario: sc.Scenario, seed: int) -> Problem:
    s = scenario.surface
    return Problem(s.surface(), s.examples, s.noise, seed)


def ends(problem: Problem, run: sc.RunConfig, seeds=SEEDS):
    """Final labels of ``run`` over shuffle seeds 0..seeds-1 (all stepping together)."""
    starts = np.tile(run.start, (seeds, 1))
    res = Ensemble.from_config(problem, run, starts=starts, seeds=np.arange(seeds)).run(run.steps)
    return end_labels(problem, res.theta, res.diverged), res


def test_catalogue():
    assert lesson_names() == list(LESSONS)
    assert len(LESSONS) == 10
    for i, name in enumerate(LESSONS, start=1):
        s = load_lesson(i)
        assert s == load_lesson(name) == sc.load(name)
        assert s.title.startswith(f"Lesson {i}")
        assert s.lesson is not None
        for key in ("title", "text", "watch", "equation"):
            assert getattr(s.lesson, key).strip(), (name, key)
        assert s.runs and s.view is not None
        assert sc.loads(sc.dumps(s)) == s  # the files round-trip through the scenario format
    with pytest.raises(ValueError, match=r"1\.\.10"):
        load_lesson(11)
    with pytest.raises(ValueError, match="unknown lesson"):
        load_lesson("lesson11")


# -- 1. epochs and batches --------------------------------------------------------------------


def test_lesson1_epochs_and_batches():
    s = sc.load("lesson1_epochs")
    assert s.surface.examples == 20
    assert [r.batch_size for r in s.runs] == [20, 5, 1]
    problem = problem_of(s)
    for seed in range(20):
        trajs = simulate(problem, [replace(r, seed=seed) for r in s.runs])
        assert [t.schedule.batches_per_epoch for t in trajs] == [1, 4, 20]
        assert [t.epochs for t in trajs] == [10, 10, 10]  # all see the data 10 times
        for t in trajs:
            bpe = t.schedule.batches_per_epoch
            for epoch in range(3):
                batches = [t.batch(epoch * bpe + b) for b in range(bpe)]
                assert sorted(np.concatenate(batches).tolist()) == list(range(20))
            if bpe > 1:  # a new shuffle every epoch: epoch 1's batches differ from epoch 0's
                e0 = [t.batch(b).tolist() for b in range(bpe)]
                e1 = [t.batch(bpe + b).tolist() for b in range(bpe)]
                assert e0 != e1
        full, _, one = trajs
        # the full batch follows ∇L exactly; batch size 1 is scatter-shot
        np.testing.assert_array_equal(full.grad, problem.grad(full.theta[:-1]))
        g_full = problem.grad(one.theta[:-1])
        cos = np.sum(one.grad * g_full, axis=1) / (
            np.linalg.norm(one.grad, axis=1) * np.linalg.norm(g_full, axis=1))
        assert np.mean(cos) < 0.8
        assert np.all(np.diff(full.loss) < 0)  # one careful step per epoch: always downhill
        assert np.any(np.diff(one.loss) > 0)  # some single-example steps go uphill on L
        best = problem.critical_points()[0].value  # the least-squares fit
        for t in trajs:  # all three got close to it in 10 epochs
            assert t.loss[-1] - best < 0.05 * (t.loss[0] - best)


# -- 2. a saddle point --------------------------------------------------------------------------


def test_lesson2_full_batch_stalls_small_batches_escape():
    s = sc.load("lesson2_saddle")
    problem, trajs = simulate_scenario(s)
    full, *small = s.runs
    assert full.batch_size == s.surface.examples and s.view.batch_surface
    assert trajs[0].status == "saddle" and "stopped at a saddle point" in trajs[0].message
    lab, _ = ends(problem, full)
    assert np.all(lab.saddle >= 0) and np.all(lab.minimum < 0)  # full batch: in none
    for run in small:
        lab, res = ends(problem, run)
        assert np.mean(lab.minimum >= 0) >= 0.9, run.label  # measured: 100 %
        assert not res.diverged.any()


def test_lesson2_robust_over_data_seeds():
    s = sc.load("lesson2_saddle")
    full, *small = s.runs
    for data_seed in range(20):
        problem = problem_with_data_seed(s, data_seed)
        lab, _ = ends(problem, full, 2)
        assert np.all(lab.saddle >= 0), data_seed
        for run in small:
            lab, _ = ends(problem, run, 20)
            assert np.mean(lab.saddle < 0) >= 0.9, (data_seed, run.label)


# -- 3. a local minimum ------------------------------------------------------------------------


def _deep_and_shallow(problem: Problem) -> tuple[int, int]:
    minima = end_labels(problem, np.zeros((0, 2))).minima
    values = [m.value for m in minima]
    return int(np.argmin(values)), int(np.argmax(values))


def test_lesson3_momentum_rolls_over_the_hill():
    s = sc.load("lesson3_local_minimum")
    gd, mom = s.runs
    assert gd.optimizer == "gd" and mom.optimizer == "momentum" and mom.momentum == 0.9
    assert gd.lr == mom.lr
    problem, (t_gd, t_mom) = simulate_scenario(s)
    deep, shallow = _deep_and_shallow(problem)
    lab = end_labels(problem, np.array([t_gd.theta[-1], t_mom.theta[-1]]))
    assert lab.minimum.tolist() == [shallow, deep]
    # momentum crossed the hill (the saddle) although g pointed back on the way up
    saddle_x = lab.saddles[0].theta[0]
    assert np.any(t_mom.theta[:, 0] < saddle_x) and np.all(t_gd.theta[:, 0] > saddle_x)


def test_lesson3_robust_over_starts_and_data_seeds():
    s = sc.load("lesson3_local_minimum")
    starts = np.array([(x, y) for x in (1.5, 1.6, 1.7, 1.8, 1.9) for y in (-0.8, 0.0, 0.8)])
    for data_seed in range(20):
        problem = problem_with_data_seed(s, data_seed)
        deep, shallow = _deep_and_shallow(problem)
        for run, want in zip(s.runs, (shallow, deep), strict=True):
            res = Ensemble.from_config(problem, run, starts=starts).run(run.steps)
            lab = end_labels(problem, res.theta, res.diverged)
            assert np.all(lab.minimum == want), (data_seed, run.label)


# -- 4. momentum is a weighted sum of past gradients ---------------------------------------


def test_lesson4_momentum_keeps_moving_on_the_plateau():
    s = sc.load("lesson4_momentum_sum")
    _, (gd, mom) = simulate_scenario(s)
    eta = mom.config.lr
    # GD crawls: after 100 updates it is still on the plateau
    assert gd.loss[-1] > 0.99 and np.linalg.norm(gd.theta[-1] - gd.theta[0]) < 0.6
    # momentum reaches the well within 50 updates and ends in it
    assert np.argmax(mom.loss < 0.05) < 50 and mom.loss[-1] < 0.05
    # its steps grew far beyond η‖g‖ where g ≈ 0
    ratio = np.linalg.norm(mom.movement, axis=1) / (eta * np.linalg.norm(mom.grad, axis=1))
    assert ratio[:40].max() > 5
    tiny = np.linalg.norm(mom.grad, axis=1) < 0.01
    assert np.any(tiny & (np.linalg.norm(mom.movement, axis=1) > 0.1))
    for data_seed in range(20):
        p = problem_with_data_seed(s, data_seed)
        a, b = simulate(p, s.runs)
        assert a.loss[-1] > 0.99 and b.loss[-1] < 0.05, data_seed


def test_lesson4_momentum_sum_equals_recorded_movement():
    s = sc.load("lesson4_momentum_sum")
    _, (gd, mom) = simulate_scenario(s)
    for t in range(1, mom.updates + 1):
        m = trajectory_momentum_sum(mom, t)
        np.testing.assert_allclose(m.total, mom.movement[t - 1], rtol=1e-9, atol=1e-12)
        assert m.weights[-1] == -mom.config.lr  # the newest gradient: weight −η
    m3 = trajectory_momentum_sum(mom, 3)
    lam, eta = 0.9, 1.0
    np.testing.assert_allclose(
        m3.total, -lam**2 * eta * mom.grad[0] - lam * eta * mom.grad[1] - eta * mom.grad[2])
    assert m3.text().startswith("m³ = −η(λ²g⁰ + λg¹ + g²)")
    assert trajectory_momentum_sum(mom, 0).total.tolist() == [0.0, 0.0]
    # gd: λ = 0, the movement is −η g
    for t in (1, 50, 100):
        np.testing.assert_allclose(trajectory_momentum_sum(gd, t).total, gd.movement[t - 1],
                                   rtol=1e-9, atol=1e-15)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        trajectory_momentum_sum(mom, 101)
    with pytest.raises(ValueError):
        momentum_sum(np.zeros((3, 2)), 0.1, 0.9, -1)


def test_momentum_sum_rejects_other_optimizers():
    s = sc.load("lesson4_momentum_sum")
    problem = problem_of(s)
    run = replace(s.runs[1], optimizer="adam", hyper=(("lr", 0.1),), steps=3)
    (t,) = simulate(problem, [run])
    with pytest.raises(ValueError, match="only gd and momentum"):
        trajectory_momentum_sum(t, 2)


# -- 5. sharp and flat minima: batch size decides ---------------------------------------


def _canyon_and_basin(problem: Problem, points=None) -> tuple[int, int]:
    """Indices of the sharp minimum (the canyon) and the flat one (the basin) among the minima."""
    minima = end_labels(problem, np.zeros((0, 2)), points=points).minima
    sharp = [float(sharpness(problem, np.array(m.theta))) for m in minima]
    return int(np.argmax(sharp)), int(np.argmin(sharp))


def test_lesson5_full_batch_stays_in_the_canyon_batch_size_1_leaves():
    s = sc.load("lesson5_sharp_flat")
    n = s.surface.examples
    assert [r.batch_size for r in s.runs] == [n, 8, 4, 2, 1]
    assert len({(r.lr, r.start, r.steps, r.optimizer) for r in s.runs}) == 1  # one η, one start
    problem = problem_of(s)
    canyon, basin = _canyon_and_basin(problem)
    full, *_, one = s.runs
    seeds = 100
    lab_full, res_full = ends(problem, full, seeds)
    lab_one, res_one = ends(problem, one, seeds)
    assert not res_full.diverged.any() and not res_one.diverged.any()
    assert np.mean(lab_full.minimum == basin) <= 0.1  # measured: 0 %
    assert np.mean(lab_full.minimum == canyon) == 1.0
    assert np.mean(lab_one.minimum == basin) >= 0.9  # measured: 100 %


def test_lesson5_why_linear_stability_and_batch_noise():
    s = sc.load("lesson5_sharp_flat")
    problem = problem_of(s)
    canyon, basin = _canyon_and_basin(problem)
    minima = end_labels(problem, np.zeros((0, 2))).minima
    eta = s.runs[0].lr
    sizes = [16, 8, 4, 2, 1]
    th_c, th_b = np.array(minima[canyon].theta), np.array(minima[basin].theta)
    lam_c, lam_b = float(sharpness(problem, th_c)), float(sharpness(problem, th_b))
    assert eta * lam_c < 2  # GD is stable in L's canyon (measured η·λ_max = 1.57)
    assert lam_c > 20 * lam_b  # sharp and flat (31.3 against 0.98)
    # each example's canyon is sharper than L's: most single-example steps overshoot
    per_example = [np.linalg.eigvalsh(problem.hessian(th_c, np.array([i])))[-1]
                   for i in range(problem.n)]
    assert np.sum(eta * np.array(per_example) > 2) == 8  # 8 of the 16 (lesson text)
    rho = core_lessons.batch_stability(problem, th_c, eta, sizes)
    assert rho[0] == pytest.approx(np.max((1 - eta * np.linalg.eigvalsh(
        problem.hessian(th_c))) ** 2))  # the full batch: (1 − ηλ)²
    assert rho[0] < 1 < rho[-1]  # measured 0.32 and 3.46
    assert np.all(np.diff(rho) > 0)  # less stable as B falls
    assert np.all(core_lessons.batch_stability(problem, th_b, eta, sizes) < 1)
    kick = eta * core_lessons.batch_gradient_spread(problem, th_c, sizes)
    assert kick[0] == 0.0 and np.all(np.diff(kick) > 0)
    n = problem.n
    b = np.array(sizes, dtype=float)
    np.testing.assert_allclose(kick / kick[-1], np.sqrt((n - b) / (b * (n - 1))), rtol=1e-12)
    # one kick is shorter than the way to the rim (0.22 against 0.52): the instability, not a
    # single kick, carries B = 1 out
    rim = min(np.linalg.norm(th_c - np.array(p.theta))
              for p in end_labels(problem, np.zeros((0, 2))).saddles)
    assert kick[-1] < rim < 3 * kick[-1]
    # the basin's kicks are tiny (measured 0.009 against 0.22): nothing carries a run back
    kick_b = eta * core_lessons.batch_gradient_spread(problem, th_b, sizes)
    assert kick_b[-1] < 0.1 * kick[-1]


def test_lesson5_end_points_sharp_trains_lower_tests_higher():
    s = sc.load("lesson5_sharp_flat")
    problem = problem_of(s)
    canyon, basin = _canyon_and_basin(problem)
    report = end_report(problem, simulate(problem, s.runs), s.view.test_shift)
    full, one = report[0], report[-1]
    assert full.minimum == canyon and one.minimum == basin
    assert full.train_loss < one.train_loss  # the canyon is deeper in training (Keskar)
    assert full.test_loss > one.test_loss  # but higher under the shift
    assert full.rise > 0.2 > 0.05 > one.rise  # measured 0.23 and 0.024
    assert full.sharpness > 20 * one.sharpness
    for e in report:
        assert e.rise == pytest.approx(e.test_loss - e.train_loss)


def test_lesson5_over_data_seeds():
    """The claim on other draws of the 16 offsets, 100 shuffle seeds each: it holds for 8 of
    data seeds 0–9 (measured; on seeds 1 and 7 B = 1 stays in the canyon too).

    Per data seed "B = 1 ends flat" means in ≥ 80 % of the shuffle seeds here (the lesson's own
    seed asserts ≥ 90 %, measured 100 %): the walk is chaotic, so which shuffle seeds escape
    depends on the last bits of exp, which NumPy computes differently with and without AVX-512
    (data seed 5: 92 % with, 85 % without)."""
    s = sc.load("lesson5_sharp_flat")
    full, *_, one = s.runs
    holds = 0
    for data_seed in range(10):
        problem = problem_with_data_seed(s, data_seed)
        labels = []
        for run, seeds in ((full, 2), (one, 100)):
            starts = np.tile(run.start, (seeds, 1))
            res = Ensemble.from_config(problem, run, starts=starts,
                                       seeds=np.arange(seeds)).run(run.steps)
            labels.append((res.theta, res.diverged))
        # the minima found on this draw (the canyon moves with the offsets)
        points = find_critical_points(problem, np.concatenate([t for t, _ in labels]))
        canyon, basin = _canyon_and_basin(problem, points)
        lab_full, lab_one = (end_labels(problem, t, d, points=points).minimum
                             for t, d in labels)
        holds += bool(np.all(lab_full == canyon) and np.mean(lab_one == basin) >= 0.8)
    assert holds >= 8


def test_testing_loss_is_the_shifted_training_loss():
    s = sc.load("lesson5_sharp_flat")
    problem = problem_of(s)
    xs, ys = np.linspace(-2, 2, 7), np.linspace(-1, 1, 5)
    grid = problem.loss_grid(xs, ys, shift=(0.2, 0.1))
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    np.testing.assert_array_equal(shifted_loss(problem, np.stack([gx, gy], -1), (0.2, 0.1)),
                                  grid)
    h = problem.hessian(np.array([0.3, 0.4]))
    assert sharpness(problem, np.array([0.3, 0.4])) == pytest.approx(np.linalg.eigvalsh(h)[-1])
    assert end_report(problem, [], None) == []


# -- 6. escaping a saddle along the Hessian ------------------------------------------------


def test_lesson6_escape_along_the_eigenvector():
    s = sc.load("lesson6_hessian_escape")
    for data_seed in range(20):
        problem = problem_with_data_seed(s, data_seed)
        (t,) = simulate(problem, s.runs)
        assert t.status == "saddle"
        a = classify(problem, t.theta[-1])
        assert a.kind == "saddle" and a.eigenvalues[0] < 0 < a.eigenvalues[1]
        e = escape_and_continue(problem, t.config, t.theta[-1], distance=0.1, steps=100)
        # the step is along the eigenvector of the negative eigenvalue, downhill
        assert abs(abs(e.direction @ a.eigenvectors[:, 0]) - 1) < 1e-12
        assert problem.loss(e.escaped) < problem.loss(e.saddle)
        assert e.config.start == tuple(e.escaped) and e.config.steps == 100
        assert e.trajectory is not None
        lab = end_labels(problem, e.trajectory.theta[-1:])
        assert lab.minimum[0] >= 0, data_seed  # then gradient descent goes down to a minimum
        assert e.trajectory.loss[-1] < t.loss[-1] - 0.05


def test_escape_needs_a_saddle():
    s = sc.load("lesson6_hessian_escape")
    problem, (t,) = simulate_scenario(s)
    with pytest.raises(ValueError, match="not at a saddle"):
        escape_and_continue(problem, t.config, t.theta[10])
    with pytest.raises(ValueError, match="not at a saddle"):
        escape_and_continue(problem, t.config, (0.0, 0.938))  # a minimum
    with pytest.raises(ValueError, match="distance"):
        escape_and_continue(problem, t.config, t.theta[-1], distance=0.0)
    # a run that stopped just next to the saddle snaps onto it (Newton's method)
    e = escape_and_continue(problem, t.config, t.theta[-1] + 1e-4, run=False)
    assert e.trajectory is None and classify(problem, e.saddle).kind == "saddle"


# -- 7. a tiny network gets stuck --------------------------------------------------------------


def test_lesson7_tiny_network_stuck_at_the_saddle():
    s = sc.load("lesson7_tiny_network")
    problem, trajs = simulate_scenario(s)
    full, small, mom = s.runs
    assert full.batch_size == s.surface.examples and small.batch_size < full.batch_size
    assert mom.optimizer == "momentum" and mom.batch_size == full.batch_size
    saddle_loss = float(problem.loss(np.zeros(2)))
    # the full batch walks into the saddle and crawls: the loss stays at L(0) for the last
    # 100 updates
    assert np.all(np.abs(trajs[0].loss[50:] - saddle_loss) < 1e-3)
    lab, _ = ends(problem, full, 2)
    assert np.all(lab.saddle >= 0)
    for run in (small, mom):
        lab, _ = ends(problem, run)
        assert np.mean(lab.minimum >= 0) >= 0.9, run.label  # measured: 100 %


def test_lesson7_start_is_on_the_ridge():
    s = sc.load("lesson7_tiny_network")
    problem = problem_of(s)
    full = s.runs[0]
    start = ridge_start(problem, full, (0.3, -0.2), (0.2, -0.3), steps=1500)
    np.testing.assert_allclose(start, full.start, atol=1e-12)
    # on other data the ridge moves, and the claim holds from the ridge there too
    for data_seed in (1, 2):
        p = problem_with_data_seed(s, data_seed)
        st = tuple(ridge_start(p, full, (0.3, -0.2), (0.2, -0.3), steps=1500))
        lab, _ = ends(p, replace(full, start=st), 2)
        assert np.all(lab.saddle >= 0), data_seed
        for run in s.runs[1:]:
            lab, _ = ends(p, replace(run, start=st), 20)
            assert np.mean(lab.minimum >= 0) >= 0.9, (data_seed, run.label)
    with pytest.raises(ValueError, match="different minima"):
        ridge_start(problem, full, (0.5, 0.5), (0.6, 0.6), steps=200)


# -- 8. η·λ_max < 2 -------------------------------------------------------------------------------


def test_lesson8_eta_above_two_over_lambda_max_grows_along_the_top_eigenvector():
    s = sc.load("lesson8_learning_rate")
    problem, (under, over, scheduled) = simulate_scenario(s)
    h = problem.hessian(np.array([[0.3, -0.2]]))[0]
    lam, vec = np.linalg.eigh(h)
    top = vec[:, 1]
    lam_max = float(lam[1])
    assert under.config.lr * lam_max < 2 < over.config.lr * lam_max
    # the minimum: one Newton step is exact on a quadratic
    theta_star = -np.linalg.solve(h, problem.grad(np.zeros((1, 2)))[0])
    assert np.linalg.norm(problem.grad(theta_star[None])[0]) < 1e-12
    along_top = (over.theta - theta_star) @ top
    along_other = (over.theta - theta_star) @ vec[:, 0]
    # |1 − ηλ_max| = 1.1: the distance along the top eigenvector grows by that factor, every
    # update, with alternating sign; along the other eigenvector the run still converges
    ratio = along_top[1:] / along_top[:-1]
    np.testing.assert_allclose(ratio, 1 - over.config.lr * lam_max, rtol=1e-9)
    assert abs(along_top[-1]) > 100 * abs(along_top[0])
    assert abs(along_other[-1]) < 1e-4
    # the run with η·λ_max < 2 converges; its zig-zag shrinks by |1 − ηλ_max| = 0.9
    steep = (under.theta - theta_star) @ top
    np.testing.assert_allclose(steep[1:30] / steep[:29], 1 - under.config.lr * lam_max,
                               rtol=1e-6)
    dist = np.linalg.norm(under.theta - theta_star, axis=1)
    assert dist[-1] < 0.01 * dist[0] and np.all(dist[10::10][1:] < dist[10::10][:-1])
    # the warm-up + cosine run: η_t ≤ 0.19 throughout, lower loss than the constant η early on
    # and settled at the end
    etas = scheduled.config.lr_values(scheduled.updates)
    assert etas.max() <= under.config.lr and etas[0] == 0.5 * under.config.lr
    assert scheduled.loss[10] < under.loss[10]
    assert np.linalg.norm(scheduled.theta[-1] - theta_star) < 0.01 * dist[0]
    assert scheduled.loss[-1] < under.loss[-1]


# -- 9, 10. a real network --------------------------------------------------------------------


def test_network_lessons_carry_valid_network_settings():
    s9 = sc.load("lesson9_real_network")
    assert s9.network is not None
    assert (s9.network.batch_sizes, s9.network.seeds, s9.network.stop,
            s9.network.stop_value) == ("16,full", 3, "until_loss", 0.02)
    s10 = sc.load("lesson10_edge_of_stability")
    n = s10.network
    assert n is not None and (n.loss, n.optimizer, n.lr) == ("mse", "gd", 0.1)
    assert n.sharpness_every and n.stop == "updates" and n.tab == "sharpness"
    # what the lesson says it runs is what it runs
    assert f"{int(n.stop_value):,} updates" in s10.description
    assert f"every {n.sharpness_every} updates" in s10.description
    # the 2-D lessons have no network table
    assert all(sc.load(name).network is None for name in LESSONS[:8])


def test_lesson10_backdrop_shows_the_networks_eta_and_edge():
    """Lesson 10's 2-D bowl runs with the network's η, so the step inspector's 2/η is the
    lesson's edge; its λ_max is the bowl's own (stated in the lesson's text), just under it."""
    from core.analysis import classify
    from core.run import simulate_scenario

    s10 = sc.load("lesson10_edge_of_stability")
    eta = s10.network.lr
    assert {r.lr for r in s10.runs} == {eta}
    problem, trajs = simulate_scenario(s10)
    for tr in trajs:
        lam_max = max(float(v) for v in classify(problem, tr.theta[-1]).eigenvalues)
        assert lam_max == pytest.approx(19.0) and eta * lam_max < 2
        assert tr.status != "diverged"
    assert f"2/η = {2 / eta:g}" in s10.lesson.text and f"λ_max = {lam_max:g}" in s10.lesson.text
    assert f"2/η = {2 / eta:g}" in s10.lesson.equation
