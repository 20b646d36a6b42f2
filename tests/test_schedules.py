"""Learning-rate schedules: torch's closed forms bit for bit, validation naming key and range."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from core.schedules import CONSTANT, SCHEDULES, Schedule, make_schedule

REFERENCE = Path(__file__).parent / "data" / "schedule_reference.json"


def _cases() -> list[dict]:
    return json.loads(REFERENCE.read_text())["cases"]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["label"])
def test_rates_equal_torch_closed_forms_bit_for_bit(case):
    s = make_schedule(case["kind"], **case["params"])
    ours = s.rates(case["lr"], len(case["lrs"]))
    assert ours.tolist() == case["lrs"]
    assert [s(case["lr"], t) for t in range(len(case["lrs"]))] == case["lrs"]


def test_reference_covers_every_schedule():
    assert {c["kind"] for c in _cases()} == set(SCHEDULES)


def test_hand_computed_values():
    eta = 0.1
    assert make_schedule("step", step_size=3, gamma=0.5).rates(eta, 7).tolist() == [
        0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]
    assert make_schedule("exponential", gamma=0.5)(eta, 3) == 0.1 * 0.5**3
    cos = make_schedule("cosine", t_max=4, eta_min=0.0)
    assert cos(eta, 0) == eta and cos(eta, 4) == 0.0 and math.isclose(cos(eta, 2), 0.05)
    warm = make_schedule("warmup_cosine", warmup=4, start_factor=0.25, t_max=10, eta_min=0.01)
    assert warm(eta, 0) == 0.025 and math.isclose(warm(eta, 2), 0.0625)
    assert warm(eta, 4) == eta and math.isclose(warm(eta, 14), 0.01)
    assert CONSTANT(eta, 123) == eta and CONSTANT.is_constant


@pytest.mark.parametrize("kind, params, message", [
    ("linear", {}, "kind: must be one of constant, step, exponential, cosine, warmup_cosine "
                   "(got 'linear')"),
    ("cosine", {"t_max": 0}, "t_max: must be an integer >= 1 (got 0)"),
    ("cosine", {"t_max": 2.5}, "t_max: must be an integer >= 1 (got 2.5)"),
    ("cosine", {"eta_min": -1.0}, "eta_min: must be >= 0 (got -1.0)"),
    ("cosine", {"eta_min": math.nan}, "eta_min: must be >= 0 (got nan)"),
    ("step", {"gamma": 0.0}, "gamma: must be in (0, 1] (got 0.0)"),
    ("step", {"gamma": True}, "gamma: must be in (0, 1] (got True)"),
    ("exponential", {"gamma": "0.5"}, "gamma: must be in (0, 1] (got '0.5')"),
    ("warmup_cosine", {"start_factor": 0}, "start_factor: must be in (0, 1] (got 0)"),
    ("step", {"t_max": 3}, "t_max: not a parameter of the step schedule (allowed: gamma, "
                           "step_size)"),
    ("constant", {"gamma": 3}, "gamma: not a parameter of the constant schedule (allowed: none)"),
])
def test_validation_names_key_and_range(kind, params, message):
    with pytest.raises(ValueError) as err:
        make_schedule(kind, **params)
    assert str(err.value) == message


def test_defaults_equality_and_round_trip():
    s = make_schedule("cosine", t_max=50)
    assert s == Schedule("cosine", {"t_max": 50, "eta_min": 0.0}) and hash(s) == hash(
        make_schedule("cosine", t_max=50, eta_min=0.0))
    assert make_schedule(**s.to_dict()) == s
    for kind, info in SCHEDULES.items():
        rates = make_schedule(kind).rates(0.5, 300)
        assert rates.dtype == np.float64 and np.all(np.isfinite(rates)) and np.all(rates >= 0)
        assert info.torch and info.formula


def test_sample_draws_at_most_points_with_the_closed_form():
    s = make_schedule("cosine", t_max=1000)
    t, eta = s.sample(0.1, 1_000_000)
    assert len(t) == 512 and t[0] == 0 and t[-1] == 999_999 and np.all(np.diff(t) > 0)
    assert eta.tolist() == [s(0.1, int(k)) for k in t]
    t, eta = s.sample(0.1, 5)
    assert t.tolist() == [0, 1, 2, 3, 4] and eta.tolist() == s.rates(0.1, 5).tolist()
    assert s.sample(0.1, 0)[0].size == 0
