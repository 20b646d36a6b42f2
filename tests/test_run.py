"""Runs: stepping equals simulating, grouping does not change numbers, divergence is caught."""

from __future__ import annotations

import numpy as np
import pytest

from core.problem import Problem
from core.run import Stepper, simulate
from core.scenario import RunConfig
from core.surfaces import get_surface


def _cfg(**kw) -> RunConfig:
    base = dict(label="r", optimizer="momentum", hyper=(("lr", 0.05), ("momentum", 0.9)),
                batch_size=5, start=(1.5, 0.3), steps=60, seed=2)
    base.update(kw)
    return RunConfig(**base)


@pytest.fixture
def saddle():
    return Problem(get_surface("saddle"), examples=20, noise=0.3, seed=0)


def test_stepping_equals_simulating_bit_for_bit(saddle):
    cfg = _cfg(batch_size=6)  # 6 does not divide 20: the last batch of each epoch is smaller
    (traj,) = simulate(saddle, [cfg])
    stepper = Stepper(saddle, cfg)
    for t in range(cfg.steps):
        before, g, after = stepper.step()
        assert before.tolist() == traj.theta[t].tolist()
        assert g.tolist() == traj.grad[t].tolist()
        assert after.tolist() == traj.theta[t + 1].tolist()


def test_runs_grouped_or_alone_give_identical_numbers(saddle):
    cfgs = [_cfg(seed=s, start=(1.5, 0.1 * s), hyper=(("lr", 0.01 * (s + 1)), ("momentum", 0.5)))
            for s in range(4)]
    together = simulate(saddle, cfgs)
    for cfg, tr in zip(cfgs, together, strict=True):
        (alone,) = simulate(saddle, [cfg])
        np.testing.assert_array_equal(alone.theta, tr.theta)
        np.testing.assert_array_equal(alone.grad, tr.grad)


@pytest.mark.parametrize(("surface", "n"), [("saddle", 20), ("linreg", 100)])  # masked, gathered
def test_runs_differing_in_a_flag_step_apart_with_their_own_numbers(surface, n):
    """Runs differing only in a boolean option (RMSprop's ``centered``, Adam's ``amsgrad``)
    used to be grouped and refused ("runs grouped together disagree on …"): each now steps in
    a group of its own flag and records exactly its single-run simulation."""
    from core import scenario as sc
    from core.run import simulate_scenario

    text = f"""
[surface]
name = "{surface}"
examples = {n}
[[runs]]
optimizer = "rmsprop"
lr = 0.01
centered = false
start = [1.5, 0.3]
steps = 80
[[runs]]
optimizer = "rmsprop"
lr = 0.01
centered = true
start = [1.5, 0.3]
steps = 80
[[runs]]
optimizer = "adam"
lr = 0.05
amsgrad = false
start = [1.5, 0.3]
batch_size = 5
steps = 80
[[runs]]
optimizer = "adam"
lr = 0.05
amsgrad = true
start = [1.5, 0.3]
batch_size = 5
steps = 80
"""
    scenario = sc.loads(text)
    problem, together = simulate_scenario(scenario)
    assert len(together) == 4
    for cfg, tr in zip(scenario.runs, together, strict=True):
        (alone,) = simulate(problem, [cfg])
        np.testing.assert_array_equal(alone.theta, tr.theta)
        np.testing.assert_array_equal(alone.grad, tr.grad)
        np.testing.assert_array_equal(alone.loss, tr.loss)
        np.testing.assert_array_equal(alone.batch_loss, tr.batch_loss)
    # the flag matters: the two runs of each optimizer really took different paths
    assert together[0].theta[-1].tolist() != together[1].theta[-1].tolist()
    assert together[2].theta[-1].tolist() != together[3].theta[-1].tolist()


def test_record_contents(saddle):
    cfg = _cfg(batch_size=5, steps=12)
    (tr,) = simulate(saddle, [cfg])
    assert tr.theta.shape == (13, 2) and tr.grad.shape == (12, 2)
    assert tr.loss.shape == (13,) and tr.batch_loss.shape == (12,)
    assert tr.epoch.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    for t in range(12):
        b = tr.batch(t)
        assert len(b) == 5
        np.testing.assert_array_equal(tr.grad[t], saddle.grad(tr.theta[t], b))
        assert tr.batch_loss[t] == saddle.loss(tr.theta[t], b)
        assert tr.loss[t] == saddle.loss(tr.theta[t])
    # momentum: the movement is m, and m^{t+1} = λ m^t − η g^t
    m = tr.movement
    np.testing.assert_allclose(m[0], -0.05 * tr.grad[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(m[1:], 0.9 * m[:-1] - 0.05 * tr.grad[1:], rtol=1e-12, atol=1e-15)


def test_full_batch_gd_gradient_is_the_full_gradient(saddle):
    cfg = _cfg(optimizer="gd", hyper=(("lr", 0.1),), batch_size=20, steps=30)
    (tr,) = simulate(saddle, [cfg])
    for t in range(30):
        assert tr.grad[t].tolist() == saddle.grad(tr.theta[t]).tolist()
        assert tr.batch_loss[t] == tr.loss[t]


def test_full_batch_gd_stalls_at_saddle_minibatch_escapes(saddle):
    gd = _cfg(optimizer="gd", hyper=(("lr", 0.1),), batch_size=20, start=(1.8, 0.0), steps=300)
    sgd = _cfg(optimizer="gd", hyper=(("lr", 0.1),), batch_size=1, start=(1.8, 0.0), steps=300)
    full, small = simulate(saddle, [gd, sgd])
    assert np.linalg.norm(full.theta[-1]) < 1e-6
    assert full.status == "saddle" and "stopped at a saddle point" in full.message
    assert abs(small.theta[-1, 1]) > 0.5


def test_divergence_keeps_finite_prefix(saddle):
    cfg = _cfg(optimizer="gd", hyper=(("lr", 50.0),), batch_size=20, start=(1.5, 1.5),
               steps=200)
    ok = _cfg(optimizer="gd", hyper=(("lr", 0.05),), batch_size=20, steps=200)
    bad, good = simulate(saddle, [cfg, ok])
    assert bad.status == "diverged"
    assert "diverged at update" in bad.message and "η = 50" in bad.message
    assert 0 < bad.updates < 200
    # update t moves θᵗ to θᵗ⁺¹: the update that broke is the first one not kept
    assert f"diverged at update {bad.updates}:" in bad.message
    assert f"kept updates 0..{bad.updates - 1}" in bad.message
    assert np.all(np.isfinite(bad.theta)) and np.all(np.isfinite(bad.loss))
    assert np.all(np.isfinite(bad.grad)) and np.all(np.isfinite(bad.batch_loss))
    assert len(bad.theta) == bad.updates + 1
    assert good.status != "diverged" and good.updates == 200


def test_overflow_in_expression_is_divergence():
    from core.surfaces import custom_surface

    problem = Problem(custom_surface("exp(x**2)"), examples=2)
    cfg = _cfg(optimizer="gd", hyper=(("lr", 1.0),), batch_size=2, start=(2.0, 0.0), steps=50)
    (tr,) = simulate(problem, [cfg])
    assert tr.status == "diverged"
    assert np.all(np.isfinite(tr.theta))


def test_storage_per_update_is_small(saddle):
    """A million updates must fit in ~100 MB: measure bytes per update of the record."""
    cfg = _cfg(optimizer="gd", hyper=(("lr", 0.01),), batch_size=1, steps=20_000)
    (tr,) = simulate(saddle, [cfg])
    arrays = [tr.theta, tr.loss, tr.grad, tr.batch_loss, tr.epoch]
    per_update = sum(a.nbytes for a in arrays) / tr.updates
    assert per_update * 1_000_000 <= 100e6


def test_state_replay_matches_recorded_movement(saddle):
    cfg = _cfg(steps=600)
    (tr,) = simulate(saddle, [cfg])
    for t in (0, 1, 255, 256, 257, 599):
        state = tr.state_before(t + 1)
        np.testing.assert_allclose(state.m[0], tr.movement[t], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("surface", "n"), [("saddle", 20), ("saddle", 100), ("linreg", 30),
                                            ("neuron", 100), ("rosenbrock", 7)])
def test_every_recorded_number_is_what_problem_computes(surface, n):
    """Grouped runs (masked N ≤ 64 or gathered batches, offset or data surfaces, batch sizes
    that do not divide N): g, L_b and L of every update equal Problem's, bit for bit."""
    problem = Problem(get_surface(surface), examples=n, noise=0.2, seed=1)
    (x0, x1), (y0, y1) = problem.surface.range
    start = (x0 + 0.3 * (x1 - x0), y0 + 0.6 * (y1 - y0))
    sizes = sorted({1, 3, max(1, n // 3), n})
    cfgs = [_cfg(optimizer="gd" if i % 2 else "momentum",
                 hyper=(("lr", 1e-3),) if i % 2 else (("lr", 1e-3), ("momentum", 0.8)),
                 batch_size=b, seed=i, start=start, steps=25) for i, b in enumerate(sizes)]
    for tr in simulate(problem, cfgs):
        assert tr.updates == 25
        for t in range(tr.updates):
            b = tr.batch(t)
            assert tr.grad[t].tolist() == problem.grad(tr.theta[t], b).tolist()
            assert tr.batch_loss[t] == problem.loss(tr.theta[t], b)
            assert tr.loss[t] == problem.loss(tr.theta[t])
        assert tr.loss[-1] == problem.loss(tr.theta[-1])


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adam", "adamw"])
def test_scheduled_and_decayed_runs_step_like_they_simulate(saddle, optimizer):
    """Schedules and weight decay: grouped == alone == stepped (the window's numbers are
    run --json's), and gd steps in momentum's group with λ = 0 bit for bit."""
    from core.schedules import make_schedule

    scheds = [make_schedule("warmup_cosine", warmup=5, t_max=30), make_schedule(),
              make_schedule("step", step_size=7, gamma=0.5)]
    cfgs = [_cfg(optimizer=optimizer, seed=s, start=(1.5, 0.1 * s), schedule=scheds[s],
                 hyper=(("lr", 0.02 * (s + 1)), ("weight_decay", 0.1 * s)))
            for s in range(3)]
    if optimizer != "gd":
        cfgs.append(_cfg(optimizer="gd", schedule=scheds[0], hyper=(("lr", 0.03),)))
    together = simulate(saddle, cfgs)
    for cfg, tr in zip(cfgs, together, strict=True):
        (alone,) = simulate(saddle, [cfg])
        np.testing.assert_array_equal(alone.theta, tr.theta)
        stepper = Stepper(saddle, cfg)
        for t in range(tr.updates):
            _, g, after = stepper.step()
            assert g.tolist() == tr.grad[t].tolist()
            assert after.tolist() == tr.theta[t + 1].tolist()

def test_start_outside_the_divergence_bound_is_named_as_such(saddle):
    """A start beyond the bound (finite loss there, ≈ 3.1e6) is refused for that reason, not
    as a non-finite loss."""
    from core.run import divergence_bound

    bound = divergence_bound(saddle)
    assert bound == 2000.0
    cfg = _cfg(label="far", start=(2500.0, 0.3))
    assert np.isfinite(saddle.loss(np.array(cfg.start)))
    with pytest.raises(ValueError, match="outside the divergence bound") as err:
        simulate(saddle, [cfg])
    text = str(err.value)
    assert "'far'" in text and "(2500, 0.3)" in text and "≤ 2000" in text
    assert "not finite" not in text
    # on the bound is inside: the run starts (and diverges at once or not, but is not refused)
    (tr,) = simulate(saddle, [_cfg(start=(bound, 0.3), steps=3)])
    assert tr.theta[0].tolist() == [bound, 0.3]


def test_start_with_a_non_finite_loss_is_named_as_such():
    from core.surfaces import custom_surface

    problem = Problem(custom_surface("log(x)"), examples=2)
    cfg = _cfg(optimizer="gd", hyper=(("lr", 0.1),), batch_size=2, start=(-1.0, 0.0))
    with pytest.raises(ValueError, match=r"the loss is not finite at the start θ = \(-1, 0\)"):
        simulate(problem, [cfg])


def test_builtin_saddle_scenario_full_batch_gd_stops_with_status_saddle():
    """The default scenario: full-batch GD runs into the saddle point and stops there. That is
    not convergence: its status is ``saddle`` and the message names θ and H's eigenvalues."""
    from core import scenario as sc
    from core.analysis import classify
    from core.run import STATUSES, simulate_scenario

    problem, trajs = simulate_scenario(sc.load("saddle"))
    full = trajs[0]
    assert full.config.batch_size == problem.n and full.config.optimizer == "gd"
    assert full.status == "saddle"
    a = classify(problem, full.theta[-1])
    assert a.kind == "saddle"
    l1, l2 = a.eigenvalues
    th = full.theta[-1]
    assert f"θ = ({th[0]:.6g}, {th[1]:.6g})" in full.message
    assert f"λ₁ = {l1:.4g}, λ₂ = {l2:.4g}" in full.message
    assert all(t.status in STATUSES for t in trajs)
    assert all(t.status != "converged" for t in trajs)


def test_stopped_status_follows_the_hessian():
    """converged only at a minimum; at a maximum or a degenerate point the run is stalled."""
    from core.surfaces import custom_surface

    def stop(expression: str) -> object:
        problem = Problem(custom_surface(expression), examples=2)
        cfg = _cfg(optimizer="gd", hyper=(("lr", 0.1),), batch_size=2, start=(0.0, 0.0),
                   steps=5)
        (tr,) = simulate(problem, [cfg])
        return tr

    mini = stop("x**2 + 2*y**2")
    assert mini.status == "converged" and "stopped at a minimum θ = (0, 0)" in mini.message
    assert "λ₁ = 2, λ₂ = 4" in mini.message
    top = stop("-(x**2) - y**2")
    assert top.status == "stalled" and "a maximum θ = (0, 0)" in top.message
    flat = stop("x**4 + y**2")
    assert flat.status == "stalled" and "a degenerate critical point" in flat.message
    assert "λ₁ = 0, λ₂ = 2" in flat.message
    moving = _cfg(optimizer="gd", hyper=(("lr", 0.01),), batch_size=2, start=(1.0, 1.0),
                  steps=5)
    (tr,) = simulate(Problem(custom_surface("x**2 + y**2"), examples=2), [moving])
    assert tr.status == "ok" and tr.message == ""

@pytest.mark.parametrize("n", [1, 2, 20, 100])  # masked (N ≤ 64) and gathered batch means
def test_batch_of_another_problem_is_refused_with_a_message(n):
    """Issue 9 §2.4: a batch with indices of a larger N (a record of the problem before N was
    lowered) used to raise a bare IndexError deep in ``weights``; every batch entry point checks
    its indices in 0..N−1 and its size ≤ N."""
    p = Problem(get_surface("saddle"), examples=n, noise=0.3, seed=0)
    theta = np.array([0.5, -0.2])
    for bad in ([n], [0, n + 1], [-1], list(range(n + 1)), [], [0.5]):
        for fn in (p.loss, p.grad, p.hessian, lambda _theta, b: p.weights(b)):
            with pytest.raises(ValueError, match="batch"):
                fn(theta, bad)
        with pytest.raises(ValueError, match="batch"):
            p.loss_grid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3), batch=bad)
    ok = np.arange(n)
    assert float(p.loss(theta, ok)) == pytest.approx(float(p.loss(theta)))
    assert float(p.loss(theta, [n - 1])) == pytest.approx(float(p.example_losses(theta)[n - 1]))


def test_one_example_runs_with_every_batch_setting():
    """N = 1: batch size 1 is the full batch; larger batch sizes are refused by the schedule."""
    p = Problem(get_surface("saddle"), examples=1)
    (tr,) = simulate(p, [RunConfig(batch_size=1, steps=5, start=(0.3, 0.1))])
    assert tr.updates == 5 and list(tr.batch(4)) == [0]
    with pytest.raises(ValueError, match="batch size"):
        simulate(p, [RunConfig(batch_size=2, steps=5)])


def test_replaying_a_diverged_run_does_not_warn(saddle):
    """Found by the monkey test: the inspector replays the optimizer state of a run that
    overflowed (RMSprop's g² → inf); as in the simulation, that raises no warning."""
    from core.present import step_terms
    from core.surfaces import custom_surface

    steep = Problem(custom_surface("x**300 + y**2"), examples=4, noise=0.0, seed=0)
    cfg = _cfg(optimizer="rmsprop", hyper=(("lr", 0.01),), steps=5, start=(4.0, 0.3),
               batch_size=4)
    (tr,) = simulate(steep, [cfg])
    with np.errstate(over="ignore"):  # g is finite, g² is not
        assert np.isfinite(tr.grad[0]).all() and np.isinf(tr.grad[0] ** 2).any()
    for t in range(1, tr.updates + 1):
        step_terms(tr, t)
    assert tr.state_before(tr.updates) is not None
