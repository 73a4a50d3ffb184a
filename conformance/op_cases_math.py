"""Op conformance cases of the element-wise math operations
(kerasx.backend.contract_math), declared as those of conformance.op_cases."""
from .inputs import avoiding, away, booleans, const, distinct, integers, normal, positive
from .op_cases import DTYPE, Case, Py

_NAN, _INF = float("nan"), float("inf")
SPECIAL = [_NAN, _INF, -_INF, -0.0, 0.0, 1.5, -2.0]


def _unary(op, spec=normal, grad=True, **kwargs):
    return Case(op, [spec((3, 5))], kwargs, grad=(0,) if grad else ())


def _binary(op, a=normal, b=normal, grad=True, scalar=1.5):
    return [
        Case(op, [a((3, 4)), b((3, 4))], grad=(0, 1) if grad else (), label="same shape"),
        Case(op, [a((2, 3, 4)), b((4,))], grad=(0, 1) if grad else (), label="broadcast"),
        Case(op, [a((3, 4)), Py(scalar)], grad=(0,) if grad else (), label="scalar"),
    ]


def _with_zeros(shape):
    return const([[0.0, 1.5, -0.5, 0.0], [2.0, 0.0, -1.0, 0.25], [0.0, -3.0, 0.5, 1.0]])


def math_cases():
    """The cases of contract_math's, contract_creation's and contract_stats's
    operations."""
    return _elementwise_cases() + _creation_cases() + _stats_cases()


_WITH_NAN = [[0.5, _NAN, -1.25, 2.0], [_NAN, _NAN, 0.75, -0.5], [1.5, -2.0, _NAN, 0.25]]


def _stats_cases():
    c = []
    for op in ("amax", "amin", "ptp", "median"):
        spec = normal if op == "median" else distinct
        c += [Case(op, [spec((2, 3, 5))], grad=(0,), label="all"),
              Case(op, [spec((2, 3, 5))], {"axis": 1}, grad=(0,), label="axis=1"),
              Case(op, [spec((2, 3, 4))], {"axis": (0, 2), "keepdims": True}, grad=(0,),
                   label="axes, keepdims")]
    for op, q in (("quantile", 0.3), ("percentile", [10.0, 55.0, 90.0])):
        c += [Case(op, [normal((3, 7)), Py(q)], {"axis": 1}, grad=(0,)),
              Case(op, [normal((2, 3, 4)), Py(q)], {"axis": (0, 2), "keepdims": True},
                   grad=(0,), label="axes, keepdims")]
        c += [Case(op, [normal((3, 6)), Py(q)], {"axis": -1, "method": m}, label=m)
              for m in ("lower", "higher", "midpoint", "nearest")]
    c += [Case("average", [normal((3, 4))], {"axis": 1}, grad=(0,)),
          Case("average", [normal((3, 4)), Py(None), positive((3, 4))], grad=(0, 2),
               label="weights"),
          Case("average", [normal((3, 4)), Py(0), positive((3,))], grad=(0, 2),
               label="1-D weights")]
    for op in ("nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd",
               "nanmedian"):
        c += [Case(op, [const(_WITH_NAN)], label="all"),
              Case(op, [const(_WITH_NAN)], {"axis": 1, "keepdims": True},
                   label="axis=1, keepdims")]
    for op in ("nanargmax", "nanargmin"):
        c += [Case(op, [const(_WITH_NAN)], label="all"),
              Case(op, [const(_WITH_NAN)], {"axis": 1}, label="axis=1")]
    c += [Case("nanquantile", [const(_WITH_NAN), Py(0.4)], {"axis": 1}),
          Case("nanpercentile", [const(_WITH_NAN), Py([25.0, 80.0])], {"axis": 1})]
    c.append(Case("saturate_cast", [const([-3e9, -2.7, 0.5, 2.7, 3e9, _INF])],
                  {"dtype": "int32"}, dtypes=("float64",)))
    return c


def _creation_cases():
    dt = {"dtype": DTYPE}
    c = [Case("eye", [Py(3)], dt), Case("eye", [Py(3), Py(5), Py(1)], dt, label="M, k"),
         Case("eye", [Py(4), Py(2), Py(-3)], dt, label="k < 0"),
         Case("identity", [Py(3)], dt),
         Case("tri", [Py(3)], dt), Case("tri", [Py(3), Py(4), Py(-1)], dt, label="M, k"),
         Case("empty", [Py((2, 3))], dt), Case("empty_like", [normal((2, 3))]),
         Case("full_like", [normal((2, 3)), Py(2.5)]),
         Case("full_like", [normal((2, 3)), normal((3,))], label="tensor fill"),
         Case("linspace", [Py(-1.5), Py(2.0), Py(7)], dt),
         Case("linspace", [Py(0.0), Py(1.0), Py(4)], {"endpoint": False, **dt},
              label="no endpoint"),
         Case("linspace", [normal((2,)), normal((2,)), Py(3)], {"axis": 1},
              label="arrays, axis=1"),
         Case("logspace", [Py(0.0), Py(2.0), Py(5)], dt),
         Case("logspace", [Py(1.0), Py(-1.0), Py(4)], {"base": 2.0, **dt}, label="base 2"),
         Case("geomspace", [Py(1.0), Py(1000.0), Py(4)], dt),
         Case("geomspace", [Py(-2.0), Py(-32.0), Py(5)], dt, label="negative")]
    for op in ("bartlett", "blackman", "hamming", "hanning"):
        c += [Case(op, [Py(n)], dtypes=("float32",), label=f"n={n}") for n in (1, 6, 9)]
    c += [Case("kaiser", [Py(n), Py(beta)], dtypes=("float32",), label=f"n={n} beta={beta}")
          for n, beta in ((1, 3.0), (6, 0.0), (9, 8.6))]
    return c


def _elementwise_cases():
    inside = lambda s: positive(s, -0.9, 0.9)  # noqa: E731 (arcsin's domain)
    c = [_unary("arccos", inside), _unary("arcsin", inside), _unary("arctanh", inside),
         _unary("arccosh", lambda s: positive(s, 1.1, 3.0)), _unary("arcsinh"),
         _unary("arctan"), _unary("cosh"), _unary("sinh"),
         _unary("tan", lambda s: positive(s, -1.2, 1.2)), _unary("absolute", away),
         _unary("fabs", away), _unary("cbrt", away), _unary("exp2"),
         _unary("log10", positive), _unary("log2", positive),
         _unary("trunc", lambda s: avoiding(s, (-2.0, -1.0, 0.0, 1.0, 2.0)), grad=False),
         _unary("deg2rad"), _unary("rad2deg"), _unary("sinc", away),
         Case("sinc", [const([0.0, 1.0, -2.0, 0.5])], label="integers and zero"),
         _unary("i0", lambda s: positive(s, -4.0, 4.0)),
         # Forward only: finite differences of np.i0 lose 1e-8 up there.
         Case("i0", [const([-45.0, 29.5, 30.5, 80.0])], label="large"),
         _unary("erfc", lambda s: positive(s, -3.0, 5.0)),
         Case("erfc", [const([2.5, 4.0, 9.0, -4.0])], grad=(0,), label="tail"),
         _unary("erfinv", lambda s: positive(s, -0.8, 0.8)),
         Case("erfinv", [const([-0.99, 0.95, 0.999])], label="near 1")]
    for op in ("signbit", "isnan", "isinf", "isfinite", "isneginf", "isposinf", "isreal"):
        c.append(Case(op, [const(SPECIAL)], label="special values"))
    c += [Case("nan_to_num", [const([_NAN, 1.5, -2.0])]),
          Case("nan_to_num", [const(SPECIAL)], {"nan": -1.0, "posinf": 9.0, "neginf": -9.0},
               label="replacements"),
          _unary("nan_to_num")]
    for op in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift",
               "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm"):
        high = 5 if "shift" in op else 50
        low = 0 if "shift" in op else -50
        c.append(Case(op, [integers((3, 4), -50, 50), integers((3, 4), low, high)],
                      dtypes=("int32",)))
    for op in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        c.append(Case(op, [booleans((3, 4)), booleans((3, 4))], dtypes=("bool",),
                      label="bool"))
    for op in ("bitwise_invert", "bitwise_not"):
        c.append(Case(op, [integers((3, 4), -50, 50)], dtypes=("int32",)))
        c.append(Case(op, [booleans((3, 4))], dtypes=("bool",), label="bool"))
    for op in ("mod", "floor_divide"):
        c.append(Case(op, [integers((3, 4), -20, 20), integers((3, 4), 1, 7)],
                      dtypes=("int32",), label="int32"))
    c += _binary("arctan2") + _binary("hypot") + _binary("logaddexp")
    c += _binary("logaddexp2") + _binary("fmax") + _binary("fmin")
    c += _binary("fmod", normal, away) + _binary("mod", normal, away)
    c += _binary("true_divide", normal, away) + _binary("divide_no_nan", normal, away)
    c += _binary("floor_divide", normal, away, grad=False)
    c += _binary("nextafter", grad=False) + _binary("heaviside", _with_zeros, grad=False)
    c += [Case("divide_no_nan", [normal((3, 4)), _with_zeros((3, 4))], grad=(0,),
               label="zeros"),
          # (NaN against NaN is checked by tests/ops: the error measure has no NaN.)
          Case("fmax", [const([_NAN, 1.0, -2.0]), const([2.0, _NAN, -1.0])], label="nan"),
          Case("fmin", [const([_NAN, 1.0, -2.0]), const([2.0, _NAN, -1.0])], label="nan"),
          Case("logical_xor", [booleans((3, 4)), booleans((3, 4))], dtypes=("bool",)),
          Case("ldexp", [normal((3, 4)), integers((3, 4), -4, 5)], grad=(0,)),
          Case("nextafter", [const([0.0, 1.0, -1.0, 2.0, _INF]),
                             const([1.0, 1.0, -2.0, -3.0, 0.0])], label="special",
               dtypes=("float64",))]  # the reference steps in float64
    for op in ("isclose", "allclose"):
        c.append(Case(op, [const([1.0, 1.0, _NAN, _INF, 0.0]),
                           const([1.0 + 1e-6, 1.1, _NAN, _INF, 1e-9])]))
        c.append(Case(op, [const([1.0, _NAN]), const([1.05, _NAN])],
                      {"rtol": 0.1, "equal_nan": True}, label="rtol, equal_nan"))
    return c
