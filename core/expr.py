"""Safe parsing, exact symbolic differentiation and fast evaluation of loss expressions.

User text is parsed with :func:`ast.parse` (which only builds a syntax tree and never executes
anything) and the tree is checked against a small whitelist: numbers, the allowed variables, the
constants ``pi`` and ``e``, ``+ - * / **``, unary ``+ -``, parentheses and one-argument calls of
``sin cos tan exp log sqrt tanh sinh cosh abs``.  Everything else is rejected with a one-line
:class:`ExpressionError` that says what is wrong and where (1-based column).

The result is an immutable, hash-consed expression tree (:class:`Node`): structurally equal
subtrees are the *same* object, so equality and hashing are O(1) and common subexpressions are
shared automatically.  :func:`diff` differentiates exactly, :func:`simplify` does modest algebraic
clean-up, :func:`substitute` replaces variables and :func:`to_text` prints a tree back as text that
:func:`parse` accepts.

For speed, :func:`compile_outputs` linearises any number of output trees into one instruction list
(common subexpressions shared across outputs, constant subtrees folded, dead code removed, temporary
slots reused) that a :class:`Program` evaluates with NumPy ufuncs on broadcastable arrays.

Example::

    >>> f = parse("(1 - x)**2 + 100*(y - x**2)**2")
    >>> program = compile_outputs([diff(f, "x"), diff(f, "y")], ("x", "y"))
    >>> gx, gy = program(np.array([0.0, 1.0]), 1.0)

This module is pure Python + NumPy; it must never import Qt or pyqtgraph.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import re
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar, Final, Self, TypeAlias

import numpy as np
import numpy.typing as npt

from core.texts import Text, Value, template
from core.texts import text as _text

__all__ = [
    "CONSTANTS",
    "DEFAULT_VARIABLES",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "Add",
    "Const",
    "Div",
    "Expression",
    "ExpressionError",
    "Func",
    "Mul",
    "Neg",
    "Node",
    "Pow",
    "Program",
    "Sub",
    "Var",
    "compile_outputs",
    "const",
    "diff",
    "free_variables",
    "func",
    "parse",
    "simplify",
    "substitute",
    "to_text",
    "var",
]

MAX_LENGTH: Final = 500
"""Maximum length of an expression text, in characters."""
MAX_DEPTH: Final = 40
"""Maximum nesting depth (a chain ``a + b + c`` of one left-associative operator is one level)."""
MAX_NODES: Final = 2000
"""Maximum number of syntax-tree nodes in one expression."""
DEFAULT_VARIABLES: Final[tuple[str, ...]] = ("x", "y")
"""Variables allowed in user text unless the caller says otherwise."""
FUNCTIONS: Final[tuple[str, ...]] = (
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "sqrt",
    "tanh",
    "sinh",
    "cosh",
    "abs",
)
"""Functions users may call (each takes exactly one argument)."""
CONSTANTS: Final[Mapping[str, float]] = {"pi": math.pi, "e": math.e}
"""Named constants users may write."""

_UFUNCS: Final[dict[str, np.ufunc]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "abs": np.absolute,
    # Internal only (derivative of abs); users cannot type it.
    "sign": np.sign,
}

ArrayLike: TypeAlias = npt.ArrayLike
Number: TypeAlias = float | int


# The parser's messages (core.texts: the window translates them)
_E_AT = template("{message} at column {column}{suffix}")
_E_DEEP = template("expression is nested too deeply (more than {n} levels)")
_E_LARGE = template("expression is too large (more than {n} elements)")
_E_LONG = template("expression is too long ({n} characters; the maximum is {most})")
_E_EMPTY = template("expected an expression, got an empty string")
_E_ATTRIBUTE = template("attribute access is not allowed")
_E_INDEX = template("indexing ('[...]') is not allowed")
_E_QUOTED_NOT_ALLOWED = template("'{what}' is not allowed")
_E_BOOL = template("boolean value '{value}' is not allowed")
_E_COMPLEX = template("complex numbers are not allowed")
_E_STRINGS = template("strings are not allowed")
_E_COMMENTS = template("comments ('#') are not allowed")
_E_CHARACTER = template("invalid character {code}")
_E_CALL_IT = template("function '{name}' must be called with one argument, e.g. {name}(x),")
_E_UNKNOWN = template("unknown name '{name}'")
_E_ALLOWED_NAMES = template(" (allowed names: {names})")
_E_ALLOWED = template(" (allowed: {names})")
_E_OPERATOR = template("operator '{symbol}' is not allowed")
_E_POWER = template("use ** for powers ('^' is not allowed)")
_E_BEFORE_PAREN = template("missing operator before '('")
_E_BETWEEN = template("missing operator between '{a}' and '{b}'")
_E_IMPLICIT = template(" (implicit multiplication is not supported; write {hint})")
_E_NOT_FUNCTION = template(" ('{name}' is not a function; write {name}*(...))")
_E_FUNCTION = template("function '{name}' is not allowed")
_E_KEYWORDS = template("keyword arguments are not allowed")
_E_STARRED = template("starred arguments ('*') are not allowed")
_E_ONE_ARGUMENT = template("function '{name}' takes exactly one argument (got {n})")
_E_SYNTAX = template("syntax error at column {column}: {message}")
_E_SYNTAX_INVALID = template("invalid syntax")
_E_SYNTAX_OPERATOR = template("invalid syntax (missing operator?)")
_E_SYNTAX_END = template("unexpected end of expression")
#: Python's words for the commonest syntax errors, translated too (any other stays as Python
#: writes it)
_E_PYTHON = (template("'(' was never closed"), template("unmatched ')'"),
             template("invalid decimal literal"))


class ExpressionError(ValueError):
    """An expression text was rejected.

    ``str(err)`` is the full one-line message (it includes the column when there is one);
    ``err.column`` is the 1-based column of the offending character, or ``None``;
    ``err.sentence`` the message as a :class:`core.texts.Text`.
    """

    def __init__(self, message: str | Text, column: int | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.column = column
        #: the message as a :class:`core.texts.Text` (the window translates it)
        self.sentence = message if isinstance(message, Text) else _text("{m}", m=message)


def _at(message: Text, column: int, suffix: Value = "") -> ExpressionError:
    """``message`` at ``column`` (1-based)."""
    return ExpressionError(_text(_E_AT, message=message, column=str(column), suffix=suffix),
                           column)


# --------------------------------------------------------------------------------------------
# Expression tree
# --------------------------------------------------------------------------------------------

# Precedence levels used by to_text (higher binds tighter).
_ADD, _MUL, _UNARY, _POW, _ATOM = 1, 2, 3, 4, 5

_TABLE: weakref.WeakValueDictionary[tuple[Hashable, ...], Node] = weakref.WeakValueDictionary()
_TABLE_LOCK = threading.Lock()
#: One :func:`ast.parse` at a time: CPython before 3.11.8 and 3.12.1 keeps the AST
#: constructor's recursion depth per interpreter, so parsing in two threads at once raised
#: "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905; seen here
#: with 3.11.7 in test_interning_is_thread_safe).
_PARSE_LOCK = threading.Lock()


class Node:
    """Immutable, hash-consed expression tree node.

    Nodes are interned: building a node that is structurally equal to a live node returns that
    same object.  Hence ``==`` and ``hash`` are identity based (O(1)) yet mean structural
    equality, and dictionaries keyed by nodes perform common-subexpression elimination for free.

    Arithmetic operators build simplified trees: ``var("x") * 2 + 1``.
    """

    __slots__ = ("__weakref__", "_args", "_children")

    precedence: ClassVar[int] = _ATOM
    _args: tuple[Any, ...]
    _children: tuple[Node, ...]

    @classmethod
    def _intern(
        cls, key: tuple[Hashable, ...], args: tuple[Any, ...], children: tuple[Node, ...]
    ) -> Self:
        full_key = (cls, *key)
        node = _TABLE.get(full_key)
        if node is None:
            with _TABLE_LOCK:
                node = _TABLE.get(full_key)
                if node is None:
                    node = object.__new__(cls)
                    object.__setattr__(node, "_args", args)
                    object.__setattr__(node, "_children", children)
                    _TABLE[full_key] = node
        return node  # type: ignore[return-value]

    @property
    def children(self) -> tuple[Node, ...]:
        """The operand nodes (empty for constants and variables)."""
        return self._children

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} nodes are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} nodes are immutable")

    def __reduce__(self) -> tuple[type[Node], tuple[Any, ...]]:
        return (type(self), self._args)

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def __str__(self) -> str:
        return to_text(self)

    def __repr__(self) -> str:
        memo: dict[Node, str] = {}
        for node in _postorder((self,)):
            if node._children:
                parts = [repr(a) if not isinstance(a, Node) else memo[a] for a in node._args]
            else:
                parts = [repr(a) for a in node._args]
            memo[node] = f"{type(node).__name__}({', '.join(parts)})"
        return memo[self]

    # Operator overloading builds simplified trees.
    def __add__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _add(self, o)

    def __radd__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _add(o, self)

    def __sub__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _sub(self, o)

    def __rsub__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _sub(o, self)

    def __mul__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _mul(self, o)

    def __rmul__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _mul(o, self)

    def __truediv__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _div(self, o)

    def __rtruediv__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _div(o, self)

    def __pow__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _pow(self, o)

    def __rpow__(self, other: Node | Number) -> Node:
        o = _coerce(other)
        return NotImplemented if o is None else _pow(o, self)

    def __neg__(self) -> Node:
        return _neg(self)

    def __pos__(self) -> Node:
        return self


class Const(Node):
    """A floating-point constant (any float, including inf and nan)."""

    __slots__ = ()

    def __new__(cls, value: float) -> Const:
        v = float(value)
        # float.hex() distinguishes 0.0 from -0.0 and makes nan equal to itself.
        return cls._intern((v.hex(),), (v,), ())

    @property
    def value(self) -> float:
        """The constant's value."""
        return self._args[0]  # type: ignore[no-any-return]


class Var(Node):
    """A variable, referenced by name."""

    __slots__ = ()

    def __new__(cls, name: str) -> Var:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"invalid variable name {name!r}")
        return cls._intern((name,), (name,), ())

    @property
    def name(self) -> str:
        """The variable's name."""
        return self._args[0]  # type: ignore[no-any-return]


class _Binary(Node):
    """Base class of the binary operators."""

    __slots__ = ()
    symbol: ClassVar[str] = "?"

    def __new__(cls, a: Node, b: Node) -> Self:
        _check_node(a)
        _check_node(b)
        return cls._intern((a, b), (a, b), (a, b))

    @property
    def a(self) -> Node:
        """Left operand."""
        return self._children[0]

    @property
    def b(self) -> Node:
        """Right operand."""
        return self._children[1]


class Add(_Binary):
    """``a + b``."""

    __slots__ = ()
    symbol = "+"
    precedence = _ADD


class Sub(_Binary):
    """``a - b``."""

    __slots__ = ()
    symbol = "-"
    precedence = _ADD


class Mul(_Binary):
    """``a * b``."""

    __slots__ = ()
    symbol = "*"
    precedence = _MUL


class Div(_Binary):
    """``a / b``."""

    __slots__ = ()
    symbol = "/"
    precedence = _MUL


class Pow(_Binary):
    """``a ** b``."""

    __slots__ = ()
    symbol = "**"
    precedence = _POW


class Neg(Node):
    """``-a``."""

    __slots__ = ()
    precedence = _UNARY

    def __new__(cls, a: Node) -> Neg:
        _check_node(a)
        return cls._intern((a,), (a,), (a,))

    @property
    def a(self) -> Node:
        """The operand."""
        return self._children[0]


class Func(Node):
    """``name(a)`` for a whitelisted function (plus the internal ``sign``)."""

    __slots__ = ()

    def __new__(cls, name: str, a: Node) -> Func:
        if name not in _UFUNCS:
            raise ValueError(f"unknown function {name!r}")
        _check_node(a)
        return cls._intern((name, a), (name, a), (a,))

    @property
    def name(self) -> str:
        """The function name."""
        return self._args[0]  # type: ignore[no-any-return]

    @property
    def a(self) -> Node:
        """The argument."""
        return self._children[0]


def _check_node(obj: object) -> None:
    if not isinstance(obj, Node):
        raise TypeError(f"expected a Node, got {type(obj).__name__}")


def _coerce(obj: object) -> Node | None:
    """Return ``obj`` as a node (numbers become constants) or ``None`` if impossible."""
    if isinstance(obj, Node):
        return obj
    if isinstance(obj, bool | np.bool_):
        return None
    if isinstance(obj, int | float | np.integer | np.floating):
        return Const(float(obj))
    return None


def _as_node(obj: Node | Number) -> Node:
    node = _coerce(obj)
    if node is None:
        raise TypeError(f"expected a Node or a real number, got {type(obj).__name__}")
    return node


def var(name: str) -> Var:
    """Return the variable node ``name``."""
    return Var(name)


def const(value: float) -> Const:
    """Return the constant node ``value``."""
    return Const(value)


def func(name: str, arg: Node | Number) -> Node:
    """Return the simplified call ``name(arg)`` (``name`` in :data:`FUNCTIONS`)."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r} (allowed: {', '.join(FUNCTIONS)})")
    return _func(name, _as_node(arg))


def _postorder(roots: Iterable[Node]) -> list[Node]:
    """All distinct nodes reachable from ``roots``, children before parents (iterative)."""
    order: list[Node] = []
    seen: set[Node] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root._children))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, iter(child._children)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def free_variables(node: Node) -> frozenset[str]:
    """Names of the variables that occur in ``node``."""
    return frozenset(n.name for n in _postorder((node,)) if type(n) is Var)


# --------------------------------------------------------------------------------------------
# Simplifying constructors
# --------------------------------------------------------------------------------------------

_BINARY_UFUNCS: Final[dict[type[Node], np.ufunc]] = {
    Add: np.add,
    Sub: np.subtract,
    Mul: np.multiply,
    Div: np.divide,
    Pow: np.power,
}

ZERO: Final = Const(0.0)
ONE: Final = Const(1.0)
TWO: Final = Const(2.0)


def _evaluate_constant(node: Node, values: Sequence[float]) -> float:
    """Value of ``node`` given its children's constant values, with IEEE semantics.

    Uses the same NumPy ufuncs as :class:`Program`, so folding never changes results, never
    raises and never builds huge Python integers (``10**10**10`` folds to ``inf``).
    """
    with np.errstate(all="ignore"):
        t = type(node)
        if t is Const:
            return node._args[0]  # type: ignore[no-any-return]
        if t is Neg:
            return float(np.negative(values[0]))
        if t is Func:
            return float(_UFUNCS[node._args[0]](values[0]))
        if t is Pow and values[1] == 2.0:
            return float(np.square(values[0]))
        return float(_BINARY_UFUNCS[t](values[0], values[1]))


def _fold(node_type: type[Node], *values: float) -> Const:
    with np.errstate(all="ignore"):
        if node_type is Pow and values[1] == 2.0:
            return Const(float(np.square(values[0])))
        return Const(float(_BINARY_UFUNCS[node_type](*values)))


def _is_value(node: Node, value: float) -> bool:
    return type(node) is Const and node._args[0] == value


def _negated(node: Node) -> Node | None:
    """``-node`` if that is simpler than ``node`` itself (``-a`` or ``(negative c)*a``)."""
    t = type(node)
    if t is Neg:
        return node._children[0]
    if t is Const and node._args[0] < 0.0:
        return Const(-node._args[0])
    if t is Mul and type(node._children[0]) is Const and node._children[0]._args[0] < 0.0:
        return _mul(Const(-node._children[0]._args[0]), node._children[1])
    return None


def _add(a: Node, b: Node) -> Node:
    if type(a) is Const and type(b) is Const:
        return _fold(Add, a.value, b.value)
    if _is_value(a, 0.0):
        return b
    if _is_value(b, 0.0):
        return a
    # a + (-b) == a - b and (-a) + b == b - a exactly in IEEE arithmetic.
    nb = _negated(b)
    if nb is not None:
        return _sub(a, nb)
    na = _negated(a)
    if na is not None:
        return _sub(b, na)
    return Add(a, b)


def _sub(a: Node, b: Node) -> Node:
    if type(a) is Const and type(b) is Const:
        return _fold(Sub, a.value, b.value)
    if _is_value(b, 0.0):
        return a
    if _is_value(a, 0.0):
        return _neg(b)
    nb = _negated(b)
    if nb is not None:
        return _add(a, nb)
    return Sub(a, b)


def _neg(a: Node) -> Node:
    t = type(a)
    if t is Const:
        return Const(-a._args[0])
    if t is Neg:
        return a._children[0]
    if t is Sub:
        return Sub(a._children[1], a._children[0])
    if t is Mul and type(a._children[0]) is Const:
        return Mul(Const(-a._children[0]._args[0]), a._children[1])
    return Neg(a)


def _mul(a: Node, b: Node) -> Node:
    if type(a) is Const and type(b) is Const:
        return _fold(Mul, a.value, b.value)
    if type(b) is Const:  # constants go to the left (multiplication is commutative in IEEE)
        a, b = b, a
    if type(a) is Const:
        v = a._args[0]
        if v == 0.0:
            return ZERO
        if v == 1.0:
            return b
        if v == -1.0:
            return _neg(b)
        if type(b) is Neg:
            return _mul(Const(-v), b._children[0])
        if type(b) is Mul and type(b._children[0]) is Const:
            return _mul(_fold(Mul, v, b._children[0]._args[0]), b._children[1])
        return Mul(a, b)
    if type(a) is Neg:
        return _neg(_mul(a._children[0], b))
    if type(b) is Neg:
        return _neg(_mul(a, b._children[0]))
    # Pull constant factors to the front: (2*a)*(3*b) -> 6*(a*b).
    if type(a) is Mul and type(a._children[0]) is Const:
        return _mul(a._children[0], _mul(a._children[1], b))
    if type(b) is Mul and type(b._children[0]) is Const:
        return _mul(b._children[0], _mul(a, b._children[1]))
    if a is b:
        return Pow(a, TWO)  # np.square: bit-identical to a*a
    return Mul(a, b)


def _div(a: Node, b: Node) -> Node:
    if type(a) is Const and type(b) is Const:
        return _fold(Div, a.value, b.value)
    if _is_value(a, 0.0):
        return ZERO
    if _is_value(b, 1.0):
        return a
    if _is_value(b, -1.0):
        return _neg(a)
    if type(a) is Neg:
        return _neg(_div(a._children[0], b))
    if type(b) is Neg:
        return _neg(_div(a, b._children[0]))
    return Div(a, b)


def _pow(a: Node, b: Node) -> Node:
    if type(a) is Const and type(b) is Const:
        return _fold(Pow, a.value, b.value)
    if type(b) is Const:
        v = b._args[0]
        if v == 0.0:
            return ONE
        if v == 1.0:
            return a
        if type(a) is Neg and v % 2.0 == 0.0:  # (-a)**(even integer) == a**(even integer)
            return Pow(a._children[0], b)
    if _is_value(a, 1.0):
        return ONE
    return Pow(a, b)


def _func(name: str, a: Node) -> Node:
    if type(a) is Const:
        with np.errstate(all="ignore"):
            return Const(float(_UFUNCS[name](a._args[0])))
    if name == "abs" and type(a) is Neg:
        return Func("abs", a._children[0])
    return Func(name, a)


def _rebuild_simplified(node: Node, kids: Sequence[Node]) -> Node:
    t = type(node)
    if t is Add:
        return _add(kids[0], kids[1])
    if t is Sub:
        return _sub(kids[0], kids[1])
    if t is Mul:
        return _mul(kids[0], kids[1])
    if t is Div:
        return _div(kids[0], kids[1])
    if t is Pow:
        return _pow(kids[0], kids[1])
    if t is Neg:
        return _neg(kids[0])
    if t is Func:
        return _func(node._args[0], kids[0])
    return node


def _rebuild_raw(node: Node, kids: tuple[Node, ...]) -> Node:
    if kids == node._children:
        return node
    if type(node) is Func:
        return Func(node._args[0], kids[0])
    return type(node)(*kids)


def simplify(node: Node) -> Node:
    """Return an algebraically simplified, mathematically equivalent tree.

    The rules are modest and local: constant folding (IEEE semantics: overflow gives ``inf``),
    the identities ``0 + a``, ``a - 0``, ``1 * a``, ``0 * a``, ``a / 1``, ``a ** 1``,
    ``a ** 0``, ``1 ** a``, sign propagation (``a + -b -> a - b``, ``-(-a) -> a``, ...) and
    merging of constant factors (``2 * (3 * a) -> 6 * a``).  ``0 * a`` is ``0`` even where ``a``
    would be infinite (the usual symbolic convention).
    """
    memo: dict[Node, Node] = {}
    for n in _postorder((node,)):
        memo[n] = _rebuild_simplified(n, [memo[c] for c in n._children]) if n._children else n
    return memo[node]


def substitute(node: Node, mapping: Mapping[str, Node | Number]) -> Node:
    """Replace variables simultaneously: ``substitute(f, {"x": x - u})`` builds ``f(x - u, y)``.

    Replacements are not substituted into again, so ``{"x": y, "y": x}`` swaps the variables.
    The tree is otherwise left as it is; call :func:`simplify` on the result if wanted.
    """
    repl = {name: _as_node(value) for name, value in mapping.items()}
    memo: dict[Node, Node] = {}
    for n in _postorder((node,)):
        if type(n) is Var:
            memo[n] = repl.get(n._args[0], n)
        elif n._children:
            memo[n] = _rebuild_raw(n, tuple(memo[c] for c in n._children))
        else:
            memo[n] = n
    return memo[node]


# --------------------------------------------------------------------------------------------
# Differentiation
# --------------------------------------------------------------------------------------------


def _derivative(node: Node, wrt: str, ds: Sequence[Node]) -> Node:
    """Derivative of ``node`` given the derivatives ``ds`` of its children."""
    t = type(node)
    if t is Const:
        return ZERO
    if t is Var:
        return ONE if node._args[0] == wrt else ZERO
    if t is Add:
        return _add(ds[0], ds[1])
    if t is Sub:
        return _sub(ds[0], ds[1])
    if t is Neg:
        return _neg(ds[0])
    if t is Mul:
        a, b = node._children
        if _is_sign(a) or _is_sign(b):  # sign(g)·w, the derivative of |g| (times a factor)
            sgn, w, dw = (a, b, ds[1]) if _is_sign(a) else (b, a, ds[0])
            if _is_value(dw, 0.0):
                return ZERO
            return _mul(_sign_at_zero(sgn, w, wrt), dw)
        return _add(_mul(ds[0], b), _mul(a, ds[1]))
    if t is Div:
        # (a/b)' = (a' - (a/b) b') / b  -- reuses the quotient node and avoids b**2 overflow.
        b = node._children[1]
        if _is_value(ds[1], 0.0):
            return _div(ds[0], b)
        return _div(_sub(ds[0], _mul(node, ds[1])), b)
    if t is Pow:
        a, b = node._children
        da, db = ds
        if _is_value(db, 0.0):  # exponent does not depend on wrt: power rule
            if _is_value(da, 0.0):
                return ZERO
            return _mul(_mul(b, _pow(a, _sub(b, ONE))), da)
        if _is_value(da, 0.0):  # constant base: a**b * log(a) * b'
            return _mul(_mul(node, _func("log", a)), db)
        return _mul(node, _add(_mul(db, _func("log", a)), _div(_mul(b, da), a)))
    if t is Func:
        name = node._args[0]
        a = node._children[0]
        da = ds[0]
        if _is_value(da, 0.0):
            return ZERO
        if name == "log":
            return _div(da, a)
        if name == "sqrt":
            return _div(da, _mul(TWO, node))
        factor: Node
        if name == "sin":
            factor = _func("cos", a)
        elif name == "cos":
            factor = _neg(_func("sin", a))
        elif name == "tan":
            factor = _add(ONE, _pow(node, TWO))
        elif name == "exp":
            factor = node
        elif name == "tanh":
            factor = _sub(ONE, _pow(node, TWO))
        elif name == "sinh":
            factor = _func("cosh", a)
        elif name == "cosh":
            factor = _func("sinh", a)
        elif name == "abs":
            factor = Func("sign", a)
        elif name == "sign":
            return ZERO
        else:  # pragma: no cover - guarded by Func.__new__
            raise ValueError(f"cannot differentiate {name!r}")
        return _mul(factor, da)
    raise TypeError(f"cannot differentiate {type(node).__name__}")  # pragma: no cover


def _is_sign(node: Node) -> bool:
    return type(node) is Func and node._args[0] == "sign"


def _is_zero(node: Node) -> Node:
    """The indicator [node = 0] as a tree: 1 − |sign(node)| (1 where node = 0, else 0)."""
    return _sub(ONE, _func("abs", Func("sign", node)))


def _sign_at_zero(sgn: Node, w: Node, wrt: str) -> Node:
    """σ for ∂/∂v [sign(g)·w] = σ·∂w/∂v (v = ``wrt``), with w ∝ ∂g/∂u, the derivative of |g|.

    Away from g = 0, σ = sign(g): the distributional term 2δ(g)·g_u·g_v of (|g|)'' vanishes.
    At g = 0 with w = 0 and g_v = 0 (an even-order zero of g along v), |g| ≈ ½|g_vv|·(v − v₀)²
    near it along v, so the second derivative along v is |g_vv| = sign(g_vv)·g_vv: there
    σ = sign(g_vv). If moreover the Hessian H_g of g is semidefinite (|x² + y²|, |(x − y)²|),
    |g| = ±g nearby and every entry σ·g_uv of the result equals the Hessian of |g|, ±H_g
    (a semidefinite H_g with g_uv ≠ 0 has g_vv of the same sign as ±). Elsewhere at g = 0 σ
    stays sign(0) = 0: at a kink (w ≠ 0 or g_v ≠ 0, |x| at 0) |g| has no second derivative
    and 0 is the mean of the one-sided values; so is 0 for an indefinite H_g with g_vv = 0
    (|x·y| at 0, not twice differentiable).

    σ = sign(g) + [g = 0]·[w = 0]·[g_v = 0]·sign(g_vv), where [z = 0] = 1 − |sign(z)|.
    """
    g = sgn._children[0]
    dg = diff(g, wrt)
    if _is_value(dg, 0.0):
        return sgn  # g does not depend on v: g_vv = 0 as well
    ddg = diff(dg, wrt)
    if _is_value(ddg, 0.0):
        return sgn
    tie = _mul(_mul(_is_zero(g), _is_zero(w)), _mul(_is_zero(dg), Func("sign", ddg)))
    return _add(sgn, tie)


#: Largest |k| of an integer power a**k that :func:`_one_quotient` merges into a product.
_MAX_MERGED_POWER: Final = 1 << 20


def _integer_exponent(node: Node) -> int | None:
    """k if ``node`` is the constant integer k (``3``, ``-2`` parsed as -(2)), else None."""
    v: float | None = None
    if type(node) is Const:
        v = node._args[0]
    elif type(node) is Neg and type(node._children[0]) is Const:
        v = -node._children[0]._args[0]
    if v is None or not math.isfinite(v) or not v.is_integer() or abs(v) > _MAX_MERGED_POWER:
        return None
    return int(v)


#: A product/quotient chain as c · ∏ aᵢ^kᵢ: (c, {atom aᵢ: kᵢ}, whether it divides).
_Monomial: TypeAlias = tuple[float, dict[Node, int], bool]


def _merged(fa: dict[Node, int], fb: dict[Node, int], sign: int) -> dict[Node, int]:
    out = dict(fa)
    for atom, k in fb.items():
        out[atom] = out.get(atom, 0) + sign * k
    return out


def _rebuild_monomial(c: float, factors: dict[Node, int]) -> Node:
    """c · ∏ aᵢ^kᵢ as c·N/D: N the product of the positive powers, D of the negative ones."""
    num: Node = Const(c)
    den: Node | None = None
    for atom, k in factors.items():
        if k > 0:
            num = _mul(num, _pow(atom, Const(float(k))))
        elif k < 0:
            p = _pow(atom, Const(float(-k)))
            den = p if den is None else _mul(den, p)
    return num if den is None else _div(num, den)


def _one_quotient(node: Node) -> Node:
    """``node`` with every product/quotient chain that holds a nested quotient, or divides by
    a factor it also multiplies by, written as one quotient c·N/D (bottom-up), for
    differentiation.

    A chain of ·, /, unary − and integer powers a**k is c·∏ aᵢ^kᵢ over its other subtrees
    aᵢ (atoms; identical subtrees are the same node): a/(b/c) → a·c/b, (a/b)/c → a/(b·c),
    and powers of one atom are added, (x·y)²·x/y → x³·y, x·(1/x) → 1 (the same function
    where it is defined). N is the product of the aᵢ^kᵢ with kᵢ > 0, D of those with kᵢ < 0.

    Why: the quotient rule on a/v with v = b/c differentiates 1/v = c/b through v. For
    (1 + e)/(1.5/x) the second derivative is a sum of terms ±(1 + e)/(1.5·x) that cancel
    exactly in ℝ (the function is linear) but leave their rounding error, −9·10⁶³ at
    x = 7·10⁻⁸⁰; 3/(x/(y/x)) = 3y/x² gets ∂²/∂y² ≠ 0 the same way. In c·N/D an atom is in N
    or in D, not both, so the product and quotient rules make no such terms: each term of a
    derivative of a monomial is a monomial, accurate to a few ulps while N and D stay inside
    the float range. Products and simple quotients (no quotient in a quotient, no atom in
    both N and D), and so every built-in surface, are left as they are.
    """
    built: dict[Node, Node] = {}  # the rewritten node
    mono: dict[Node, _Monomial] = {}
    for n in _postorder((node,)):
        t = type(n)
        kids = tuple(built[c] for c in n._children)
        raw = _rebuild_raw(n, kids) if kids else n
        m: _Monomial | None = None
        needs = False  # the chain has a nested quotient or an atom in N and D
        with np.errstate(all="ignore"):
            if t is Const:
                m = (n._args[0], {}, False)
            elif t is Div or (t is Mul and not any(_is_sign(k) for k in n._children)):
                # (sign(g)·w, from |g|, stays one atom: its derivative has a rule of its own)
                (ca, fa, qa), (cb, fb, qb) = mono[n._children[0]], mono[n._children[1]]
                sign = 1 if t is Mul else -1
                c = float(np.multiply(ca, cb) if t is Mul else np.divide(ca, cb))
                if math.isfinite(c) and (c != 0.0 or ca == 0.0):
                    m = (c, _merged(fa, fb, sign), qa or qb or t is Div)
                    # a quotient of quotients, or an atom both in N and D
                    if t is Div:
                        needs = qa or qb or not fa.keys().isdisjoint(fb)
                    else:
                        needs = any((fa[a] > 0) != (k > 0) for a, k in fb.items() if a in fa)
            elif t is Neg:
                c, f, q = mono[n._children[0]]
                m = (-c, f, q)
            elif t is Pow and (k := _integer_exponent(n._children[1])) is not None:
                c, f, q = mono[n._children[0]]
                c = float(np.power(c, float(k)))
                if math.isfinite(c) and c != 0.0:
                    m = (c, {a: e * k for a, e in f.items()}, q or k < 0)
        if m is None:
            m = (1.0, {raw: 1}, False)
        mono[n] = m
        built[n] = _rebuild_monomial(m[0], m[1]) if needs else raw
    return built[node]


def diff(node: Node, var: str) -> Node:
    """Exact derivative of ``node`` with respect to the variable named ``var`` (simplified).

    ``d|a| = sign(a) a'`` uses the internal function ``sign`` (``sign(0) = 0``), which users
    cannot type; :func:`to_text` still prints it as ``sign(...)``. The derivative of
    sign(g)·w (the second derivative of |g|) is σ·w' with σ = sign(g) away from g = 0 and,
    at an even-order zero of g along ``var``, sign(g'') so that (|g|)'' = |g''| there
    (|x²|'' = 2 at 0); see :func:`_sign_at_zero` for what is returned at kinks.

    Product/quotient chains with a quotient in a quotient or a factor in both numerator and
    denominator (a/(b/c), (a/b)/c, x·(1/x)) are differentiated as one quotient of products
    (the same function; see :func:`_one_quotient`), so derivatives keep their precision at
    tiny and huge arguments.
    """
    if not isinstance(var, str):
        raise TypeError(f"variable name must be a str, got {type(var).__name__}")
    node = _one_quotient(node)
    memo: dict[Node, Node] = {}
    for n in _postorder((node,)):
        memo[n] = _derivative(n, var, [memo[c] for c in n._children])
    return memo[node]


# --------------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------------


def _format_const(v: float) -> tuple[str, int]:
    if math.isnan(v):
        return "(1e999 - 1e999)", _ATOM
    if math.copysign(1.0, v) < 0.0:
        text, _ = _format_const(-v)
        return "-" + text, _UNARY
    if v == math.inf:
        return "1e999", _ATOM  # the literal 1e999 is inf
    if v == math.pi:
        return "pi", _ATOM
    if v == math.e:
        return "e", _ATOM
    if v.is_integer() and v < 1e15:
        return str(int(v)), _ATOM
    return repr(v), _ATOM


def _format(node: Node, kids: Sequence[tuple[str, int]]) -> tuple[str, int]:
    t = type(node)
    if t is Const:
        return _format_const(node._args[0])
    if t is Var:
        return node._args[0], _ATOM
    if t is Func:
        return f"{node._args[0]}({kids[0][0]})", _ATOM
    if t is Neg:
        text, prec = kids[0]
        return "-" + (text if prec >= _POW else f"({text})"), _UNARY
    (lt, lp), (rt, rp) = kids
    prec = node.precedence
    if prec == _POW:
        # Right associative; the base must be an atom, the exponent a power or an atom.
        left = lt if lp == _ATOM else f"({lt})"
        right = rt if rp >= _POW else f"({rt})"
        return f"{left}**{right}", _POW
    # + - * / are left associative; a negation as right operand gets parentheses for clarity.
    left = lt if lp >= prec else f"({lt})"
    right = rt if rp > prec and rp != _UNARY and not rt.startswith("-") else f"({rt})"
    sep = f" {node.symbol} " if prec == _ADD else node.symbol  # type: ignore[attr-defined]
    return f"{left}{sep}{right}", prec


def to_text(node: Node) -> str:
    """Readable text for ``node`` with minimal parentheses, accepted back by :func:`parse`.

    ``parse(to_text(n))`` evaluates exactly like ``n`` (numbers are printed with ``repr`` so they
    round-trip; ``inf`` prints as ``1e999``).  Only trees containing the internal ``sign``
    function (from differentiating ``abs``) cannot be parsed back.
    """
    memo: dict[Node, tuple[str, int]] = {}
    for n in _postorder((node,)):
        memo[n] = _format(n, [memo[c] for c in n._children])
    return memo[node][0]


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_NUMBER_PATTERN = (
    r"0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+"
    r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?"
)
_TOKEN_RE = re.compile(rf"(?P<name>[^\W\d]\w*)|(?P<number>{_NUMBER_PATTERN})|(?P<other>\S)")

_OPERATOR_SYMBOLS: Final[dict[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
_ALLOWED_OPERATORS: Final[dict[type[ast.operator], type[_Binary]]] = {
    ast.Add: Add,
    ast.Sub: Sub,
    ast.Mult: Mul,
    ast.Div: Div,
    ast.Pow: Pow,
}
_OPERATOR_GROUP: Final[dict[type[ast.operator], int]] = {
    ast.Add: 1,
    ast.Sub: 1,
    ast.Mult: 2,
    ast.Div: 2,
}
_DISALLOWED_SYNTAX: Final[dict[type[ast.AST], str]] = {
    ast.Lambda: template("lambda functions are not allowed"),
    ast.ListComp: template("comprehensions are not allowed"),
    ast.SetComp: template("comprehensions are not allowed"),
    ast.DictComp: template("comprehensions are not allowed"),
    ast.GeneratorExp: template("comprehensions are not allowed"),
    ast.List: template("lists are not allowed"),
    ast.Tuple: template("tuples are not allowed (is there a ',' outside a function call?)"),
    ast.Set: template("sets are not allowed"),
    ast.Dict: template("dictionaries are not allowed"),
    ast.IfExp: template("conditional expressions ('if ... else') are not allowed"),
    ast.Compare: template("comparisons are not allowed"),
    ast.BoolOp: template("boolean operators ('and', 'or') are not allowed"),
    ast.NamedExpr: template("assignment expressions (':=') are not allowed"),
    ast.JoinedStr: template("f-strings are not allowed"),
    ast.FormattedValue: template("f-strings are not allowed"),
    ast.Await: template("'await' is not allowed"),
    ast.Yield: template("'yield' is not allowed"),
    ast.YieldFrom: template("'yield' is not allowed"),
    ast.Starred: template("starred expressions ('*') are not allowed"),
    ast.Slice: template("slices are not allowed"),
}
_ALLOWED_NAMES_HINT: Final = ", ".join(FUNCTIONS)


def _check_variables(variables: Sequence[str], *, allow_empty: bool = False) -> tuple[str, ...]:
    """Validate a tuple of variable names."""
    if isinstance(variables, str):
        raise TypeError("variables must be a sequence of names, not a single string")
    names = tuple(variables)
    if not names and not allow_empty:
        raise ValueError("at least one variable is required")
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"invalid variable name {name!r}")
        if name in CONSTANTS or name in _UFUNCS:
            raise ValueError(f"variable name {name!r} clashes with a constant or function")
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate variable names in {names!r}")
    return names


class _Converter:
    """Walks a Python syntax tree against the whitelist and builds a :class:`Node` tree."""

    def __init__(self, body: str, lead: int, variables: tuple[str, ...]) -> None:
        self.body = body
        self.lead = lead
        self.ascii = body.isascii()
        self.encoded = body.encode("utf-8")
        self.variables = variables
        self.count = 0

    # -- positions -------------------------------------------------------------------------
    def char_offset(self, byte_offset: int) -> int:
        """Character offset in ``body`` of an AST (UTF-8 byte) column offset."""
        if self.ascii:
            return byte_offset
        return len(self.encoded[:byte_offset].decode("utf-8", errors="replace"))

    def column(self, node: ast.AST) -> int:
        return self.lead + self.char_offset(getattr(node, "col_offset", 0)) + 1

    def column_of(self, symbol: str, after: ast.AST, before: ast.AST | None = None) -> int:
        """Column of ``symbol`` between the end of ``after`` and the start of ``before``."""
        start = self.char_offset(getattr(after, "end_col_offset", None) or 0)
        stop = self.char_offset(before.col_offset) if before is not None else len(self.body)
        index = self.body.find(symbol, start, max(stop, start))
        return self.lead + (index if index >= 0 else start) + 1

    def fail(self, message: str | Text, column: int, suffix: Value = "") -> ExpressionError:
        """``message`` (a template without placeholders, or a Text) at ``column``."""
        return ExpressionError(_text(_E_AT, message=message if isinstance(message, Text)
                                    else Text(message), column=str(column), suffix=suffix),
                               column)

    # -- conversion ------------------------------------------------------------------------
    def convert(self, node: ast.expr, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(_text(_E_DEEP, n=str(MAX_DEPTH)), self.column(node))
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(_text(_E_LARGE, n=str(MAX_NODES)), self.column(node))
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node, depth)
        if isinstance(node, ast.UnaryOp):
            return self.unaryop(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):
            raise self.fail(_E_ATTRIBUTE, self.column_of(".", node.value))
        if isinstance(node, ast.Subscript):
            raise self.fail(_E_INDEX, self.column_of("[", node.value))
        message = _DISALLOWED_SYNTAX.get(type(node))
        raise self.fail(Text(message) if message else _text(_E_QUOTED_NOT_ALLOWED,
                                                           what=type(node).__name__),
                        self.column(node))

    def constant(self, node: ast.Constant) -> Node:
        value = node.value
        col = self.column(node)
        if isinstance(value, bool):
            raise self.fail(_text(_E_BOOL, value=str(value)), col)
        if isinstance(value, int):
            try:
                return Const(float(value))
            except OverflowError:
                return Const(math.inf)
        if isinstance(value, float):
            return Const(value)
        if isinstance(value, complex):
            raise self.fail(_E_COMPLEX, col)
        if isinstance(value, str | bytes):
            raise self.fail(_E_STRINGS, col)
        raise self.fail(_text(_E_QUOTED_NOT_ALLOWED, what=repr(value)), col)

    def name(self, node: ast.Name) -> Node:
        ident = node.id
        if ident in self.variables:
            return Var(ident)
        if ident in CONSTANTS:
            return Const(CONSTANTS[ident])
        col = self.column(node)
        if ident in FUNCTIONS:
            raise self.fail(_text(_E_CALL_IT, name=ident), col)
        allowed = ", ".join((*self.variables, *CONSTANTS))
        raise self.fail(_text(_E_UNKNOWN, name=ident), col, _text(_E_ALLOWED_NAMES, names=allowed))

    def unaryop(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.USub):
            return Neg(self.convert(node.operand, depth + 1))
        if isinstance(node.op, ast.UAdd):
            return self.convert(node.operand, depth + 1)
        if isinstance(node.op, ast.Not):
            raise self.fail(_text(_E_QUOTED_NOT_ALLOWED, what="not"), self.column(node))
        raise self.fail(_text(_E_OPERATOR, symbol="~"), self.column(node))

    def check_operator(self, node: ast.BinOp) -> type[_Binary]:
        op_type = type(node.op)
        cls = _ALLOWED_OPERATORS.get(op_type)
        if cls is not None:
            return cls
        symbol = _OPERATOR_SYMBOLS.get(op_type, "?")
        col = self.column_of(symbol, node.left, node.right)
        if op_type is ast.BitXor:
            raise self.fail(_E_POWER, col)
        raise self.fail(_text(_E_OPERATOR, symbol=symbol), col)

    def binop(self, node: ast.BinOp, depth: int) -> Node:
        # A chain a + b - c + ... of one left-associative group counts as one nesting level and
        # is walked iteratively along its left spine.
        cls = self.check_operator(node)
        group = _OPERATOR_GROUP.get(type(node.op))
        chain = [(node, cls)]
        left = node.left
        while (
            group is not None
            and isinstance(left, ast.BinOp)
            and _OPERATOR_GROUP.get(type(left.op)) == group
        ):
            chain.append((left, self.check_operator(left)))
            self.count += 1
            left = left.left
        result = self.convert(left, depth + 1)
        for binop, op_cls in reversed(chain):
            result = op_cls(result, self.convert(binop.right, depth + 1))
        return result

    def call(self, node: ast.Call, depth: int) -> Node:
        fn = node.func
        if not isinstance(fn, ast.Name):
            if isinstance(fn, ast.Attribute | ast.Subscript | ast.Lambda):
                self.convert(fn, depth + 1)  # raises a specific message
            raise self.fail(_E_BEFORE_PAREN, self.column_of("(", fn),
                            _text(_E_IMPLICIT, hint="a*(b)"))
        ident = fn.id
        col = self.column(fn)
        if ident in self.variables or ident in CONSTANTS:
            raise self.fail(_text(_E_BETWEEN, a=ident, b="("), self.column_of("(", fn),
                            _text(_E_NOT_FUNCTION, name=ident))
        if ident not in FUNCTIONS:
            raise self.fail(_text(_E_FUNCTION, name=ident), col,
                            _text(_E_ALLOWED, names=_ALLOWED_NAMES_HINT))
        if node.keywords:
            raise self.fail(_E_KEYWORDS, self.column(node.keywords[0]))
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(_E_STARRED, self.column(arg))
        if len(node.args) != 1:
            raise self.fail(_text(_E_ONE_ARGUMENT, name=ident, n=str(len(node.args))), col)
        return Func(ident, self.convert(node.args[0], depth + 1))


def _prescan(text: str) -> None:
    """Cheap character-level checks done before :func:`ast.parse` sees the text."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(_text(_E_AT, message=_text(_E_DEEP, n=str(MAX_DEPTH)),
                                           column=str(i + 1), suffix=""), i + 1)
        elif ch in ")]}":
            depth -= 1
        elif ch in "'\"":
            raise _at(Text(_E_STRINGS), i + 1)
        elif ch == "\\":
            raise _at(_text(_E_QUOTED_NOT_ALLOWED, what="\\"), i + 1)
        elif ch == "#":
            raise _at(Text(_E_COMMENTS), i + 1)
        elif not ch.isprintable() and not ch.isspace():
            raise _at(_text(_E_CHARACTER, code=f"U+{ord(ch):04X}"), i + 1)
    # A number glued to a name or '(' ("2x", "2(x+1)", "1if") is implicit multiplication, which
    # Python reports confusingly (and for keywords only warns about).
    prev_kind = ""
    prev_end = -1
    prev_text = ""
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or ""
        token = match.group()
        if (
            prev_kind == "number"
            and match.start() == prev_end
            and (kind in ("name", "number") or token == "(")
        ):
            col = match.start() + 1
            suffix: Value = ""
            if not keyword.iskeyword(token):
                hint = f"{prev_text}*{token}" if token != "(" else f"{prev_text}*(...)"
                suffix = _text(_E_IMPLICIT, hint=hint)
            raise _at(_text(_E_BETWEEN, a=prev_text, b=token), col, suffix)
        prev_kind, prev_end, prev_text = kind, match.end(), token


def parse(text: str, variables: Sequence[str] = DEFAULT_VARIABLES) -> Node:
    """Parse user text into an expression tree, allowing only the whitelisted grammar.

    ``variables`` are the names that may appear besides ``pi`` and ``e``.  The tree mirrors the
    text (no simplification), with every number converted to float.

    Raises:
        ExpressionError: with a one-line message naming the problem and its 1-based column.
    """
    names = _check_variables(variables, allow_empty=True)
    if not isinstance(text, str):
        raise TypeError(f"expression text must be a str, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(Text(_E_LONG, {"n": str(len(text)), "most": str(MAX_LENGTH)}))
    if not text.strip():
        raise ExpressionError(Text(_E_EMPTY))
    # Line breaks become spaces (one for one, so columns are unchanged).
    text = text.replace("\r", " ").replace("\n", " ")
    _prescan(text)
    body = text.lstrip()
    lead = len(text) - len(body)
    try:
        with _PARSE_LOCK:  # CPython < 3.11.8 / 3.12.1: concurrent ast.parse raises SystemError
            tree = ast.parse(body, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, body, lead) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(Text(_E_DEEP, {"n": str(MAX_DEPTH)})) from None
    except ValueError as exc:  # e.g. null characters
        raise ExpressionError(f"invalid expression: {exc}") from None
    return _Converter(body, lead, names).convert(tree.body, 1)


def _syntax_error(exc: SyntaxError, body: str, lead: int) -> ExpressionError:
    message = (exc.msg or "invalid syntax").rstrip(".")
    if "Perhaps you forgot a comma" in message:
        message = "invalid syntax (missing operator?)"
    offset = exc.offset
    if offset is None or offset <= 0 or offset > len(body):
        column = lead + len(body) + 1
        if message == "invalid syntax":
            message = "unexpected end of expression"
    else:
        column = lead + offset
    # Python's own words stay as they are, except the ones this module writes
    known = message in (_E_SYNTAX_INVALID, _E_SYNTAX_OPERATOR, _E_SYNTAX_END, *_E_PYTHON)
    return ExpressionError(_text(_E_SYNTAX, column=str(column), message=Text(message) if known
                                else message), column)


# --------------------------------------------------------------------------------------------
# Compiled evaluation
# --------------------------------------------------------------------------------------------

Instruction: TypeAlias = tuple[Callable[..., Any], int, int, int]


class Program:
    """A linearised set of output expressions, evaluated with NumPy ufuncs.

    Call it with one array (or float) per variable, in the order of :attr:`variables`; the
    arrays may have any broadcast-compatible shapes.  It returns a tuple with one float64 array
    per output, each broadcast to the common input shape (fresh arrays: safe to modify).
    Floating-point problems (overflow, invalid operations) silently give ``inf``/``nan``.

    Built by :func:`compile_outputs`.
    """

    __slots__ = (
        "_code",
        "_code_in_place",
        "_get_outputs",
        "_n_inputs",
        "_outputs",
        "_tail",
        "_template",
        "n_instructions",
        "n_outputs",
        "n_slots",
        "variables",
    )

    def __init__(
        self,
        variables: tuple[str, ...],
        code: list[Instruction],
        template: list[Any],
        outputs: list[tuple[int, bool]],
    ) -> None:
        self.variables = variables
        self._n_inputs = len(variables)
        self._code = tuple(code)
        self._template = template
        self._outputs = tuple(outputs)
        self._tail = template[self._n_inputs :]
        keys = [k for k, _ in self._outputs]
        # itemgetter of one key returns the item itself: wrap it to always give a tuple
        pick = operator.itemgetter(*keys) if keys else (lambda s: ())
        self._get_outputs = pick if len(keys) > 1 else (lambda s: (pick(s),))
        self.n_instructions = len(code)
        """Number of ufunc calls per evaluation."""
        self.n_outputs = len(outputs)
        self._code_in_place = self._plan_in_place()
        self.n_slots = len(template)

    def __call__(self, *arrays: ArrayLike) -> tuple[np.ndarray, ...]:
        """Evaluate all outputs at the given variable values."""
        n = self._n_inputs
        if len(arrays) != n:
            raise TypeError(
                f"expected {n} arguments ({', '.join(self.variables)}), got {len(arrays)}"
            )
        s = self._template.copy()
        asarray = np.asarray
        f64 = np.float64
        for i in range(n):
            s[i] = asarray(arrays[i], dtype=f64)
        shape = np.broadcast(*s[:n]).shape if n else ()
        with np.errstate(all="ignore"):
            for f, a, b, o in self._code:
                if b < 0:
                    s[o] = f(s[a])
                else:
                    s[o] = f(s[a], s[b])
        ndarray = np.ndarray
        empty = np.empty
        result = []
        for k, must_copy in self._outputs:
            v = s[k]
            if type(v) is ndarray and v.shape == shape:
                if must_copy:
                    v = v.copy()
            else:  # numpy scalar, constant, or an output not depending on every input
                out = empty(shape)
                out[...] = v
                v = out
            result.append(v)
        return tuple(result)

    def raw(self, *arrays: np.ndarray) -> tuple[np.ndarray | float, ...]:
        """Evaluate without checks: the stepping loop's fast path.

        The caller passes float64 arrays (one per variable) and holds ``np.errstate`` itself.
        Outputs are NOT broadcast to a common shape (a derivative that does not depend on every
        input keeps its smaller shape, a constant one is a float) and must be consumed before
        the next call. The arithmetic is exactly that of :meth:`__call__`.
        """
        s = [*arrays, *self._tail]
        for f, a, b, o in self._code:
            if b < 0:
                s[o] = f(s[a])
            else:
                s[o] = f(s[a], s[b])
        return self._get_outputs(s)

    def _plan_in_place(self) -> tuple[tuple[Any, int, int, int, int], ...] | None:
        """The code of :meth:`bind_in_place`, or None when output k cannot take input k's place.

        Output k must be input k itself, or be computed by an instruction after which no
        instruction reads input k (that instruction then writes into input k's array).
        """
        n = self._n_inputs
        if self.n_outputs != n:
            return None
        last_read = {j: -1 for j in range(n)}
        writer: dict[int, int] = {}
        for i, (_, a, b, o) in enumerate(self._code):
            for j in (a, b):
                if 0 <= j < n:
                    last_read[j] = i
            writer[o] = i  # an output's slot is written once (outputs are never reused)
        slots = [slot for slot, _ in self._outputs]
        if len(set(slots)) < len(slots):
            return None  # one value for two outputs (e.g. both partials of sin(x + y))
        target = {}
        for k, slot in enumerate(slots):
            if slot == k:
                continue
            i = writer.get(slot)
            if slot < n or i is None or last_read[k] > i:
                return None  # another input, a constant, or input k still needed later
            target[i] = k
        return tuple((f, a, b, o, target.get(i, -1)) for i, (f, a, b, o) in enumerate(self._code))

    @property
    def in_place(self) -> bool:
        """True when :meth:`bind_in_place` can be used."""
        return self._code_in_place is not None

    def bind_in_place(self, *arrays: np.ndarray) -> Callable[[], None]:
        """Evaluation that writes output k into input k's array, bound to fixed input arrays
        (writable, of one full shape, not needed afterwards) with a buffer for every temporary:
        each call of the result evaluates with no allocations and no slot bookkeeping, one
        ufunc call with ``out`` per instruction. The arithmetic is exactly that of
        :meth:`__call__`. Only when :attr:`in_place`."""
        if self._code_in_place is None:
            raise ValueError("this program cannot be evaluated in place")
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        s: list[Any] = [*arrays, *self._tail]
        buffers: dict[int, np.ndarray] = {}
        plan = []
        for f, a, b, o, k in self._code_in_place:
            if k >= 0:
                dest = arrays[k]
            else:
                dest = buffers.get(o)
                if dest is None:
                    dest = buffers[o] = np.empty(shape)
            plan.append((f, s[a], s[b] if b >= 0 else None, dest))
            s[o] = dest
        steps = tuple(plan)

        def run() -> None:
            for f, a, b, o in steps:
                if b is None:
                    f(a, o)
                else:
                    f(a, b, o)

        return run

    def listing(self) -> str:
        """Human-readable instruction listing (for debugging)."""
        lines = [f"inputs: {', '.join(f's{i}={v}' for i, v in enumerate(self.variables))}"]
        lines += [
            f"s{i} = {self._template[i]!r}"
            for i in range(self._n_inputs, self.n_slots)
            if self._template[i] is not None
        ]
        for f, a, b, o in self._code:
            args = f"s{a}" if b < 0 else f"s{a}, s{b}"
            lines.append(f"s{o} = {getattr(f, '__name__', f)}({args})")
        lines.append("outputs: " + ", ".join(f"s{k}" for k, _ in self._outputs))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"Program(variables={self.variables!r}, outputs={self.n_outputs}, "
            f"instructions={self.n_instructions})"
        )


def _instruction(node: Node, const_value: Mapping[Node, float]) -> tuple[np.ufunc, list[Node]]:
    t = type(node)
    kids = node._children
    if t is Neg:
        return np.negative, [kids[0]]
    if t is Func:
        return _UFUNCS[node._args[0]], [kids[0]]
    if t is Pow and const_value.get(kids[1]) == 2.0:
        return np.square, [kids[0]]  # bit-identical to x*x, and faster than power
    return _BINARY_UFUNCS[t], [kids[0], kids[1]]


def _lower_powers(roots: tuple[Node, ...]) -> tuple[Node, ...]:
    """Rewrite a³ as a²·a and a⁴ as (a²)² for evaluation.

    ``np.power`` with a float exponent costs ~20× a multiplication; the products differ from
    pow() by at most an ulp or two. Squares stay ``np.square`` (bit-identical to a·a).
    """
    new: dict[Node, Node] = {}
    two = Const(2.0)
    for node in _postorder(roots):
        kids = tuple(new[k] for k in node._children)
        out = _rebuild_raw(node, kids)
        if type(out) is Pow and type(kids[1]) is Const:
            a, n = kids[0], kids[1]._args[0]
            if n == 3.0:
                out = Mul(Pow(a, two), a)
            elif n == 4.0:
                out = Pow(Pow(a, two), two)
        new[node] = out
    return tuple(new[r] for r in roots)


def compile_outputs(outputs: Sequence[Node | Number], variables: Sequence[str]) -> Program:
    """Linearise ``outputs`` into one :class:`Program` over ``variables``.

    Common subexpressions are computed once across all outputs, constant subtrees are folded
    at compile time (with the same ufuncs, so results are unchanged), nodes not needed by any
    output are dropped, and temporary slots are reused once their last reader has run.
    """
    names = _check_variables(variables, allow_empty=True)
    outs = _lower_powers(tuple(_as_node(o) for o in outputs))
    index = {name: i for i, name in enumerate(names)}
    order = _postorder(outs)

    const_value: dict[Node, float] = {}
    for n in order:
        t = type(n)
        if t is Const:
            const_value[n] = n._args[0]
        elif t is Var:
            if n._args[0] not in index:
                raise ValueError(
                    f"variable {n._args[0]!r} is not among the program variables {names!r}"
                )
        elif all(c in const_value for c in n._children):
            const_value[n] = _evaluate_constant(n, [const_value[c] for c in n._children])

    # Liveness: walk from the outputs down, stopping at constants and variables.
    needed: set[Node] = set(outs)
    instr: dict[Node, tuple[np.ufunc, list[Node]]] = {}
    for n in reversed(order):
        if n in needed and n not in const_value and type(n) is not Var:
            instr[n] = _instruction(n, const_value)
            needed.update(instr[n][1])

    template: list[Any] = [None] * len(names)
    slot: dict[Node, int] = {}
    const_slot: dict[str, int] = {}
    for n in order:
        if n not in needed:
            continue
        if n in const_value:
            value = const_value[n]
            key = value.hex()
            if key not in const_slot:
                array = np.array(value, dtype=np.float64)
                array.flags.writeable = False
                const_slot[key] = len(template)
                template.append(array)
            slot[n] = const_slot[key]
        elif type(n) is Var:
            slot[n] = index[n._args[0]]
    base = len(template)

    ops = [n for n in order if n in instr]
    out_set = set(outs)
    last_use: dict[Node, int] = {}
    for i, n in enumerate(ops):
        for c in instr[n][1]:
            if c in instr:
                last_use[c] = i

    code: list[Instruction] = []
    free: list[int] = []
    n_slots = base
    for i, n in enumerate(ops):
        ufunc, args = instr[n]
        arg_slots = [slot[c] for c in args]
        for c in set(args):
            if c in instr and c not in out_set and last_use[c] == i:
                free.append(slot[c])
        if free:
            out = free.pop()
        else:
            out = n_slots
            n_slots += 1
        slot[n] = out
        code.append((ufunc, arg_slots[0], arg_slots[1] if len(arg_slots) > 1 else -1, out))
    template.extend([None] * (n_slots - base))

    out_specs: list[tuple[int, bool]] = []
    used: set[int] = set()
    for o in outs:
        k = slot[o]
        out_specs.append((k, k < base or k in used))
        used.add(k)
    return Program(names, code, template, out_specs)


# --------------------------------------------------------------------------------------------
# High-level wrapper
# --------------------------------------------------------------------------------------------

_MISSING: Final = object()


class Expression:
    """f(x, y) parsed from user text with exact gradient and Hessian.

    The gradient and Hessian are taken with respect to the *coordinates*, the first two
    variables (or the only one).  Further variables (e.g. data variables ``u``, ``v``) are
    parameters: pass them positionally after the coordinates or by keyword::

        f = Expression("(x - u)**2 + y**2", variables=("x", "y", "u"))
        f.grad(xs, ys, u=0.5)        # shape broadcast(xs, ys, u) + (2,)
    """

    def __init__(self, text: str, variables: Sequence[str] = DEFAULT_VARIABLES) -> None:
        self.variables: tuple[str, ...] = _check_variables(variables)
        self.node: Node = parse(text, self.variables)
        self.text: str = text

    @classmethod
    def from_node(cls, node: Node, variables: Sequence[str] = DEFAULT_VARIABLES) -> Expression:
        """Wrap an existing tree (its text is :func:`to_text` of the tree)."""
        _check_node(node)
        names = _check_variables(variables)
        unknown = free_variables(node) - set(names)
        if unknown:
            raise ValueError(f"expression uses variables {sorted(unknown)} not in {names!r}")
        self = cls.__new__(cls)
        self.variables = names
        self.node = node
        self.text = to_text(node)
        return self

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={self.variables!r})"

    @property
    def coordinates(self) -> tuple[str, ...]:
        """The variables the gradient and Hessian are taken with respect to."""
        return self.variables[:2]

    @cached_property
    def gradient_nodes(self) -> tuple[Node, ...]:
        """Symbolic partial derivatives with respect to :attr:`coordinates`."""
        return tuple(diff(self.node, v) for v in self.coordinates)

    @cached_property
    def hessian_nodes(self) -> tuple[tuple[Node, ...], ...]:
        """Symbolic second derivatives (row-major; mirrored, so exactly symmetric)."""
        coords = self.coordinates
        k = len(coords)
        rows = [[ZERO] * k for _ in range(k)]
        for i in range(k):
            for j in range(i, k):
                rows[i][j] = rows[j][i] = diff(self.gradient_nodes[i], coords[j])
        return tuple(tuple(row) for row in rows)

    @cached_property
    def _value_program(self) -> Program:
        return compile_outputs([self.node], self.variables)

    @cached_property
    def _grad_program(self) -> Program:
        return compile_outputs(self.gradient_nodes, self.variables)

    @cached_property
    def _hess_program(self) -> Program:
        return compile_outputs([h for row in self.hessian_nodes for h in row], self.variables)

    def _bind(self, args: tuple[ArrayLike, ...], kwargs: dict[str, ArrayLike]) -> list[Any]:
        names = self.variables
        if len(args) > len(names):
            raise TypeError(
                f"expected at most {len(names)} values ({', '.join(names)}), got {len(args)}"
            )
        values: list[Any] = [*args, *([_MISSING] * (len(names) - len(args)))]
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"unknown variable {name!r} (variables: {', '.join(names)})")
            i = names.index(name)
            if values[i] is not _MISSING:
                raise TypeError(f"variable {name!r} given twice")
            values[i] = value
        missing = [n for n, v in zip(names, values, strict=True) if v is _MISSING]
        if missing:
            raise TypeError(f"missing values for {', '.join(missing)}")
        return values

    def value(self, *args: ArrayLike, **kwargs: ArrayLike) -> np.ndarray:
        """f at the given points (broadcast shape)."""
        return self._value_program(*self._bind(args, kwargs))[0]

    def grad(self, *args: ArrayLike, **kwargs: ArrayLike) -> np.ndarray:
        """Gradient, shape ``broadcast_shape + (len(coordinates),)``."""
        return np.stack(self._grad_program(*self._bind(args, kwargs)), axis=-1)

    def hess(self, *args: ArrayLike, **kwargs: ArrayLike) -> np.ndarray:
        """Hessian, shape ``broadcast_shape + (k, k)`` with ``k = len(coordinates)``."""
        k = len(self.coordinates)
        flat = np.stack(self._hess_program(*self._bind(args, kwargs)), axis=-1)
        return flat.reshape((*flat.shape[:-1], k, k))
