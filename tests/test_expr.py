"""Tests for core.expr: safe parsing, symbolic differentiation and compiled evaluation."""

from __future__ import annotations

import ast
import copy
import math
import pickle
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from core import expr
from core.expr import (
    FUNCTIONS,
    MAX_LENGTH,
    Add,
    Const,
    Expression,
    ExpressionError,
    Func,
    Mul,
    Node,
    Pow,
    Var,
    compile_outputs,
    const,
    diff,
    free_variables,
    func,
    parse,
    simplify,
    substitute,
    to_text,
    var,
)

Array = np.ndarray

# Grid with negative and positive values, broadcast (9, 1) x (1, 7).
GX = np.linspace(-2.0, 2.0, 9)[:, None]
GY = np.linspace(-1.5, 1.7, 7)[None, :]
POS_X = np.linspace(0.1, 2.5, 9)[:, None]


def _tree_ops(node: Node) -> int:
    """Number of operations in ``node`` written out as a tree (no sharing)."""
    if not node.children:
        return 0
    return 1 + sum(_tree_ops(c) for c in node.children)


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

REFERENCE: list[tuple[str, Callable[[Array, Array], Array], Array]] = [
    ("(1 - x)**2 + 100*(y - x**2)**2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2, GX),
    (
        "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
        lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        GX,
    ),
    ("sin(x)*cos(y)", lambda x, y: np.sin(x) * np.cos(y), GX),
    ("exp(-x**2-y**2)", lambda x, y: np.exp(-(x**2) - y**2), GX),
    ("log(1+x**2)", lambda x, y: np.log(1 + x**2) + 0 * y, GX),
    ("sqrt(1+x**2+y**2)", lambda x, y: np.sqrt(1 + x**2 + y**2), GX),
    ("tanh(x*y)", lambda x, y: np.tanh(x * y), GX),
    ("abs(x)+y", lambda x, y: np.abs(x) + y, GX),
    ("x**y", lambda x, y: x**y, POS_X),
    ("-x", lambda x, y: -x + 0 * y, GX),
    ("e", lambda x, y: np.e + 0 * (x + y), GX),
    ("pi*x", lambda x, y: np.pi * x + 0 * y, GX),
    ("-x**2", lambda x, y: -(x**2) + 0 * y, GX),
    ("2**-x / 4 - y/x", lambda x, y: 2.0 ** (-x) / 4 - y / x, POS_X),
    (
        "tan(x/3) + sinh(y) - cosh(x*y/4)",
        lambda x, y: np.tan(x / 3) + np.sinh(y) - np.cosh(x * y / 4),
        GX,
    ),
    ("x**2**-1", lambda x, y: x ** (2.0**-1) + 0 * y, POS_X),
    ("+x - -y", lambda x, y: x + y, GX),
    ("1e-3*x + 2.5E+1*y", lambda x, y: 1e-3 * x + 25.0 * y, GX),
]


@pytest.mark.parametrize(("text", "reference", "xs"), REFERENCE, ids=[r[0] for r in REFERENCE])
def test_values_match_numpy(
    text: str, reference: Callable[[Array, Array], Array], xs: Array
) -> None:
    f = Expression(text)
    got = f.value(xs, GY)
    want = np.broadcast_to(reference(xs, GY), (xs.shape[0], GY.shape[1]))
    assert got.shape == want.shape
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-13)


def test_rosenbrock_gradient_and_hessian_closed_form() -> None:
    f = Expression("(1 - x)**2 + 100*(y - x**2)**2")
    x, y = GX, GY
    g = f.grad(x, y)
    h = f.hess(x, y)
    assert g.shape == (9, 7, 2)
    assert h.shape == (9, 7, 2, 2)
    gx = -2 * (1 - x) - 400 * x * (y - x**2)
    np.testing.assert_allclose(g[..., 0], gx, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(g[..., 1], np.broadcast_to(200 * (y - x**2), (9, 7)), rtol=1e-13)
    hxx = 2 - 400 * (y - x**2) + 800 * x**2
    np.testing.assert_allclose(h[..., 0, 0], hxx, rtol=1e-13, atol=1e-11)
    np.testing.assert_allclose(h[..., 0, 1], np.broadcast_to(-400 * x, (9, 7)), rtol=1e-13)
    np.testing.assert_array_equal(h[..., 0, 1], h[..., 1, 0])
    np.testing.assert_array_equal(h[..., 1, 1], np.full((9, 7), 200.0))


def test_symbolic_derivative_rules() -> None:
    x = var("x")
    cases = {
        "x**3": "3*x**2",
        "sin(x)": "cos(x)",
        "cos(x)": "-sin(x)",
        "exp(2*x)": "2*exp(2*x)",
        "log(x)": "1/x",
        "sqrt(x)": "1/(2*sqrt(x))",
        "tanh(x)": "1 - tanh(x)**2",
        "tan(x)": "1 + tan(x)**2",
        "sinh(x)": "cosh(x)",
        "cosh(x)": "sinh(x)",
        "abs(x)": "sign(x)",
        "1/x": "-(1/x/x)",
        "2**x": "0.6931471805599453*2**x",
        "x*y": "y",
        "y": "0",
        "pi": "0",
        "x": "1",
    }
    for text, want in cases.items():
        assert to_text(diff(parse(text), "x")) == want, text
    # Power rule for any exponent that does not depend on x; no log(x) appears.
    d = diff(parse("x**y"), "x")
    assert to_text(d) == "y*x**(y - 1)"
    assert "log" not in to_text(d)
    assert diff(parse("x**y"), "y") == Mul(parse("x**y"), Func("log", x))
    general = diff(parse("x**x"), "x")
    assert to_text(general) == "x**x*(log(x) + x/x)"


def test_power_rule_has_no_spurious_nan() -> None:
    # d/dx x**y at x = 0 is y*x**(y - 1) = 0, not x**y*(y/x) = 0*inf = nan.
    f = Expression("x**2 + x**y")
    assert f.grad(0.0, 2.0)[0] == 0.0
    assert f.hess(0.0, 3.0)[0, 0] == 2.0


def test_abs_derivative_uses_sign_and_sign_is_internal() -> None:
    f = Expression("abs(x - 1)")
    np.testing.assert_array_equal(f.grad(np.array([0.0, 1.0, 3.0]), 0.0)[:, 0], [-1.0, 0.0, 1.0])
    with pytest.raises(ExpressionError, match="function 'sign' is not allowed"):
        parse("sign(x)")
    assert diff(Func("sign", var("x")), "x") == const(0)


def test_mixed_partials_agree() -> None:
    for text in ["sin(x*y)*exp(x - y)", "x**y", "log(1 + x**2*y**2)/(1 + y**2)", "tanh(x/y)"]:
        f = parse(text)
        dxy = diff(diff(f, "x"), "y")
        dyx = diff(diff(f, "y"), "x")
        a, b = compile_outputs([dxy, dyx], ("x", "y"))(POS_X, GY + 2)
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-11)


# --------------------------------------------------------------------------------------------
# Tree: interning, simplification, substitution, printing
# --------------------------------------------------------------------------------------------


def test_nodes_are_hash_consed_and_immutable() -> None:
    a = parse("sin(x*y) + sin(x*y)")
    assert isinstance(a, Add)
    assert a.a is a.b
    assert parse("x*y") is Mul(Var("x"), Var("y"))
    assert Const(2) is const(2.0)
    assert Const(0.0) is not Const(-0.0)
    assert Const(math.nan) is Const(math.nan)
    assert hash(parse("x + 1")) == hash(parse("x+1"))
    assert pickle.loads(pickle.dumps(a)) is a
    assert copy.deepcopy(a) is a
    with pytest.raises(AttributeError):
        a._args = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        Add(var("x"), 1)  # type: ignore[arg-type]
    assert free_variables(parse("x*pi + sin(y)")) == {"x", "y"}
    assert repr(parse("-x + 1")) == "Add(Neg(Var('x')), Const(1.0))"


def test_interning_is_thread_safe() -> None:
    text = "(1 - x)**2 + 100*(y - x**2)**2 + sin(x*y)/(1 + exp(-x))"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: diff(parse(text), "x"), range(64)))
    assert all(r is results[0] for r in results)


def test_operator_overloading_builds_simplified_trees() -> None:
    x, y = var("x"), var("y")
    assert 0 * x + 1 * y is y
    assert x**1 is x
    assert (x - 0) / 1 is x
    minus_x = -x
    assert -minus_x is x
    assert x + -y == x - y
    assert 2 * (3 * x) is Mul(Const(6), x)
    assert (x * x) is Pow(x, Const(2))
    assert to_text(2 - x / 4 + func("sin", x) ** 2) == "2 - x/4 + sin(x)**2"
    assert func("exp", 0) is Const(1)
    with pytest.raises(ValueError, match="unknown function"):
        func("sign", x)
    with pytest.raises(TypeError):
        _ = x + "1"  # type: ignore[operator]


def test_simplify_folds_constants_without_overflow() -> None:
    start = time.perf_counter()
    assert simplify(parse("10**10**10")) is Const(math.inf)
    assert simplify(parse("9**9**9**9 - 1")) is Const(math.inf)
    assert simplify(parse("exp(1000)*2 - 1")) is Const(math.inf)
    assert math.isnan(simplify(parse("exp(1000)*0")).value)  # type: ignore[attr-defined]
    assert simplify(parse("0*x + 1*y - 0")) is var("y")
    assert simplify(parse("x*(2*3) + 0/x")) is Mul(Const(6), var("x"))
    assert math.isnan(simplify(parse("log(-1)")).value)  # type: ignore[attr-defined]
    assert simplify(parse("1/0")) is Const(math.inf)
    assert time.perf_counter() - start < 1.0


def test_substitute_builds_shifted_losses() -> None:
    f = parse("(1 - x)**2 + 100*(y - x**2)**2")
    shifted = substitute(f, {"x": var("x") - var("u"), "y": var("y") - var("v")})
    assert free_variables(shifted) == {"x", "y", "u", "v"}
    (got,) = compile_outputs([shifted], ("x", "y", "u", "v"))(GX, GY, 0.5, -0.25)
    (want,) = compile_outputs([f], ("x", "y"))(GX - 0.5, GY + 0.25)
    np.testing.assert_array_equal(got, want)
    swapped = substitute(parse("x - 2*y"), {"x": var("y"), "y": var("x")})
    assert to_text(swapped) == "y - 2*x"
    assert substitute(f, {"z": 1.0}) is f
    assert to_text(simplify(substitute(parse("x*y + y"), {"y": 0}))) == "0"


def test_to_text_is_readable() -> None:
    cases = {
        "(1 - x)**2 + 100*(y - x**2)**2": "(1 - x)**2 + 100*(y - x**2)**2",
        "((x))": "x",
        "x - (y - 1)": "x - (y - 1)",
        "(x - y) - 1": "x - y - 1",
        "x / (y * 2)": "x/(y*2)",
        "(-x)**2": "(-x)**2",
        "-x**2": "-x**2",
        "x**y**2": "x**y**2",
        "(x**y)**2": "(x**y)**2",
        "x ** -2": "x**(-2)",
        "x * -y": "x*(-y)",
        "-(x*y)": "-(x*y)",
        "2*pi*e": "2*pi*e",
        "1e-3 + 1.5e20 + 10**400": "0.001 + 1.5e+20 + 10**400",
        "--x": "-(-x)",
    }
    for text, want in cases.items():
        assert to_text(parse(text)) == want, text
    assert to_text(Const(math.inf)) == "1e999"
    assert to_text(Const(-0.0)) == "-0"
    assert to_text(Add(var("x"), Const(math.nan))) == "x + (1e999 - 1e999)"
    assert to_text(Add(var("x"), Mul(Const(-2), var("y")))) == "x + (-2*y)"


# --------------------------------------------------------------------------------------------
# Compiled programs
# --------------------------------------------------------------------------------------------


def test_cse_shares_work_across_outputs() -> None:
    f = Expression("(1 - x)**2 + 100*(y - x**2)**2")
    outputs = [f.node, *f.gradient_nodes, *(h for row in f.hessian_nodes for h in row)]
    program = compile_outputs(outputs, ("x", "y"))
    naive = sum(_tree_ops(o) for o in outputs)
    assert naive == 26
    assert program.n_instructions <= 17
    single = compile_outputs([f.node], ("x", "y"))
    assert compile_outputs([f.node, f.node], ("x", "y")).n_instructions == single.n_instructions
    a, b = compile_outputs([f.node, f.node], ("x", "y"))(GX, GY)
    assert a is not b
    np.testing.assert_array_equal(a, b)
    # sin(x*y) computed once; constant subtrees folded; dead code dropped.
    p = compile_outputs([parse("sin(x*y) + cos(2*pi) * sin(x*y)")], ("x", "y"))
    assert p.n_instructions == 4  # x*y, sin, 1.0*sin (cos(2*pi) folded), add
    assert "cos" not in p.listing()


def test_program_broadcasting_and_output_arrays() -> None:
    p = compile_outputs([parse("x*y"), parse("x"), const(2), parse("y + 1")], ("x", "y"))
    x = np.arange(4.0).reshape(4, 1)
    y = np.arange(5.0)
    outs = p(x, y)
    assert [o.shape for o in outs] == [(4, 5)] * 4
    assert all(type(o) is np.ndarray and o.dtype == np.float64 for o in outs)
    np.testing.assert_array_equal(outs[1], np.broadcast_to(x, (4, 5)))
    np.testing.assert_array_equal(outs[2], np.full((4, 5), 2.0))
    for o in outs:  # fresh, writable arrays that do not alias inputs or each other
        o[...] = -1.0
    assert x[1, 0] == 1.0
    np.testing.assert_array_equal(p(x, y)[2], np.full((4, 5), 2.0))
    scalars = p(2.0, 3)
    assert all(type(o) is np.ndarray and o.shape == () for o in scalars)
    assert [float(o) for o in scalars] == [6.0, 2.0, 2.0, 4.0]
    assert p(np.float32(2.0), np.int64(3))[0].dtype == np.float64
    with pytest.raises(TypeError, match="expected 2 arguments"):
        p(1.0)
    with pytest.raises(ValueError, match="variable 'z'"):
        compile_outputs([parse("z", ("z",))], ("x", "y"))
    (c,) = compile_outputs([parse("2*pi")], ())()
    assert c.shape == () and float(c) == 2 * math.pi


def test_square_is_bit_identical_to_product() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=1000) * 1e3
    (a, b) = compile_outputs([parse("x**2"), Mul(var("x"), var("y"))], ("x", "y"))(x, x)
    np.testing.assert_array_equal(a, b)
    assert "square" in compile_outputs([parse("x**2")], ("x",)).listing()
    # sqrt is not the same as **0.5 for negative numbers (both nan here, but keep power).
    assert "power" in compile_outputs([parse("x**0.5")], ("x",)).listing()


def test_temporary_slots_are_reused() -> None:
    text = "+".join(f"sin(x*{k})" for k in range(1, 30))
    p = compile_outputs([parse(text)], ("x",))
    assert p.n_slots < 30 + 5  # not one slot per instruction (~87)
    (v,) = p(np.array([0.3, 1.1]))
    np.testing.assert_allclose(v, sum(np.sin(np.array([0.3, 1.1]) * k) for k in range(1, 30)))


def test_hostile_numbers_give_inf_quickly_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        start = time.perf_counter()
        for text in ["10**10**10", "exp(1000)", "x**1e308", "9**9**9**9**9", "1e999 - 1e999"]:
            f = Expression(text)
            v = f.value(np.array([2.0, -3.0, 0.0]), 1.0)
            assert not np.any(np.isfinite(v[:2])), text
            f.grad(2.0, 1.0)
            f.hess(2.0, 1.0)
        assert float(Expression("10**10**10").value(0, 0)) == math.inf
        assert time.perf_counter() - start < 2.0


def test_evaluation_never_warns() -> None:
    xs = np.array([-1.0, 0.0, 1e-300, 1.0, 1e300, np.inf, -np.inf, np.nan])
    texts = [
        "log(x)",
        "1/x",
        "sqrt(x)",
        "x**-1.5",
        "exp(x)*0",
        "tan(x)",
        "x/x",
        "cosh(x)",
        "x**y",
        "abs(x)",
        "log(-x)**0.5",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text in texts:
            f = Expression(text)
            f.value(xs, xs[:, None])
            f.grad(xs, 0.5)
            f.hess(xs, -0.5)


# --------------------------------------------------------------------------------------------
# Expression wrapper
# --------------------------------------------------------------------------------------------


def test_expression_api_with_extra_variables() -> None:
    f = Expression("(x - u)**2 + 3*(y - v)**2", variables=("x", "y", "u", "v"))
    assert f.coordinates == ("x", "y")
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    g1 = f.grad(x, 0.5, 0.25, -1.0)
    g2 = f.grad(x, 0.5, u=0.25, v=-1.0)
    g3 = f.grad(v=-1.0, u=0.25, y=0.5, x=x)
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(g1, g3)
    assert g1.shape == (2, 3, 2)
    np.testing.assert_allclose(g1[..., 0], 2 * (x - 0.25))
    np.testing.assert_allclose(g1[..., 1], np.full((2, 3), 6 * 1.5))
    h = f.hess(x, 0.5, u=0.0, v=0.0)
    assert h.shape == (2, 3, 2, 2)
    np.testing.assert_array_equal(h[0, 0], [[2.0, 0.0], [0.0, 6.0]])
    assert f.value(1.0, 0.0, 0.0, 0.0).shape == ()
    with pytest.raises(TypeError, match="missing values for v"):
        f.grad(x, 0.5, u=1.0)
    with pytest.raises(TypeError, match="unknown variable 'w'"):
        f.grad(x, 0.5, 1.0, 1.0, w=1.0)
    with pytest.raises(TypeError, match="given twice"):
        f.grad(x, 0.5, 1.0, 1.0, u=1.0)
    with pytest.raises(ExpressionError):
        Expression("x + u")  # u is not a variable by default

    g = Expression.from_node(parse("x**2 + y"))
    assert g.text == "x**2 + y"
    assert repr(g) == "Expression('x**2 + y', variables=('x', 'y'))"
    with pytest.raises(ValueError, match="not in"):
        Expression.from_node(parse("u", ("u",)))
    one = Expression("t**3", variables=("t",))
    assert one.grad(2.0).shape == (1,)
    assert one.hess(np.ones(4)).shape == (4, 1, 1)


def test_variable_names_are_validated() -> None:
    for bad in [("x", "x"), ("x", "pi"), ("sin",), ("x y",), "xy"]:
        with pytest.raises((ValueError, TypeError)):
            parse("1", bad)  # type: ignore[arg-type]
    assert parse("u*v", ("u", "v")) is Mul(var("u"), var("v"))


# --------------------------------------------------------------------------------------------
# Rejected input
# --------------------------------------------------------------------------------------------

HOSTILE = [
    ("__import__('os').system('ls')", "not allowed"),
    ("__import__ (x)", "function '__import__' is not allowed"),
    ("x.__class__", "attribute access is not allowed at column 2"),
    ("(lambda: 1)()", "lambda"),
    ("[x for x in y]", "comprehensions"),
    ("x[0]", "indexing"),
    ("'a'", "strings are not allowed"),
    ("f'{x}'", "not allowed"),
    ("x if y else 1", "conditional"),
    ("x < y", "comparisons"),
    ("x and y", "boolean operators"),
    ("(a:=1)", "assignment"),
    ("sin(x, y)", "exactly one argument (got 2)"),
    ("sin()", "exactly one argument (got 0)"),
    ("sin(x=1)", "keyword arguments are not allowed at column 5"),
    ("sin(*x)", "starred arguments"),
    ("sin(**x)", "keyword arguments"),
    ("z", "unknown name 'z' at column 1"),
    ("1j", "complex numbers"),
    ("True", "boolean"),
    ("None", "not allowed"),
    ("x^2", "use ** for powers ('^' is not allowed) at column 2"),
    ("x % 2", "operator '%' is not allowed at column 3"),
    ("~x", "operator '~'"),
    ("not x", "'not' is not allowed"),
    ("x, y", "tuples"),
    ("{x}", "sets"),
    ("foo(x)", "function 'foo' is not allowed at column 1 (allowed: sin, cos"),
    ("sin", "must be called"),
    ("x(2)", "missing operator between 'x' and '('"),
    ("2x", "implicit multiplication"),
    ("1if x else 2", "missing operator between '1' and 'if' at column 2"),
    ("x y", "syntax error at column 3"),
    ("x +", "syntax error at column 4: unexpected end of expression"),
    ("(x", "syntax error"),
    ("x # comment", "comments"),
    ("x\\\n+1", "'\\' is not allowed"),
    ("x\x00", "invalid character U+0000 at column 2"),
    ("sign(x)", "function 'sign' is not allowed"),
    ("lambda: 0", "lambda"),
    ("await x", "'await' is not allowed"),
    ("(" * 1000, "too long"),
    ("x+" * 400, "too long"),
    ("x" * (MAX_LENGTH + 1), "too long (501 characters"),
    ("", "expected an expression, got an empty string"),
    ("  \t\n ", "expected an expression, got an empty string"),
    ("(" * 45 + "x" + ")" * 45, "nested too deeply (more than 40 levels) at column 41"),
    ("-" * 45 + "x", "nested too deeply"),
    ("-sin(" * 21 + "x" + ")" * 21, "nested too deeply"),
    ("x ** " * 45 + "x", "nested too deeply"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[repr(h[0][:30]) for h in HOSTILE])
def test_hostile_input_is_rejected(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    err = info.value
    assert message in str(err)
    assert "\n" not in str(err)
    assert isinstance(err, ValueError)
    if err.column is not None:
        assert f"at column {err.column}" in str(err)


def test_error_columns() -> None:
    cases = {
        "x + z": 5,
        "  x + z": 7,
        "sin(x) + foo(y)": 10,
        "x**2 ^ 3": 6,
        "(x)^(2)": 4,
        "x.real": 2,
        "x + y[0]": 6,
        "x + (y": 5,
        "x + y)": 6,
        "exp(x) + sin(y, x)": 10,
        "x +\n z": 6,
    }
    for text, column in cases.items():
        with pytest.raises(ExpressionError) as info:
            parse(text)
        assert info.value.column == column, (text, str(info.value))
    # Columns count characters, not UTF-8 bytes.
    with pytest.raises(ExpressionError) as info:
        parse("α + α + z", ("α", "β"))
    assert info.value.column == 9
    with pytest.raises(ExpressionError) as info:
        parse("β^2", ("α", "β"))
    assert info.value.column == 2


def test_limits() -> None:
    long_sum = "+".join(["x"] * 200)  # 399 characters: a chain is one nesting level
    (v,) = compile_outputs([parse(long_sum)], ("x",))(1.5)
    assert float(v) == 300.0
    parse("sin(" * 39 + "x" + ")" * 39)
    parse("(" * 40 + "x" + ")" * 40)


def test_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(expr, "MAX_NODES", 10)
    parse("x + y + 1")
    with pytest.raises(ExpressionError, match="too large"):
        parse("+".join(["x"] * 20))


def test_recursion_error_in_ast_parse_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> ast.AST:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(ast, "parse", explode)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("x")


def test_module_never_evaluates_text_and_has_no_gui_imports() -> None:
    source = Path(expr.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"eval", "exec", "compile", "__import__"}
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not any(n.split(".")[0] in {"sympy", "PySide6", "pyqtgraph"} for n in names)


# --------------------------------------------------------------------------------------------
# Property-based tests
# --------------------------------------------------------------------------------------------

VARIABLE_LEAVES = st.sampled_from(["x", "y"])
CONSTANT_LEAVES = st.sampled_from(["1", "2", "0.5", "3", "pi", "e", "1.5", "0.25"])
LEAVES = st.one_of(VARIABLE_LEAVES, VARIABLE_LEAVES, CONSTANT_LEAVES)


_KINDS = [
    "+",
    "-",
    "*",
    "/",
    "safe /",
    "** const",
    "** expr",
    "(1 + a**2)**b",
    "neg",
    "function",
    "function",
    "function",
]


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Random text from the whitelisted grammar (every construct can appear at any level)."""
    if depth >= 4 or (depth > 0 and draw(st.integers(0, 3)) == 0):
        return draw(LEAVES)
    kind = draw(st.sampled_from(_KINDS))
    a = draw(expressions(depth + 1))
    if kind == "neg":
        return f"-({a})"
    if kind == "function":
        return f"{draw(st.sampled_from(FUNCTIONS))}({a})"
    if kind == "** const":
        return f"({a})**{draw(st.sampled_from(['2', '3', '0.5', '-1', '1.5', '-2', '0']))}"
    b = draw(expressions(depth + 1))
    if kind == "safe /":
        return f"({a}) / (1 + ({b})**2)"
    if kind == "** expr":
        return f"({a})**({b})"
    if kind == "(1 + a**2)**b":
        return f"(1 + ({a})**2)**({b})"
    return f"({a}) {kind} ({b})"


EXPRESSIONS = expressions()
COORDS = st.floats(-2.0, 2.0, allow_nan=False, allow_subnormal=False)
PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def _assert_true(condition: object) -> None:
    assert condition


def _parse_or_reject(text: str) -> Expression:
    assume(len(text) <= MAX_LENGTH)
    try:
        return Expression(text)
    except ExpressionError as err:
        assume("nested too deeply" not in str(err))
        raise


def _check_derivative(
    values: Callable[[Array, Array], Array],
    derivative: Callable[[Array, Array], Array],
    x: float,
    y: float,
    strict: bool = False,
) -> None:
    """Compare ``derivative`` (shape (n, m, 2)) with finite differences of ``values`` (n, m).

    Uses central differences with steps h and h/2 and their Richardson extrapolation.  Points
    where the check would be unreliable are rejected: non-finite or huge values, steps on which
    the two difference quotients disagree (large higher derivatives), or a derivative that is
    not continuous at the scale of the step (a kink or pole close by).  With ``strict`` such
    points fail instead of being rejected.
    """
    check = _assert_true if strict else assume
    h = 1e-3
    steps = np.array([0.0, h, -h, h / 2, -h / 2])
    xs = np.concatenate([x + steps, np.full(5, x)])
    ys = np.concatenate([np.full(5, y), y + steps])
    f = values(xs, ys)
    d = derivative(xs, ys)
    check(np.all(np.isfinite(f)) and np.all(np.isfinite(d)))
    check(np.max(np.abs(f)) < 1e6 and np.max(np.abs(d)) < 1e6)
    for axis, coords in ((0, xs), (1, ys)):
        o = 5 * axis
        d0 = d[o, :, axis]
        scale = 1.0 + np.abs(d0)
        near = d[o + 1 : o + 5]
        check(np.all(np.abs(near - d[o]) <= 0.05 * (1.0 + np.abs(d[o]))))
        # For a smooth derivative the change over [-h, h] is twice that over [-h/2, h/2] up to
        # O(h**3); a jump (kink of the function) closer than h breaks that.
        jump = (d[o + 1] - d[o + 2]) - 2.0 * (d[o + 3] - d[o + 4])
        check(np.all(np.abs(jump) <= 1e-4 * (1.0 + np.abs(d[o]))))
        # A derivative whose curvature over the step is large varies on a scale below h
        # (e.g. 6·sin(π)²/y⁴ at y = 6e-8: 7e-3 at y, 1e-19 at y ± h): the difference quotients
        # cannot resolve it, whatever the derivative's size.
        bend = d[o + 1] + d[o + 2] - 2.0 * d[o]
        check(np.all(np.abs(bend) <= 1e-3 * (1.0 + np.abs(d[o]))))
        e1 = (f[o + 1] - f[o + 2]) / (coords[o + 1] - coords[o + 2])
        e2 = (f[o + 3] - f[o + 4]) / (coords[o + 3] - coords[o + 4])
        check(np.all(np.abs(e1 - e2) <= 1e-3 * scale))
        richardson = e2 + (e2 - e1) / 3.0
        # Richardson assumes smoothness; where a higher derivative has a kink (|x|**3 at 0)
        # its error is O(h) but still below the disagreement |e1 - e2|.
        tol = 1e-6 * scale + 1e-10 * (1.0 + np.abs(f[o])) + np.abs(e1 - e2)
        assert np.all(np.abs(d0 - richardson) <= tol), (axis, d0, richardson, e1, e2)


COVERAGE = [f"{name}(0.3*x + y/4 + 1.2)" for name in FUNCTIONS] + [
    "x*y - x/y + x**3*y**-2",
    "(x + 2)**(y + 1.5)",
    "2**(x*y)",
    "(1 + x**2)**y",
    "x**0.5*y**1.5",
    "abs(x - 2*y)*sin(x) - sqrt(abs(y) + 1)",
]


@pytest.mark.parametrize("text", COVERAGE)
def test_every_rule_matches_finite_differences(text: str) -> None:
    f = Expression(text)
    for x, y in [(0.7, 0.9), (1.3, 1.1), (0.4, 2.0)]:
        _check_derivative(
            lambda a, b: f.value(a, b)[:, None],
            lambda a, b: f.grad(a, b)[:, None, :],
            x,
            y,
            strict=True,
        )
        _check_derivative(f.grad, f.hess, x, y, strict=True)


@PROPERTY_SETTINGS
@given(EXPRESSIONS, COORDS, COORDS)
def test_gradient_matches_finite_differences(text: str, x: float, y: float) -> None:
    f = _parse_or_reject(text)
    _check_derivative(
        lambda a, b: f.value(a, b)[:, None], lambda a, b: f.grad(a, b)[:, None, :], x, y
    )


@PROPERTY_SETTINGS
@given(EXPRESSIONS, COORDS, COORDS)
# found by Hypothesis (2026-12-04): H_yy = 6·sin(π)²/y⁴ = 7.1e-3 is right, but varies on a
# scale far below the step h = 1e-3: such a point is rejected, not failed
@example(text="(x) + ((1 + ((y) / (sin(pi)))**2)**(-(x)))", x=1.0, y=5.960464477539063e-08)
def test_hessian_matches_finite_differences_of_gradient(text: str, x: float, y: float) -> None:
    f = _parse_or_reject(text)
    _check_derivative(f.grad, f.hess, x, y)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS, st.lists(COORDS, min_size=1, max_size=4))
def test_to_text_round_trip(text: str, points: list[float]) -> None:
    f = _parse_or_reject(text)
    printed = to_text(f.node)
    again = parse(printed)
    assert to_text(again) == printed
    x = np.array(points)
    y = x[::-1] * 0.7
    # Also derivatives, unless they contain the internal sign() (which users cannot type) or
    # exceed the limits for user text.
    outputs, round_tripped = [f.node], [again]
    for g in f.gradient_nodes:
        t = to_text(g)
        if "sign" in t:
            continue
        try:
            round_tripped.append(parse(t))
        except ExpressionError as err:
            if "too long" in str(err) or "nested too deeply" in str(err):
                continue
            raise
        outputs.append(g)
    want = compile_outputs(outputs, ("x", "y"))(x, y)
    got = compile_outputs(round_tripped, ("x", "y"))(x, y)
    for a, b in zip(want, got, strict=True):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS)
def test_simplify_preserves_values(text: str) -> None:
    f = _parse_or_reject(text)
    x = np.array([-1.3, -0.2, 0.4, 1.7])
    y = np.array([0.9, -1.1, 0.3, 1.2])
    (a,) = compile_outputs([f.node], ("x", "y"))(x, y)
    (b,) = compile_outputs([simplify(f.node)], ("x", "y"))(x, y)
    ok = np.isfinite(a) & np.isfinite(b)
    np.testing.assert_allclose(a[ok], b[ok], rtol=1e-9, atol=1e-12)


FUZZ_TOKENS = st.sampled_from(
    [
        "x",
        "y",
        "z",
        "1",
        "2.5",
        "1e3",
        "0x1f",
        "1j",
        "pi",
        "e",
        "sin",
        "foo",
        "__import__",
        "if",
        "else",
        "lambda",
        "and",
        "not",
        "for",
        "in",
        " ",
        "+",
        "-",
        "*",
        "/",
        "**",
        "^",
        "%",
        "//",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        ":",
        ":=",
        "=",
        "<",
        "'",
        '"',
        "\\",
        "#",
        "@",
        "~",
        "é",
        "\n",
        "\t",
        "\x00",
        "yield",
        "await",
        "_",
        "$",
        "?",
        "!",
        ";",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(FUZZ_TOKENS, max_size=25).map("".join), st.text(max_size=40)))
def test_arbitrary_text_either_parses_or_raises_expression_error(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            node = parse(text)
        except ExpressionError as err:
            assert str(err)
            assert "\n" not in str(err)
            return
        assert free_variables(node) <= {"x", "y"}
        compile_outputs([node], ("x", "y"))(np.array([0.5, -1.0]), 2.0)


def _in_place_matches(text: str, xs: np.ndarray, ys: np.ndarray) -> bool:
    """bind_in_place on copies of (x, y) leaves ∂f/∂x, ∂f/∂y in them, bit for bit as __call__."""
    node = parse(text, ("x", "y"))
    program = compile_outputs([diff(node, "x"), diff(node, "y")], ("x", "y"))
    if not program.in_place:
        return False
    gx, gy = program(xs, ys)
    # bound to fixed arrays (buffers for every temporary), evaluated twice: same bits
    a, b = xs.copy(), ys.copy()
    run = program.bind_in_place(a, b)
    for _ in range(2):
        a[...], b[...] = xs, ys
        with np.errstate(all="ignore"):
            run()
        np.testing.assert_array_equal(a, gx)
        np.testing.assert_array_equal(b, gy)
    return True


def test_in_place_evaluation_of_the_builtins_gradients():
    from core.surfaces import BUILTINS

    xs, ys = np.meshgrid(np.linspace(-1.7, 1.9, 7), np.linspace(-1.3, 2.1, 5))
    used = [name for name, s in BUILTINS.items()
            if not s.is_data and _in_place_matches(s.expression, xs, ys)]
    assert {"saddle", "quadratic", "rosenbrock", "himmelblau", "double_well"} <= set(used)


@given(text=EXPRESSIONS, x=COORDS, y=COORDS)
@PROPERTY_SETTINGS
def test_in_place_evaluation_gives_the_bits_of_call(text, x, y):
    _parse_or_reject(text)
    xs = np.array([[x, x + 0.25, -x], [x * 0.5, 1.0, -1.5]])
    ys = np.array([[y, -y, y + 0.5], [2.0 * y, -0.75, 0.3]])
    with np.errstate(all="ignore"):
        _in_place_matches(text, xs, ys)


def test_in_place_is_refused_when_an_input_is_still_needed():
    x, y = var("x"), var("y")
    xs, ys = np.array([[0.3, -1.2]]), np.array([[0.7, 2.0]])
    # output 0 (x·y) is computed first but x + y still reads x: x's array cannot take it
    assert not compile_outputs([x * y, x + y], ("x", "y")).in_place
    # here nothing reads x after x·y: both outputs are written over their inputs
    ok = compile_outputs([x * y, y + 1.0], ("x", "y"))
    assert ok.in_place
    a, b = xs.copy(), ys.copy()
    ok.bind_in_place(a, b)()
    np.testing.assert_array_equal(a, xs * ys)
    np.testing.assert_array_equal(b, ys + 1.0)
    # an output that is the other input, a constant, or one value for both outputs never can
    assert not compile_outputs([y, x], ("x", "y")).in_place
    with pytest.raises(ValueError, match="cannot be evaluated in place"):
        compile_outputs([y, x], ("x", "y")).bind_in_place(xs.copy(), ys.copy())
    assert not compile_outputs([x * y, x * y], ("x", "y")).in_place
    sin_sum = parse("sin(x + y)", ("x", "y"))
    assert not compile_outputs([diff(sin_sum, "x"), diff(sin_sum, "y")], ("x", "y")).in_place
    assert not compile_outputs([Const(1.0), y], ("x", "y")).in_place


# --------------------------------------------------------------------------------------------
# abs at its zeros; precision at tiny and huge arguments
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "x", "y", "hessian"),
    [
        # even-order zeros: |g| = ±g nearby, the Hessian is the limit ±H_g
        ("abs(x**2)", 0.0, 0.7, [[2.0, 0.0], [0.0, 0.0]]),
        ("abs(x**2 + y**2)", 0.0, 0.0, [[2.0, 0.0], [0.0, 2.0]]),
        ("abs(-(x - y)**2)", 0.3, 0.3, [[2.0, -2.0], [-2.0, 2.0]]),
        ("abs(3*(x - 1)**2 + (y + 2)**2)", 1.0, -2.0, [[6.0, 0.0], [0.0, 2.0]]),
        ("abs(1 - cos(x))", 0.0, 0.0, [[1.0, 0.0], [0.0, 0.0]]),
        ("abs(x**3)", 0.0, 0.0, [[0.0, 0.0], [0.0, 0.0]]),  # |x|³: (|x|³)'' = 6|x| = 0
        ("abs(x**4)", 0.0, 0.0, [[0.0, 0.0], [0.0, 0.0]]),
        # away from g = 0: the Hessian of ±g
        ("abs(x**2 - 1)", 0.3, 0.0, [[-2.0, 0.0], [0.0, 0.0]]),
        ("abs(x**2 + y**2)", 0.5, -0.4, [[2.0, 0.0], [0.0, 2.0]]),
        ("abs(x)", 0.7, 0.0, [[0.0, 0.0], [0.0, 0.0]]),
        ("abs(x*y)", 0.5, -0.3, [[0.0, -1.0], [-1.0, 0.0]]),
        ("abs(x*y)", 0.5, 0.3, [[0.0, 1.0], [1.0, 0.0]]),
        # kinks: no second derivative; 0, the mean of the one-sided values (documented)
        ("abs(x)", 0.0, 0.0, [[0.0, 0.0], [0.0, 0.0]]),
        ("abs(x + x**2)", 0.0, 0.0, [[0.0, 0.0], [0.0, 0.0]]),
        # |x·y| at 0 is not twice differentiable (along x = ±y it is ±x²): 0 (documented);
        # |x² − y²| at 0: the second derivatives along the axes, |g_xx| and |g_yy|
        ("abs(x*y)", 0.0, 0.0, [[0.0, 0.0], [0.0, 0.0]]),
        ("abs(x**2 - y**2)", 0.0, 0.0, [[2.0, 0.0], [0.0, 2.0]]),
    ],
)
def test_abs_hessian_at_and_away_from_zeros(text, x, y, hessian):
    f = Expression(text)
    np.testing.assert_allclose(f.hess(x, y), hessian, rtol=1e-15, atol=1e-15)
    assert np.array_equal(f.hess(x, y), f.hess(x, y).T)


def test_abs_gradient_is_sign_times_derivative():
    f = Expression("abs(x)")
    np.testing.assert_array_equal(f.grad(np.array([-0.7, 0.0, 0.7]), 0.0)[:, 0], [-1, 0, 1])
    # at a kink: 0, the mean of the one-sided derivatives; at a double zero the true 0
    assert Expression("abs(x + x**2)").grad(0.0, 0.0).tolist() == [0.0, 0.0]
    assert Expression("abs(x**2 + y**2)").grad(0.0, 0.0).tolist() == [0.0, 0.0]
    assert Expression("abs(x**2)").grad(-0.5, 1.0).tolist() == [-1.0, 0.0]


def test_abs_of_a_square_has_a_minimum_at_its_zero():
    """A loss |x² + y²| has its minimum at 0: the Hessian says so (it said 0, degenerate)."""
    from core.analysis import classify
    from core.problem import Problem
    from core.surfaces import custom_surface

    problem = Problem(custom_surface("abs(x**2 + 2*y**2)"), examples=1)
    a = classify(problem, (0.0, 0.0))
    assert a.kind == "minimum"
    np.testing.assert_array_equal(a.eigenvalues, [2.0, 4.0])


def test_quotient_of_a_quotient_at_a_tiny_argument():
    """(1 + e)/(1.5/x) is linear in x: its Hessian is 0 even at x = 7e−80 (was −9e63)."""
    f = Expression("(1+e)/(1.5/x)")
    for x in (7e-80, 1e-300, 1.0, 3e150):
        assert f.hess(x, 1.0).tolist() == [[0.0, 0.0], [0.0, 0.0]]
        assert f.grad(x, 1.0)[0] == pytest.approx((1 + math.e) / 1.5, rel=1e-15)
    g = Expression("3/(x/(y/x))")  # 3y/x²: ∂²/∂y² = 0
    assert g.hess(2e-70, 5e50)[1, 1] == 0.0


def test_derivatives_of_builtins_are_built_from_their_trees_unchanged():
    """The one-quotient form only rewrites chains that need it: no built-in surface."""
    from core.problem import VARIABLES
    from core.surfaces import BUILTINS

    for s in BUILTINS.values():
        node = parse(s.expression, VARIABLES if s.is_data else ("x", "y"))
        for n in (node, diff(node, "x"), diff(node, "y")):
            assert expr._one_quotient(n) is n, s.name


class _Jet:
    """f with its exact first and second partial derivatives in x and y (Fractions): forward
    second-order differentiation by the arithmetic rules, independent of :func:`diff`."""

    __slots__ = ("d", "v", "xx", "xy", "yy")

    def __init__(self, v, d=(0, 0), xx=0, xy=0, yy=0) -> None:
        self.v, self.d, self.xx, self.xy, self.yy = v, d, xx, xy, yy

    def __add__(self, o: _Jet) -> _Jet:
        return _Jet(self.v + o.v, (self.d[0] + o.d[0], self.d[1] + o.d[1]), self.xx + o.xx,
                    self.xy + o.xy, self.yy + o.yy)

    def __neg__(self) -> _Jet:
        return _Jet(-self.v, (-self.d[0], -self.d[1]), -self.xx, -self.xy, -self.yy)

    def __sub__(self, o: _Jet) -> _Jet:
        return self + -o

    def __mul__(self, o: _Jet) -> _Jet:
        (ax, ay), (bx, by) = self.d, o.d
        return _Jet(self.v * o.v, (ax * o.v + self.v * bx, ay * o.v + self.v * by),
                    self.xx * o.v + 2 * ax * bx + self.v * o.xx,
                    self.xy * o.v + ax * by + ay * bx + self.v * o.xy,
                    self.yy * o.v + 2 * ay * by + self.v * o.yy)

    def inverse(self) -> _Jet:
        """1/f: −f′/f², and 2f′f′ᵀ/f³ − f″/f²."""
        v, (dx, dy) = self.v, self.d
        return _Jet(1 / v, (-dx / v**2, -dy / v**2), 2 * dx * dx / v**3 - self.xx / v**2,
                    2 * dx * dy / v**3 - self.xy / v**2, 2 * dy * dy / v**3 - self.yy / v**2)

    def __truediv__(self, o: _Jet) -> _Jet:
        return self * o.inverse()

    def power(self, k: int) -> _Jet:
        out, base = _Jet(Fraction(1)), self if k >= 0 else self.inverse()
        for _ in range(abs(k)):
            out = out * base
        return out


def _exact_hessian(node: Node, x: Fraction, y: Fraction) -> list[list[Fraction]]:
    """The exact Hessian of a rational expression (+ − · /, integer powers) at (x, y)."""
    ops = {Add: _Jet.__add__, expr.Sub: _Jet.__sub__, Mul: _Jet.__mul__,
           expr.Div: _Jet.__truediv__}
    value: dict[Node, _Jet] = {}
    for n in expr._postorder((node,)):
        kids = [value[c] for c in n.children]
        if isinstance(n, Const):
            value[n] = _Jet(Fraction(n.value))
        elif isinstance(n, Var):
            value[n] = _Jet(x, (1, 0)) if n.name == "x" else _Jet(y, (0, 1))
        elif isinstance(n, expr.Neg):
            value[n] = -kids[0]
        elif isinstance(n, Pow):
            k = kids[1].v
            assert kids[1].d == (0, 0) and k.denominator == 1, "integer powers only"
            value[n] = kids[0].power(int(k))
        else:
            value[n] = ops[type(n)](*kids)
    j = value[node]
    return [[j.xx, j.xy], [j.xy, j.yy]]


#: Products, quotients and integer powers of x and y with quotients inside quotients: every
#: second derivative is one monomial, so it is accurate to a few ulps.
RATIONAL = [
    "(1+e)/(1.5/x)",
    "x/(y/x)",
    "(x/y)/(y/x)",
    "3/(x/(y/x))",
    "x*y/(2/(x*y))",
    "(2/x)/(3/y)",
    "1/(1/(1/x))",
    "(x**2/y)/(0.5/x)",
    "y/(x/(2/(y/x)))",
    "x**3/(1/y)",
    "(1 + pi)/(2/(x*y)) + 1/(1/y)",
    "x**-2*y",
    "(x*y)**2/(y/x)",
    "(x + 1)/(2/x)",
    "-(x/y)/(0.25/(y*y))",
]
#: |x|, |y| from 10⁻⁶⁰ to 10⁶⁰: the products of up to 5 factors stay inside the float range.
TINY_OR_HUGE = st.builds(
    lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
    st.sampled_from([-1.0, 1.0]), st.floats(1.0, 9.999), st.integers(-60, 60),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RATIONAL), TINY_OR_HUGE, TINY_OR_HUGE)
def test_hessian_at_tiny_and_huge_arguments_equals_exact_arithmetic(text, x, y):
    f = Expression(text)
    exact = _exact_hessian(f.node, Fraction(x), Fraction(y))
    try:
        want = np.array([[float(v) for v in row] for row in exact])
    except OverflowError:
        want = np.full((2, 2), np.inf)
    # only where the true second derivatives are normal floats
    assume(np.all((want == 0) | ((np.abs(want) > 1e-290) & (np.abs(want) < 1e290))))
    got = f.hess(x, y)
    assert np.all(np.abs(got - want) <= 1e-14 * np.abs(want)), (got, want)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS)
def test_one_quotient_form_preserves_values(text: str) -> None:
    f = _parse_or_reject(text)
    x = np.array([-1.3, -0.2, 0.4, 1.7])
    y = np.array([0.9, -1.1, 0.3, 1.2])
    (a,) = compile_outputs([f.node], ("x", "y"))(x, y)
    (b,) = compile_outputs([expr._one_quotient(f.node)], ("x", "y"))(x, y)
    ok = np.isfinite(a) & np.isfinite(b)
    np.testing.assert_allclose(a[ok], b[ok], rtol=1e-9, atol=1e-12)
