"""Scenario files: validation messages name the key and the allowed range; save → load."""

from __future__ import annotations

import pytest

from core import scenario as sc

GOOD = """
title = "t"
[surface]
name = "rosenbrock"
range = [[-2.0, 2.0], [-1.0, 3.0]]
examples = 20
noise = 0.0
seed = 0

[[runs]]
label = "momentum"
optimizer = "momentum"
lr = 0.001
momentum = 0.9
batch_size = 20
drop_last = false
start = [-1.5, 2.0]
steps = 60
seed = 0

[[runs]]
label = "adam"
optimizer = "adam"
lr = 0.01
beta1 = 0.8
beta2 = 0.99
eps = 1e-8
batch_size = "full"
start = [0.0, 0.0]
"""


def test_good_scenario():
    s = sc.loads(GOOD)
    assert s.surface.name == "rosenbrock" and s.surface.examples == 20
    m, a = s.runs
    assert m.optimizer == "momentum" and m.lr == 0.001 and m.momentum == 0.9
    assert m.start == (-1.5, 2.0) and m.steps == 60
    assert a.batch_size == 20 and a.params["beta1"] == 0.8 and a.params["beta2"] == 0.99


def test_round_trip(tmp_path):
    s = sc.loads(GOOD)
    path = tmp_path / "x.toml"
    sc.save(s, path)
    assert sc.load(path) == s
    assert sc.loads(sc.dumps(s)) == s
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_expression_scenario():
    s = sc.loads('[surface]\nexpression = "x**2 + 3*y**2"\n[[runs]]\nlr = 0.1\n')
    assert s.surface.expression == "x**2 + 3*y**2" and s.surface.name is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[surface]\nname = 'nope'", r"surface\.name: unknown surface 'nope' \(built-ins: "),
        ("[surface]\nexamples = 0", r"surface\.examples: must be in 1\.\.100000 \(got 0\)"),
        ("[surface]\nexamples = 2.5", r"surface\.examples: must be a whole number"),
        ("[surface]\nnoise = -1", r"surface\.noise: must be in \[0, 100\] \(got -1\)"),
        ("[surface]\nexpression = 'x + z'", r"surface\.expression: unknown name 'z' at column 5"),
        ("[surface]\nexpression = \"__import__('os')\"", r"surface\.expression: "),
        ("[surface]\nname = 'saddle'\nexpression = 'x'", r"either name or expression"),
        ("[surface]\nrange = [[1, 0], [0, 1]]", r"surface\.range\[0\]: xmin must be < xmax"),
        ("[surface]\nbogus = 1", r"surface: unknown key 'bogus'"),
        ("[[runs]]\nlr = -0.1", r"runs\[0\]\.lr: must be in \(0, "),
        ("[[runs]]\nlr = 'fast'", r"runs\[0\]\.lr: must be a number \(got text 'fast'\)"),
        ("[[runs]]\noptimizer = 'lbfgs'", r"runs\[0\]\.optimizer: unknown optimizer 'lbfgs'"),
        ("[[runs]]\noptimizer = 'momentum'\nmomentum = 1.0", r"runs\[0\]\.momentum: must be in"),
        ("[[runs]]\nbatch_size = 21", r"runs\[0\]\.batch_size: must be in 1\.\.20 \(N = 20\)"),
        ("[[runs]]\nbatch_size = 0", r"runs\[0\]\.batch_size"),
        ("[[runs]]\nstart = [1]", r"runs\[0\]\.start: must be a pair"),
        ("[[runs]]\nstart = [1, 'a']", r"runs\[0\]\.start\[1\]: must be a number"),
        ("[[runs]]\nsteps = -5", r"runs\[0\]\.steps: must be in 0\.\.1000000 \(got -5\)"),
        ("[[runs]]\nbeta1 = 0.9",
         r"runs\[0\]: unknown key 'beta1' for optimizer 'gd' \(it belongs to adam, adamw\)"),
        ("[[runs]]\nschedule = 3", r"runs\[0\]\.schedule: must be a table"),
        ("[[runs]]\n[runs.schedule]\nkind = 'cosine'\nt_max = 0",
         r"runs\[0\]\.schedule\.t_max: must be an integer >= 1 \(got 0\)"),
        ("[[runs]]\n[runs.schedule]\nkind = 'linear'",
         r"runs\[0\]\.schedule\.kind: must be one of constant, step, exponential"),
        ("[[runs]]\n[runs.schedule]\nkind = 'step'\nt_max = 5",
         r"runs\[0\]\.schedule\.t_max: not a parameter of the step schedule"),
        ("[[runs]]\ncolor = 'red'", r"runs\[0\]\.color: must be a colour"),
        ("[[runs]]\nlr = inf", r"runs\[0\]\.lr: must be finite"),
        ("runs = 3", r"runs: must be an array of tables"),
        ("[surface\nname = 'x'", r"invalid TOML: "),
        ("zzz = 1", r"scenario: unknown key 'zzz'"),
    ],
)
def test_errors_name_the_key(text, message):
    with pytest.raises(sc.ScenarioError, match=message) as info:
        sc.loads(text)
    assert "\n" not in str(info.value)


def test_load_errors(tmp_path):
    with pytest.raises(sc.ScenarioError, match="no such file or built-in scenario"):
        sc.load(tmp_path / "missing.toml")
    with pytest.raises(sc.ScenarioError, match="is not a file"):
        sc.load(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(sc.ScenarioError, match=r"bad\.toml: not a UTF-8 text file"):
        sc.load(bad)
    bad.write_text("[[runs]]\nlr = 0\n")
    with pytest.raises(sc.ScenarioError, match=r"^bad\.toml: runs\[0\]\.lr"):
        sc.load(bad)


def test_builtin_scenarios_all_load():
    names = sc.builtin_names()
    assert "saddle" in names
    for name in names:
        s = sc.load(name)
        assert s.runs, name
        assert s.title, name


def test_schedule_and_weight_decay_round_trip():
    text = """
[surface]
name = "saddle"
[[runs]]
optimizer = "adamw"
lr = 0.05
weight_decay = 0.02
[runs.schedule]
kind = "warmup_cosine"
warmup = 5
t_max = 50
"""
    s = sc.loads(text)
    run = s.runs[0]
    assert run.schedule.kind == "warmup_cosine" and run.schedule.params["t_max"] == 50
    assert run.params["weight_decay"] == 0.02
    assert run.lr_at(0) == 0.05 * 0.1 and run.lr_at(5) == 0.05
    again = sc.loads(sc.dumps(s))
    assert again.runs[0] == run
