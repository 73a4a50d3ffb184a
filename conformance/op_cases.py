"""The op conformance cases: every contract operation, declared once.

A `Case` names a contract operation, the recipes of its arguments, keyword
arguments, and which arguments to differentiate. The harness runs it on every
backend, in float32 and float64, and for spatial operations in both data
formats. Operations that are not functions of arrays (conversion, variables,
gradients, devices) are checked by `conformance.op_checks`.
"""
import dataclasses

from .image_cases import image_cases, window_cases
from .inputs import (away, booleans, const, distinct, integers, normal,
                                off_grid, one_hot_target, positive, probabilities,
                                unit, avoiding)
from .op_cases_linalg import linalg_cases
from .op_cases_nn import nn_cases

FLOATS = ("float32", "float64")


@dataclasses.dataclass
class Case:
    op: str
    args: list
    kwargs: dict = dataclasses.field(default_factory=dict)
    grad: tuple = ()          # positional arguments to differentiate
    image_args: tuple = ()    # arguments laid out (N, *spatial, C); makes the case spatial
    label: str = ""
    dtypes: tuple = FLOATS

    @property
    def spatial(self):
        return bool(self.image_args)

    @property
    def id(self):
        return f"{self.op}[{self.label}]" if self.label else self.op


#: Stands for the variant's dtype in a case's keyword arguments.
DTYPE = "<variant dtype>"


class Py:
    """A Python value passed to the operation as is (not converted)."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return repr(self.value)


def _unary(op, spec_fn=normal, grad=True, shape=(3, 5), **kwargs):
    return Case(op, [spec_fn(shape)], kwargs, grad=(0,) if grad else ())


def _binary(op, a=normal, b=normal, grad=True):
    return [
        Case(op, [a((3, 4)), b((3, 4))], grad=(0, 1) if grad else (), label="same shape"),
        Case(op, [a((2, 3, 4)), b((4,))], grad=(0, 1) if grad else (), label="broadcast"),
        Case(op, [a((3, 4)), Py(1.5)], grad=(0,) if grad else (), label="scalar"),
    ]


def _cases():
    c = []
    # element-wise arithmetic
    c += _binary("add") + _binary("subtract") + _binary("multiply")
    c += _binary("divide", normal, away)
    c += [Case("power", [positive((3, 4)), normal((3, 4))], grad=(0, 1), label="tensor"),
          Case("power", [positive((3, 4)), Py(3.0)], grad=(0,), label="scalar")]
    c += [Case("maximum", [normal((3, 4)), normal((3, 4))], grad=(0, 1)),
          Case("maximum", [away((3, 4)), Py(0.0)], grad=(0,), label="scalar"),
          Case("minimum", [normal((3, 4)), normal((3, 4))], grad=(0, 1)),
          Case("minimum", [away((3, 4)), Py(0.0)], grad=(0,), label="scalar")]
    for op in ("negative", "exp", "sin", "cos", "tanh", "sigmoid", "erf", "square",
               "expm1"):
        c.append(_unary(op))
    c.append(_unary("abs", away))
    c.append(_unary("sign", away, grad=False))
    for op in ("sqrt", "log", "reciprocal", "rsqrt"):
        c.append(_unary(op, positive))
    c.append(_unary("log1p", lambda s: positive(s, -0.5, 2.0)))
    for op in ("floor", "ceil", "round"):
        c.append(_unary(op, off_grid, grad=False))
    c.append(Case("round", [const([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])], label="half to even"))
    # comparisons and logic
    for op in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"):
        c.append(Case(op, [integers((3, 4), 0, 3, "float64"),
                           integers((3, 4), 0, 3, "float64")], label="with ties"))
        c.append(Case(op, [normal((2, 3, 4)), Py(0.0)], label="scalar"))
    for op in ("logical_and", "logical_or"):
        c.append(Case(op, [booleans((3, 4)), booleans((3, 4))], dtypes=("bool",)))
    c.append(Case("logical_not", [booleans((3, 4))], dtypes=("bool",)))
    # reductions
    for op, spec in (("sum", normal), ("mean", normal), ("prod", positive),
                     ("max", distinct), ("min", distinct), ("var", normal),
                     ("std", normal), ("logsumexp", normal)):
        c.append(Case(op, [spec((2, 3, 4))], grad=(0,), label="all"))
        c.append(Case(op, [spec((2, 3, 4))], {"axis": 1}, grad=(0,), label="axis=1"))
        c.append(Case(op, [spec((2, 3, 4))], {"axis": (0, 2), "keepdims": True},
                      grad=(0,), label="axes, keepdims"))
    for op in ("any", "all"):
        c.append(Case(op, [booleans((3, 4))], dtypes=("bool",), label="all"))
        c.append(Case(op, [booleans((3, 4))], {"axis": 0, "keepdims": True},
                      dtypes=("bool",), label="axis=0"))
    for op in ("argmax", "argmin"):
        c.append(Case(op, [distinct((3, 5))]))
        c.append(Case(op, [distinct((3, 5))], {"axis": 0}, label="axis=0"))
        c.append(Case(op, [const([[1.0, 3.0, 3.0, 0.0]])], label="first of ties"))
    c.append(Case("moments", [normal((4, 3, 2))], {"axes": (0, 1)}, grad=(0,)))
    c.append(Case("moments", [normal((4, 3))], {"axes": 0, "keepdims": True},
                  grad=(0,), label="keepdims"))
    # shape manipulation
    c += [
        Case("reshape", [normal((2, 6))], {"shape": (3, -1)}, grad=(0,)),
        Case("transpose", [normal((2, 3, 4))], {"axes": (2, 0, 1)}, grad=(0,)),
        Case("transpose", [normal((2, 3))], grad=(0,), label="default"),
        Case("transpose", [normal((2, 3, 4))], {"axes": (0, -1, -2)}, grad=(0,),
             label="negative axes"),
        Case("concatenate", [[normal((2, 3)), normal((2, 2))]], {"axis": 1}, grad=(0,)),
        Case("stack", [[normal((2, 3)), normal((2, 3))]], {"axis": 1}, grad=(0,)),
        Case("split", [normal((6, 2))], {"indices_or_sections": 3}, grad=(0,),
             label="sections"),
        Case("split", [normal((2, 7))], {"indices_or_sections": [2, 5], "axis": 1},
             grad=(0,), label="indices"),
        Case("slice", [normal((4, 5))], {"start_indices": (1, 2), "shape": (2, -1)},
             grad=(0,)),
        Case("pad", [normal((2, 3))], {"pad_width": ((1, 0), (2, 1))}, grad=(0,)),
        Case("pad", [normal((2, 3))], {"pad_width": ((0, 1), (1, 1)),
                                       "constant_values": 1.5}, grad=(0,), label="value"),
        Case("tile", [normal((2, 3))], {"repeats": (2, 3)}, grad=(0,)),
        Case("broadcast_to", [normal((3, 1))], {"shape": (2, 3, 4)}, grad=(0,)),
        Case("expand_dims", [normal((2, 3))], {"axis": 1}, grad=(0,)),
        Case("expand_dims", [normal((2, 3))], {"axis": -1}, grad=(0,), label="axis=-1"),
        Case("squeeze", [normal((2, 1, 3, 1))], grad=(0,)),
        Case("squeeze", [normal((2, 1, 3, 1))], {"axis": 1}, grad=(0,), label="axis=1"),
    ]
    # Shape manipulation must also move bool masks and integer labels.
    for dtype, spec in (("bool", booleans), ("int32", lambda sh: integers(sh, -5, 5))):
        c += [
            Case("transpose", [spec((2, 3, 4))], {"axes": (1, 2, 0)}, dtypes=(dtype,),
                 label=dtype),
            Case("reshape", [spec((2, 6))], {"shape": (4, 3)}, dtypes=(dtype,), label=dtype),
            Case("concatenate", [[spec((2, 3)), spec((1, 3))]], {"axis": 0},
                 dtypes=(dtype,), label=dtype),
            Case("stack", [[spec((2, 3)), spec((2, 3))]], {"axis": 2}, dtypes=(dtype,),
                 label=dtype),
            Case("split", [spec((3, 4))], {"indices_or_sections": 2, "axis": 1},
                 dtypes=(dtype,), label=dtype),
            Case("slice", [spec((4, 5))], {"start_indices": (1, 1), "shape": (2, 3)},
                 dtypes=(dtype,), label=dtype),
            Case("tile", [spec((2, 3))], {"repeats": (2, 1)}, dtypes=(dtype,), label=dtype),
            Case("broadcast_to", [spec((3, 1))], {"shape": (2, 3, 4)}, dtypes=(dtype,),
                 label=dtype),
            Case("expand_dims", [spec((2, 3))], {"axis": 1}, dtypes=(dtype,), label=dtype),
            Case("squeeze", [spec((2, 1, 3))], {"axis": 1}, dtypes=(dtype,), label=dtype),
            Case("take", [spec((5, 3)), integers((4,), 0, 5)], {"axis": 0},
                 dtypes=(dtype,), label=dtype),
            Case("where", [booleans((3, 4)), spec((3, 4)), spec((3, 4))],
                 dtypes=(dtype,), label=dtype),
        ]
    # indexing and selection
    c += [
        Case("take", [normal((5, 3)), integers((2, 4), 0, 5)], {"axis": 0}, grad=(0,)),
        Case("take", [normal((3, 5)), integers((4,), 0, 5, "int64")], {"axis": 1},
             grad=(0,), label="int64 axis=1"),
        Case("take", [normal((3, 4)), integers((5,), 0, 12)], grad=(0,),
             label="flat"),
        Case("take_along_axis", [normal((3, 4)), integers((3, 2), 0, 4)], {"axis": 1},
             grad=(0,)),
        Case("one_hot", [integers((2, 3), 0, 4)], {"num_classes": 4, "dtype": DTYPE}),
        Case("one_hot", [const([0, 3, 4, -1], "int32")], {"num_classes": 4,
                                                          "dtype": DTYPE},
             label="out of range"),
        Case("one_hot", [integers((5,), 0, 3)], {"num_classes": 3}, dtypes=("float32",),
             label="default dtype"),
        Case("where", [booleans((3, 4)), normal((3, 4)), normal((3, 4))], grad=(1, 2)),
        Case("clip", [avoiding((3, 4), (-0.5, 0.5)), Py(-0.5), Py(0.5)], grad=(0,)),
        Case("top_k", [distinct((3, 6))], {"k": 3}, grad=(0,)),
        Case("top_k", [const([[1.0, 3.0, 2.0, 3.0, 1.0]])], {"k": 3}, label="ties"),
        Case("matmul", [normal((3, 4)), normal((4, 2))], grad=(0, 1)),
        Case("matmul", [normal((2, 3, 4)), normal((4, 5))], grad=(0, 1),
             label="batched"),
        Case("einsum", [Py("bij,jk->bik"), normal((2, 3, 4)), normal((4, 5))],
             grad=(1, 2)),
        Case("einsum", [Py("...ij->...ji"), normal((2, 3, 4))], grad=(1,),
             label="ellipsis"),
        Case("dot_product_attention",
             [normal((2, 3, 2, 4)), normal((2, 5, 2, 4)), normal((2, 5, 2, 4))],
             grad=(0, 1, 2)),
        Case("dot_product_attention",
             [normal((2, 3, 4, 4)), normal((2, 5, 2, 4)), normal((2, 5, 2, 4)),
              normal((1, 4, 3, 5)), booleans((2, 1, 3, 5))],
             {"is_causal": True, "scale": 0.3}, grad=(0, 1, 2, 3),
             label="grouped bias mask causal"),
    ]
    c += _spatial_cases()
    c += _activation_cases()
    c += _loss_cases()
    c += _recurrent_cases()
    from .op_cases_array import array_cases, fft_cases, indexing_cases, numeric_cases
    c += array_cases() + indexing_cases() + numeric_cases() + fft_cases()
    c += nn_cases()
    c += linalg_cases()
    return c


def _spatial_cases():
    c = []
    # Convolution: odd and even sizes, "same" with odd and even kernels (the odd
    # pixel of padding), strides 1 and 2, dilation, groups; 1-D, 2-D and 3-D.
    for n in (7, 8):
        for k in (2, 3):
            for stride in (1, 2):
                for padding in ("valid", "same"):
                    c.append(Case("conv", [normal((2, n, 3)), normal((k, 3, 4))],
                                  {"strides": stride, "padding": padding}, grad=(0, 1),
                                  image_args=(0,),
                                  label=f"1d n={n} k={k} s={stride} {padding}"))
    for n in (5, 6):
        for k in (2, 3):
            for stride in (1, 2):
                for padding in ("valid", "same"):
                    c.append(Case("conv", [normal((2, n, n + 1, 3)), normal((k, 3, 3, 4))],
                                  {"strides": stride, "padding": padding}, grad=(0, 1),
                                  image_args=(0,),
                                  label=f"2d n={n} k={k} s={stride} {padding}"))
    c += [
        Case("conv", [normal((1, 7, 6, 2)), normal((3, 2, 2, 3))],
             {"padding": "same", "dilation_rate": 2}, grad=(0, 1), image_args=(0,),
             label="2d dilation=2 same"),
        Case("conv", [normal((1, 9, 3)), normal((3, 3, 2))],
             {"padding": "valid", "dilation_rate": 3}, grad=(0, 1), image_args=(0,),
             label="1d dilation=3 valid"),
        Case("conv", [normal((2, 5, 5, 4)), normal((3, 3, 2, 6))],
             {"padding": "same", "strides": 2}, grad=(0, 1), image_args=(0,),
             label="2d groups=2 s=2 same"),
        Case("conv", [normal((1, 6, 6, 3)), normal((2, 2, 1, 3))],
             {"padding": "same"}, grad=(0, 1), image_args=(0,),
             label="2d depthwise groups=3 same"),
        Case("conv", [normal((2, 8, 4)), normal((3, 2, 4))],
             {"padding": "same", "strides": 2}, grad=(0, 1), image_args=(0,),
             label="1d groups=2 s=2 same"),
        Case("conv", [normal((2, 5, 4, 3)), normal((2, 3, 3, 2))],
             {"strides": (2, 1), "padding": "same"}, grad=(0, 1), image_args=(0,),
             label="2d strides=(2,1) same"),
    ]
    # 3-D convolution.
    for stride in (1, 2):
        for padding in ("valid", "same"):
            c.append(Case("conv", [normal((1, 4, 5, 3, 2)), normal((2, 3, 2, 2, 3))],
                          {"strides": stride, "padding": padding}, grad=(0, 1),
                          image_args=(0,), label=f"3d s={stride} {padding}"))
    c += [
        Case("conv", [normal((1, 5, 4, 4, 2)), normal((2, 2, 2, 2, 2))],
             {"padding": "same", "dilation_rate": (2, 1, 2)}, grad=(0, 1),
             image_args=(0,), label="3d dilation=(2,1,2) same"),
        Case("conv", [normal((1, 3, 4, 3, 4)), normal((2, 2, 2, 2, 4))],
             {"padding": "same", "strides": (1, 2, 1)}, grad=(0, 1), image_args=(0,),
             label="3d groups=2 strides=(1,2,1) same"),
    ]
    # Transposed convolution.
    for n in (4, 5):
        for k in (2, 3):
            for stride in (1, 2):
                for padding in ("valid", "same"):
                    c.append(Case("conv_transpose",
                                  [normal((2, n, n + 1, 3)), normal((k, k, 2, 3))],
                                  {"strides": stride, "padding": padding}, grad=(0, 1),
                                  image_args=(0,),
                                  label=f"n={n} k={k} s={stride} {padding}"))
    c += [
        Case("conv_transpose", [normal((1, 4, 4, 2)), normal((3, 3, 3, 2))],
             {"strides": 2, "padding": "same", "output_padding": 0}, grad=(0, 1),
             image_args=(0,), label="output_padding=0 same"),
        Case("conv_transpose", [normal((1, 4, 3, 2)), normal((3, 3, 3, 2))],
             {"strides": 3, "padding": "valid", "output_padding": 2}, grad=(0, 1),
             image_args=(0,), label="output_padding=2 valid s=3"),
        Case("conv_transpose", [normal((1, 4, 5, 2)), normal((3, 2, 2, 2))],
             {"padding": "same", "dilation_rate": 2}, grad=(0, 1), image_args=(0,),
             label="dilation=2 same"),
    ]
    # Transposed convolution, 1-D and 3-D.
    for k in (2, 3):
        for stride in (1, 2):
            for padding in ("valid", "same"):
                c.append(Case("conv_transpose", [normal((2, 5, 3)), normal((k, 2, 3))],
                              {"strides": stride, "padding": padding}, grad=(0, 1),
                              image_args=(0,), label=f"1d k={k} s={stride} {padding}"))
    c += [
        Case("conv_transpose", [normal((2, 4, 3)), normal((3, 2, 3))],
             {"strides": 3, "padding": "same", "output_padding": 1}, grad=(0, 1),
             image_args=(0,), label="1d output_padding=1 s=3 same"),
        Case("conv_transpose", [normal((2, 4, 2)), normal((2, 3, 2))],
             {"strides": 1, "padding": "valid", "dilation_rate": 3}, grad=(0, 1),
             image_args=(0,), label="1d dilation=3 valid"),
    ]
    for stride in (1, 2):
        for padding in ("valid", "same"):
            c.append(Case("conv_transpose",
                          [normal((1, 3, 2, 3, 2)), normal((2, 3, 2, 3, 2))],
                          {"strides": stride, "padding": padding}, grad=(0, 1),
                          image_args=(0,), label=f"3d s={stride} {padding}"))
    c += [
        Case("conv_transpose", [normal((1, 2, 3, 3, 2)), normal((3, 2, 2, 2, 2))],
             {"strides": (2, 3, 1), "padding": "valid", "output_padding": (1, 2, 0)},
             grad=(0, 1), image_args=(0,), label="3d output_padding=(1,2,0) valid"),
        Case("conv_transpose", [normal((1, 3, 3, 2, 2)), normal((2, 2, 2, 2, 2))],
             {"padding": "same", "dilation_rate": 2}, grad=(0, 1), image_args=(0,),
             label="3d dilation=2 same"),
    ]
    # Pooling.
    for op in ("max_pool", "average_pool"):
        spec = distinct if op == "max_pool" else normal
        for n in (7, 8):
            for pool, stride in ((2, None), (3, 2), (3, 1)):
                for padding in ("valid", "same"):
                    c.append(Case(op, [spec((2, n, 3))],
                                  {"pool_size": pool, "strides": stride,
                                   "padding": padding}, grad=(0,), image_args=(0,),
                                  label=f"1d n={n} p={pool} s={stride} {padding}"))
        for n in (5, 6):
            for pool, stride in ((2, None), (3, 2), (2, 1)):
                for padding in ("valid", "same"):
                    c.append(Case(op, [spec((2, n, n + 1, 2))],
                                  {"pool_size": pool, "strides": stride,
                                   "padding": padding}, grad=(0,), image_args=(0,),
                                  label=f"2d n={n} p={pool} s={stride} {padding}"))
        for pool, stride in ((2, None), (3, 2), ((2, 3, 1), (1, 2, 1))):
            for padding in ("valid", "same"):
                c.append(Case(op, [spec((1, 4, 5, 3, 2))],
                              {"pool_size": pool, "strides": stride, "padding": padding},
                              grad=(0,), image_args=(0,),
                              label=f"3d p={pool} s={stride} {padding}"))
    # Adaptive pooling: unequal, overlapping bins (n not a multiple of m),
    # equal bins (one pooling kernel), and more outputs than inputs.
    for op in ("adaptive_average_pool", "adaptive_max_pool"):
        spec = distinct if op == "adaptive_max_pool" else normal
        for shape, size in (((2, 7, 3), 3), ((2, 8, 3), 4), ((2, 3, 2), 5),
                            ((2, 5, 6, 2), (3, 4)), ((1, 5, 4, 3, 2), (2, 3, 2))):
            c.append(Case(op, [spec(shape)], {"output_size": size}, grad=(0,),
                          image_args=(0,), label=f"{len(shape) - 2}d n={shape[1:-1]} "
                                                 f"m={size}"))
    return c


def _activation_cases():
    c = [
        _unary("relu", away), _unary("relu6", lambda s: avoiding(s, (0.0, 6.0))),
        Case("relu6", [const([-1.0, 0.5, 5.5, 7.0, 9.0])], grad=(0,), label="saturation"),
        _unary("leaky_relu", away), _unary("leaky_relu", away, negative_slope=0.01),
        _unary("elu", away), _unary("elu", away, alpha=0.5),
        Case("elu", [const([-1000.0, -20.0, 20.0, 1000.0])], grad=(0,), label="extremes"),
        _unary("selu", away),
        _unary("gelu", normal), _unary("gelu", normal, approximate=False),
        _unary("hard_sigmoid", lambda s: avoiding(s, (-3.0, 3.0))),
        _unary("softplus", normal),
        Case("softplus", [const([-800.0, -30.0, 30.0, 800.0])], grad=(0,),
             label="extremes"),
        _unary("softsign"), _unary("silu"), _unary("exponential"),
        # Forward only: every framework's sigmoid gradient is s * (1 - s), which
        # cancels catastrophically at large x (relative error 1e-3 at x = 30).
        Case("sigmoid", [const([-800.0, -30.0, 0.0, 30.0, 800.0])], label="extremes"),
    ]
    for op in ("softmax", "log_softmax"):
        c.append(Case(op, [normal((3, 5))], grad=(0,)))
        c.append(Case(op, [normal((3, 4, 2))], {"axis": 1}, grad=(0,), label="axis=1"))
        c.append(Case(op, [const([[1000.0, 0.0, -1000.0]])], grad=(0,), label="extremes"))
    for case in c:
        if not case.label and case.kwargs:
            case.label = ", ".join(f"{k}={v}" for k, v in case.kwargs.items())
    return c


def _loss_cases():
    return [
        Case("batch_normalization",
             [normal((4, 3, 5)), normal((5,)), positive((5,)), Py(-1)],
             {"offset": None, "scale": None}, grad=(0, 1, 2), label="plain"),
        Case("batch_normalization",
             [normal((4, 3, 2, 3)), normal((3,)), positive((3,)), Py(-1), normal((3,)),
              positive((3,))], grad=(0, 1, 2, 4, 5), label="offset, scale"),
        Case("batch_normalization",
             [normal((4, 3, 2)), normal((3,)), positive((3,)), Py(1)],
             {"epsilon": 1e-5}, grad=(0, 1, 2), label="axis=1"),
        Case("dropout", [normal((4, 5)), booleans((4, 5)), Py(0.3)], grad=(0,)),
        Case("categorical_crossentropy", [one_hot_target((4, 5)), probabilities((4, 5))],
             grad=(1,), label="probabilities"),
        Case("categorical_crossentropy", [probabilities((4, 5)), normal((4, 5))],
             {"from_logits": True}, grad=(0, 1), label="logits"),
        Case("categorical_crossentropy", [const([[1.0, 0.0, 0.0]]),
                                          const([[0.0, 1.0, 0.0]])],
             label="clipped low"),
        # The upper bound 1 - 1e-7 is 0.99999988 in float32, so -log of it
        # differs from float64's by 19%: only float64 can check that bound.
        Case("categorical_crossentropy", [const([[0.0, 1.0, 0.0]]),
                                          const([[0.0, 1.0, 0.0]])],
             label="clipped high", dtypes=("float64",)),
        Case("sparse_categorical_crossentropy", [integers((4,), 0, 5), probabilities((4, 5))],
             grad=(1,), label="probabilities"),
        Case("sparse_categorical_crossentropy", [integers((2, 3), 0, 4), normal((2, 3, 4))],
             {"from_logits": True}, grad=(1,), label="logits"),
        Case("binary_crossentropy", [unit((3, 4)), unit((3, 4))], grad=(0, 1),
             label="probabilities"),
        Case("binary_crossentropy", [unit((3, 4)), normal((3, 4))],
             {"from_logits": True}, grad=(0, 1), label="logits"),
        Case("binary_crossentropy", [const([0.0, 1.0, 1.0]), const([0.0, 1.0, 0.5])],
             label="clipped"),
    ]


def _recurrent_cases():
    """The lstm / gru composites (or a plugin's fused kernel) against the
    NumPy reference: with and without bias, mask (post-padding, pre-padding
    and a hole), go_backwards and zero_output_for_mask."""
    mask = const([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 1]], dtype="bool")
    b, t, f, u = 3, 5, 4, 3

    def small(shape):
        # Weights of Keras's initial scale: the gates stay off saturation,
        # where the finite differences of the gradient check lose accuracy.
        return positive(shape, -0.6, 0.6)

    def lstm(label, bias=True, with_mask=False, **kwargs):
        args = [normal((b, t, f)), normal((b, u)), normal((b, u)), small((f, 4 * u)),
                small((u, 4 * u)), small((4 * u,)) if bias else Py(None),
                mask if with_mask else Py(None)]
        grad = (0, 1, 2, 3, 4, 5) if bias else (0, 1, 2, 3, 4)
        return Case("lstm", args, kwargs, grad=grad, label=label)

    def gru(label, bias=True, with_mask=False, reset_after=True, **kwargs):
        bias_spec = small((2, 3 * u) if reset_after else (3 * u,))
        args = [normal((b, t, f)), normal((b, u)), small((f, 3 * u)),
                small((u, 3 * u)), bias_spec if bias else Py(None),
                mask if with_mask else Py(None)]
        grad = (0, 1, 2, 3, 4) if bias else (0, 1, 2, 3)
        return Case("gru", args, dict(kwargs, reset_after=reset_after), grad=grad,
                    label=label)

    return [
        lstm("plain"),
        lstm("no bias", bias=False),
        lstm("backwards", go_backwards=True),  # a fused kernel's path
        lstm("masked", with_mask=True),
        lstm("masked backwards", with_mask=True, go_backwards=True),
        lstm("masked zero output", with_mask=True, zero_output_for_mask=True),
        gru("plain"),
        gru("no bias", bias=False),
        gru("backwards", go_backwards=True),
        gru("masked backwards", with_mask=True, go_backwards=True),
        gru("reset_after=False", reset_after=False),
        gru("reset_after=False masked zero output", reset_after=False, with_mask=True,
            zero_output_for_mask=True),
    ]


from .op_cases_math import math_cases  # noqa: E402 (it uses Case)

CASES = _cases() + math_cases() + image_cases(Case, Py) + window_cases(Case, Py)
