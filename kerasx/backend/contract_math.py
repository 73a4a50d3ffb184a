"""The element-wise math of `keras.ops` (NumPy-style functions): a mixin of
the contract (`MathContract`, a base of `kerasx.backend.contract.Backend`).

Dtype rules are Keras 3's and are applied here once, so that every plugin
returns the same dtypes: a function with a floating result casts a bool or
int32 input to float32 and an int64 input to float32 (or to float64 where
Keras does: cbrt, deg2rad, rad2deg, i0, hypot, heaviside); predicates
(isnan, signbit, isclose ...) return bool; bitwise operations, gcd and lcm
take integers (and bool for the bitwise ones) only.

The native primitives' plugin kernels apply the rule with
`_float_operand` / `_binary_operands` before calling the framework, through
`float_kernel` / `float_binary_kernel` where the framework function is all
there is to it.
"""
import math

from kerasx.backend.dtypes import DEFAULT_FLOAT, FLOAT_DTYPES
from kerasx.backend.op_roles import composite, primitive

_INTEGERS = ("int32", "int64")


def float_kernel(fn, int64=DEFAULT_FLOAT):
    """A plugin kernel `(self, x)` applying framework function `fn` to `x`
    made floating by the contract's rule (`MathContract._float_operand`)."""
    def kernel(self, x):
        return fn(self._float_operand(x, int64))
    return kernel


def float_binary_kernel(fn, int64=DEFAULT_FLOAT):
    """A plugin kernel `(self, x1, x2)` applying framework function `fn` to
    both operands made tensors of one floating dtype."""
    def kernel(self, x1, x2):
        return fn(*self._binary_operands(x1, x2, to_float=True, int64=int64))
    return kernel


def binary_kernel(fn):
    """A plugin kernel `(self, x1, x2)` applying framework function `fn` to
    both operands made tensors of one dtype (a Python scalar takes the
    tensor's; a Python float makes an integer tensor float32, as Keras)."""
    def kernel(self, x1, x2):
        return fn(*self._binary_operands(x1, x2))
    return kernel


def bitwise_kernel(fn):
    """`binary_kernel` for the bitwise operations, whose operands Keras
    names `x` and `y`."""
    def kernel(self, x, y):
        return fn(*self._binary_operands(x, y))
    return kernel


class MathContract:
    """Element-wise NumPy-style functions of keras.ops (see the module)."""

    # ------------------------------------------------------------------
    # Unary, native
    # ------------------------------------------------------------------
    @primitive(tensors=("x",))
    def arccos(self, x):
        """Inverse cosine, element-wise (NaN outside [-1, 1])."""

    @primitive(tensors=("x",))
    def arccosh(self, x):
        """Inverse hyperbolic cosine, element-wise (NaN below 1)."""

    @primitive(tensors=("x",))
    def arcsin(self, x):
        """Inverse sine, element-wise (NaN outside [-1, 1])."""

    @primitive(tensors=("x",))
    def arcsinh(self, x):
        """Inverse hyperbolic sine, element-wise."""

    @primitive(tensors=("x",))
    def arctan(self, x):
        """Inverse tangent, element-wise, in (-pi/2, pi/2)."""

    @primitive(tensors=("x",))
    def arctanh(self, x):
        """Inverse hyperbolic tangent, element-wise (infinite at +-1)."""

    @primitive(tensors=("x",))
    def cosh(self, x):
        """Hyperbolic cosine, element-wise."""

    @primitive(tensors=("x",))
    def sinh(self, x):
        """Hyperbolic sine, element-wise."""

    @primitive(tensors=("x",))
    def tan(self, x):
        """Tangent, element-wise."""

    # ------------------------------------------------------------------
    # Unary, composed (Keras's formulas)
    # ------------------------------------------------------------------
    @composite(tensors=("x",))
    def absolute(self, x):
        """`abs(x)`, the dtype kept (a bool is its own absolute value)."""
        x = self._tensor(x)
        return x if self.dtype(x) == "bool" else self.abs(x)

    @composite(tensors=("x",))
    def fabs(self, x):
        """Absolute value as a float (an integer input gives float32)."""
        return self.abs(self._float_operand(x))

    @composite(tensors=("x",))
    def cbrt(self, x):
        """Real cube root, element-wise: sign(x) * |x| ** (1/3)."""
        x = self._float_operand(x, "float64")
        return self.multiply(self.sign(x), self.power(self.abs(x), 1.0 / 3.0))

    @composite(tensors=("x",))
    def exp2(self, x):
        """2 ** x, element-wise."""
        x = self._float_operand(x)
        return self.power(self.full((), 2.0, self.dtype(x)), x)

    @composite(tensors=("x",))
    def log10(self, x):
        """Base-10 logarithm, element-wise: log(x) / log(10) (Keras's formula)."""
        x = self._float_operand(x)
        return self.divide(self.log(x), self.log(self.full((), 10.0, self.dtype(x))))

    @composite(tensors=("x",))
    def log2(self, x):
        """Base-2 logarithm, element-wise: log(x) / log(2) (Keras's formula)."""
        x = self._float_operand(x)
        return self.divide(self.log(x), self.log(self.full((), 2.0, self.dtype(x))))

    @composite(tensors=("x",))
    def trunc(self, x):
        """Rounds toward zero; integers and bools are returned as they are."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return x
        return self.where(self.less(x, 0.0), self.ceil(x), self.floor(x))

    @composite(tensors=("x",))
    def deg2rad(self, x):
        """Degrees to radians: x * (pi / 180)."""
        return self.multiply(self._float_operand(x, "float64"), math.pi / 180.0)

    @composite(tensors=("x",))
    def rad2deg(self, x):
        """Radians to degrees: x * (180 / pi)."""
        return self.multiply(self._float_operand(x, "float64"), 180.0 / math.pi)

    @composite(tensors=("x",))
    def sinc(self, x):
        """Normalised sinc, sin(pi x) / (pi x), and 1 at x = 0."""
        x = self._float_operand(x)
        zero = self.equal(x, 0.0)
        pi_x = self.multiply(self.where(zero, self.ones_like(x), x), math.pi)
        return self.where(zero, self.ones_like(x), self.divide(self.sin(pi_x), pi_x))

    @primitive(tensors=("x",))
    def signbit(self, x):
        """Whether the sign bit is set, element-wise (True for -0.0); bool."""

    @composite(tensors=("x",))
    def isnan(self, x):
        """Whether each element is NaN (False for integers); bool."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return self._all_false(x)
        return self.not_equal(x, x)

    @composite(tensors=("x",))
    def isinf(self, x):
        """Whether each element is +inf or -inf (False for integers); bool."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return self._all_false(x)
        return self.equal(self.abs(x), math.inf)

    @composite(tensors=("x",))
    def isfinite(self, x):
        """Whether each element is neither NaN nor infinite; bool."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return self.logical_not(self._all_false(x))
        # |x| < inf is False for NaN as well as for +-inf.
        return self.less(self.abs(x), math.inf)

    @composite(tensors=("x",))
    def isneginf(self, x):
        """Whether each element is -inf; bool."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return self._all_false(x)
        return self.equal(x, -math.inf)

    @composite(tensors=("x",))
    def isposinf(self, x):
        """Whether each element is +inf; bool."""
        x = self._tensor(x)
        if self.dtype(x) not in FLOAT_DTYPES:
            return self._all_false(x)
        return self.equal(x, math.inf)

    @composite(tensors=("x",))
    def isreal(self, x):
        """Whether each element is real: always True (kerasx has no complex
        dtype); bool."""
        x = self._tensor(x)
        return self.logical_not(self._all_false(x))

    @composite(tensors=("x",))
    def nan_to_num(self, x, nan=0.0, posinf=None, neginf=None):
        """NaN replaced by `nan`, +inf by `posinf` (default: the dtype's
        largest finite value) and -inf by `neginf` (default: its lowest);
        integers and bools are returned as they are."""
        x = self._tensor(x)
        dtype = self.dtype(x)
        if dtype not in FLOAT_DTYPES:
            return x
        big = _FLOAT_MAX[dtype]
        x = self.where(self.isnan(x), self.full((), nan, dtype), x)
        x = self.where(self.isposinf(x), self.full((), big if posinf is None else posinf,
                                                    dtype), x)
        return self.where(self.isneginf(x),
                          self.full((), -big if neginf is None else neginf, dtype), x)

    @primitive(tensors=("x",))
    def i0(self, x):
        """Modified Bessel function of the first kind, order 0, element-wise
        (an int64 input gives float64, as Keras)."""

    @primitive(tensors=("x",))
    def erfc(self, x):
        """Complementary error function 1 - erf(x), accurate where erf(x)
        is near 1 (floating inputs only, as Keras)."""

    @primitive(tensors=("x",))
    def erfinv(self, x):
        """Inverse error function on (-1, 1) (+-inf at +-1, NaN outside;
        floating inputs only, as Keras)."""

    # ------------------------------------------------------------------
    # Binary
    # ------------------------------------------------------------------
    @primitive(tensors=("x1", "x2"), promote=True)
    def arctan2(self, x1, x2):
        """The angle of the point (x2, x1), element-wise, in [-pi, pi]."""

    @primitive(tensors=("x1", "x2"), promote=True)
    def mod(self, x1, x2):
        """Remainder of floor division, with the sign of `x2` (NumPy's
        `mod`); the dtype kept (bool gives int32)."""

    @primitive(tensors=("x1", "x2"), promote=True)
    def floor_divide(self, x1, x2):
        """floor(x1 / x2), element-wise; the dtype kept."""

    @composite(tensors=("x1", "x2"), promote=True)
    def fmod(self, x1, x2):
        """Remainder of truncated division, with the sign of `x1` (C's fmod):
        sign(x1) * mod(|x1|, |x2|), Keras's formula."""
        x1, x2 = self._binary_operands(x1, x2)
        if self.dtype(x1) == "bool":
            x1, x2 = self.cast(x1, "int32"), self.cast(x2, "int32")
        return self.multiply(self.sign(x1), self.mod(self.abs(x1), self.abs(x2)))

    @composite(tensors=("x1", "x2"), promote=True)
    def hypot(self, x1, x2):
        """sqrt(x1 ** 2 + x2 ** 2) without overflow: max * sqrt(1 + (min /
        max) ** 2) (Keras's formula; 0 where both are 0)."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True, int64="float64")
        a, b = self.abs(x1), self.abs(x2)
        big, small = self.maximum(a, b), self.minimum(a, b)
        ratio = self.divide_no_nan(small, big)
        return self.multiply(big, self.sqrt(self.add(self.square(ratio), 1.0)))

    @composite(tensors=("x1", "x2"), promote=True)
    def true_divide(self, x1, x2):
        """x1 / x2 in floating point (integers give float32)."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True)
        return self.divide(x1, x2)

    @composite(tensors=("x1", "x2"), promote=True)
    def divide_no_nan(self, x1, x2):
        """x1 / x2, and 0 wherever x2 is 0 (also for 0 / 0); floating."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True)
        zero = self.equal(x2, 0.0)
        quotient = self.divide(x1, self.where(zero, self.ones_like(x2), x2))
        return self.where(zero, self.zeros_like(quotient), quotient)

    @composite(tensors=("x1", "x2"), promote=True)
    def fmax(self, x1, x2):
        """Element-wise maximum ignoring NaN: the other operand where one is
        NaN (NaN only where both are)."""
        x1, x2 = self._binary_operands(x1, x2)
        result = self.maximum(x1, x2)
        if self.dtype(result) not in FLOAT_DTYPES:
            return result
        return self._nan_ignoring(x1, x2, result)

    @composite(tensors=("x1", "x2"), promote=True)
    def fmin(self, x1, x2):
        """Element-wise minimum ignoring NaN (see fmax)."""
        x1, x2 = self._binary_operands(x1, x2)
        result = self.minimum(x1, x2)
        if self.dtype(result) not in FLOAT_DTYPES:
            return result
        return self._nan_ignoring(x1, x2, result)

    @composite(tensors=("x1", "x2"), promote=True)
    def heaviside(self, x1, x2):
        """Heaviside step: 0 where x1 < 0, 1 where x1 > 0, x2 where x1 == 0
        (integers give float32, int64 float64)."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True, int64="float64")
        x2 = self.add(self.zeros_like(x1), x2)  # broadcast to the result's shape
        step = self.cast(self.greater(x1, 0.0), self.dtype(x1))
        return self.where(self.equal(x1, 0.0), x2, step)

    @composite(tensors=("x1", "x2"), promote=True)
    def logaddexp(self, x1, x2):
        """log(exp(x1) + exp(x2)) without overflow: max + log1p(exp(-|x1 -
        x2|)) (x1 + x2 where that difference is NaN: equal infinities)."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True)
        delta = self.subtract(x1, x2)
        tail = self.log1p(self.exp(self.negative(self.abs(delta))))
        return self.where(self.isnan(delta), self.add(x1, x2),
                          self.add(self.maximum(x1, x2), tail))

    @composite(tensors=("x1", "x2"), promote=True)
    def logaddexp2(self, x1, x2):
        """log2(2 ** x1 + 2 ** x2) without overflow (see logaddexp)."""
        x1, x2 = self._binary_operands(x1, x2, to_float=True)
        delta = self.subtract(x1, x2)
        ln2 = math.log(2.0)
        tail = self.divide(self.log1p(self.exp(self.multiply(self.abs(delta), -ln2))), ln2)
        return self.where(self.isnan(delta), self.add(x1, x2),
                          self.add(self.maximum(x1, x2), tail))

    @composite(tensors=("x1", "x2"))
    def logical_xor(self, x1, x2):
        """Exclusive or of the operands' truth values; bool."""
        x1, x2 = self._binary_operands(x1, x2)
        return self.not_equal(self.cast(x1, "bool"), self.cast(x2, "bool"))

    @composite(tensors=("x1", "x2"))
    def ldexp(self, x1, x2):
        """x1 * 2 ** x2 for an integer exponent `x2` (floating result; x1
        kept where it is 0 or infinite).

        Raises:
            TypeError: `x2` is not an integer tensor.
        """
        if not self.is_tensor(x2) and isinstance(x2, int) and not isinstance(x2, bool):
            x2 = self.convert_to_tensor(x2, "int32")
        if not self.is_tensor(x2) or self.dtype(x2) not in _INTEGERS:
            raise TypeError("ldexp's exponent x2 must be an integer tensor (as Keras's); "
                            f"received dtype {self.dtype(x2) if self.is_tensor(x2) else x2!r}."
                            " Cast it with ops.cast(x2, 'int32').")
        x1 = self._float_operand(x1) if self.is_tensor(x1) else \
            self.convert_to_tensor(float(x1), DEFAULT_FLOAT)
        dtype = self.dtype(x1)
        scaled = self.multiply(x1, self.power(self.full((), 2.0, dtype), self.cast(x2, dtype)))
        keep = self.logical_or(self.equal(x1, 0.0), self.isinf(x1))
        return self.where(keep, self.add(x1, self.zeros_like(scaled)), scaled)

    @primitive(tensors=("x1", "x2"), promote=True)
    def nextafter(self, x1, x2):
        """The next representable float after x1 toward x2, element-wise."""

    @primitive(tensors=("x1", "x2"), promote=True)
    def gcd(self, x1, x2):
        """Greatest common divisor of integers, element-wise (non-negative)."""

    @primitive(tensors=("x1", "x2"), promote=True)
    def lcm(self, x1, x2):
        """Least common multiple of integers, element-wise (non-negative)."""

    @composite(tensors=("x1", "x2"), promote=True)
    def isclose(self, x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
        """|x1 - x2| <= atol + rtol * |x2|, element-wise (equality for
        integers and infinities; NaNs equal each other with `equal_nan`);
        bool. NumPy's rule: Keras on TensorFlow calls inf and inf not close."""
        x1, x2 = self._binary_operands(x1, x2)
        if self.dtype(x1) not in FLOAT_DTYPES:
            return self.equal(x1, x2)
        close = self.less_equal(self.abs(self.subtract(x1, x2)),
                                self.add(self.multiply(self.abs(x2), rtol), atol))
        # An infinity is close to itself only (NumPy's rule; the tolerance
        # test would call inf and -inf close when rtol > 0).
        infinite = self.logical_or(self.isinf(x1), self.isinf(x2))
        close = self.where(infinite, self.equal(x1, x2), close)
        if equal_nan:
            close = self.logical_or(close, self.logical_and(self.isnan(x1), self.isnan(x2)))
        return close

    @composite(tensors=("x1", "x2"), promote=True)
    def allclose(self, x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
        """Whether `isclose` holds everywhere; a bool scalar."""
        return self.all(self.isclose(x1, x2, rtol, atol, equal_nan))

    # ------------------------------------------------------------------
    # Bitwise (integers and bools)
    # ------------------------------------------------------------------
    @primitive(tensors=("x", "y"), promote=True)
    def bitwise_and(self, x, y):
        """Bitwise and of integers (logical and of bools)."""

    @primitive(tensors=("x", "y"), promote=True)
    def bitwise_or(self, x, y):
        """Bitwise or of integers (logical or of bools)."""

    @primitive(tensors=("x", "y"), promote=True)
    def bitwise_xor(self, x, y):
        """Bitwise exclusive or of integers (logical xor of bools)."""

    @primitive(tensors=("x",))
    def bitwise_invert(self, x):
        """Bitwise not of integers (two's complement: ~x = -x - 1; logical
        not of bools)."""

    @composite(tensors=("x",))
    def bitwise_not(self, x):
        """`bitwise_invert(x)`."""
        return self.bitwise_invert(self._tensor(x))

    @primitive(tensors=("x", "y"), promote=True)
    def left_shift(self, x, y):
        """x shifted left by y bits, integers."""

    @primitive(tensors=("x", "y"), promote=True)
    def right_shift(self, x, y):
        """x shifted right by y bits (arithmetic: the sign kept), integers."""

    @composite(tensors=("x", "y"), promote=True)
    def bitwise_left_shift(self, x, y):
        """`left_shift(x, y)`."""
        return self.left_shift(x, y)

    @composite(tensors=("x", "y"), promote=True)
    def bitwise_right_shift(self, x, y):
        """`right_shift(x, y)`."""
        return self.right_shift(x, y)

    # ------------------------------------------------------------------
    # Helpers (not operations)
    # ------------------------------------------------------------------
    def _float_operand(self, x, int64=DEFAULT_FLOAT):
        """`x` as a floating tensor by Keras's rule: floats kept, bool and
        int32 to float32, int64 to `int64`."""
        x = self._tensor(x)
        dtype = self.dtype(x)
        if dtype in FLOAT_DTYPES:
            return x
        return self.cast(x, int64 if dtype == "int64" else DEFAULT_FLOAT)

    def _binary_operands(self, x1, x2, to_float=False, int64=DEFAULT_FLOAT):
        """Both operands as tensors of one dtype: a Python scalar takes the
        other's dtype (a float scalar makes an integer tensor float32, as
        Keras); with `to_float`, floating by `_float_operand`."""
        if not self.is_tensor(x1) and not self.is_tensor(x2):
            x1 = self.convert_to_tensor(x1)  # two Python numbers: the first sets the dtype
        if not self.is_tensor(x1):
            x2 = self._scalar_partner(x2, x1)
            x1 = self.convert_to_tensor(x1, self.dtype(x2))
        elif not self.is_tensor(x2):
            x1 = self._scalar_partner(x1, x2)
            x2 = self.convert_to_tensor(x2, self.dtype(x1))
        if to_float:
            x1, x2 = self._float_operand(x1, int64), self._float_operand(x2, int64)
        return x1, x2

    def _tensor(self, x):
        """`x`, a Python number made a tensor (float32, int32 or bool)."""
        return x if self.is_tensor(x) else self.convert_to_tensor(x)

    def _scalar_partner(self, tensor, scalar):
        if isinstance(scalar, float) and self.dtype(tensor) not in FLOAT_DTYPES:
            return self.cast(tensor, DEFAULT_FLOAT)
        return tensor

    def _nextafter_by_spacing(self, x, y):
        """nextafter(x, y) of two floating tensors of one dtype by arithmetic,
        for a plugin whose framework has no nextafter nor bit view of a
        float: x plus the spacing of floats at x, 2 ** (exponent - mantissa
        digits + 1), halved below an exact power of two when moving toward
        zero; subnormals, zeros, infinities and NaN as NumPy."""
        dtype = self.dtype(x)
        digits, emin = _FLOAT_FORMAT[dtype]
        a = self.abs(x)
        regular = self.logical_and(self.greater(a, 0.0), self.less(a, math.inf))
        safe = self.where(regular, a, self.ones_like(a))
        two = self.full((), 2.0, dtype)
        # log2 may be a rounding off the exponent: corrected to 2**e <= |x| < 2**(e+1).
        e = self.floor(self.divide(self.log(safe), math.log(2.0)))
        e = self.where(self.greater(self.power(two, e), safe), self.subtract(e, 1.0), e)
        e = self.where(self.less_equal(self.power(two, self.add(e, 1.0)), safe),
                       self.add(e, 1.0), e)
        e = self.maximum(e, float(emin))
        spacing = self.power(two, self.subtract(e, float(digits - 1)))
        up = self.greater(y, x)
        away = self.logical_or(self.logical_and(up, self.greater(x, 0.0)),
                               self.logical_and(self.less(y, x), self.less(x, 0.0)))
        halves = self.logical_and(self.logical_not(away), self.logical_and(
            self.equal(safe, self.power(two, e)), self.greater(e, float(emin))))
        spacing = self.where(halves, self.divide(spacing, 2.0), spacing)
        result = self.add(x, self.where(up, spacing, self.negative(spacing)))
        tiny = self.power(two, self.full((), float(emin - digits + 1), dtype))
        result = self.where(self.equal(x, 0.0), self.where(up, tiny, self.negative(tiny)),
                            result)
        # The largest float, (2 - 2 ** (1 - digits)) * 2 ** emax, by exact
        # arithmetic: a framework may pass a Python float through text.
        big = self.multiply(self.subtract(two, self.power(two, float(1 - digits))),
                            self.power(two, float(1 - emin)))
        result = self.where(self.isinf(x), self.multiply(self.sign(x), big), result)
        result = self.where(self.equal(x, y), self.add(y, self.zeros_like(x)), result)
        return self.where(self.logical_or(self.isnan(x), self.isnan(y)),
                          self.full((), math.nan, dtype), result)

    def _all_false(self, x):
        return self.zeros(self.shape(x), "bool")

    def _nan_ignoring(self, x1, x2, result):
        result = self.where(self.isnan(x1), x2, result)
        return self.where(self.isnan(x2), x1, result)


#: The largest finite value of each floating dtype (nan_to_num's default).
_FLOAT_MAX = {"float16": 65504.0, "float32": 3.4028234663852886e38,
              "float64": 1.7976931348623157e308}

#: Mantissa digits and smallest normal exponent of each floating dtype.
_FLOAT_FORMAT = {"float16": (11, -14), "float32": (24, -126), "float64": (53, -1022)}
