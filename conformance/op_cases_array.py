"""Op conformance cases of the array family (kerasx/backend/contract_array.py)."""
from .inputs import booleans, const, distinct, integers, normal
from .op_cases import Case, Py


def _moves():
    g = (0,)
    return [
        Case("flip", [normal((2, 3, 4))], {"axis": (0, 2)}, grad=g),
        Case("flip", [integers((3, 2), -5, 5)], dtypes=("int32",), label="int32"),
        Case("fliplr", [normal((3, 4))], grad=g),
        Case("flipud", [normal((3, 4))], grad=g),
        Case("roll", [normal((3, 4))], {"shift": 2}, grad=g, label="flat"),
        Case("roll", [normal((3, 4, 2))], {"shift": (1, -1), "axis": (0, 1)}, grad=g),
        Case("rot90", [normal((3, 4, 2))], {"k": 1, "axes": (1, 2)}, grad=g),
        Case("rot90", [normal((3, 4))], {"k": 2}, grad=g, label="k=2"),
        Case("repeat", [normal((2, 3))], {"repeats": [2, 0, 1], "axis": 1}, grad=g),
        Case("repeat", [normal((2, 3))], {"repeats": 2}, grad=g, label="flat"),
        Case("swapaxes", [normal((2, 3, 4))], {"axis1": 0, "axis2": 2}, grad=g),
        Case("moveaxis", [normal((2, 3, 4))], {"source": (0, 1), "destination": (2, 0)},
             grad=g),
        Case("ravel", [normal((2, 3))], grad=g),
        Case("copy", [normal((2, 3))], grad=g),
        Case("copy", [booleans((2, 3))], dtypes=("bool",), label="bool"),
        Case("array", [normal((2, 3))], grad=g),
        Case("size", [normal((2, 3, 4))]),
        Case("tril", [normal((2, 4, 5))], {"k": -1}, grad=g),
        Case("triu", [normal((4, 5))], {"k": 1}, grad=g),
        Case("diagonal", [normal((2, 4, 3))], {"offset": 1, "axis1": 2, "axis2": 1}, grad=g),
        Case("diag", [normal((3,))], {"k": -1}, grad=g),
        Case("diag", [normal((3, 4))], {"k": 1}, grad=g, label="2-D"),
        Case("diagflat", [normal((2, 2))], {"k": 1}, grad=g),
        Case("trace", [normal((2, 3, 4))], {"offset": 1, "axis1": 1, "axis2": 2}, grad=g),
        Case("diff", [normal((4, 5))], {"n": 2, "axis": 0}, grad=g),
        Case("append", [normal((2, 3)), normal((1, 3))], {"axis": 0}, grad=(0, 1)),
        Case("append", [normal((2, 3)), normal((4,))], grad=(0, 1), label="flat"),
        Case("hstack", [[normal((2, 3)), normal((2, 1))]], grad=g),
        Case("vstack", [[normal((3,)), normal((2, 3))]], grad=g),
        Case("dstack", [[normal((2, 3)), normal((2, 3, 2))]], grad=g),
        Case("array_split", [normal((7, 2))], {"indices_or_sections": 3}, grad=g),
        Case("hsplit", [normal((2, 6))], {"indices_or_sections": [1, 4]}, grad=g),
        Case("vsplit", [normal((4, 3))], {"indices_or_sections": 2}, grad=g),
        Case("dsplit", [normal((2, 2, 4))], {"indices_or_sections": 2}, grad=g),
        Case("pad", [normal((5,))], {"pad_width": ((2, 1),)}, grad=g, label="1-D"),
        Case("count_nonzero", [const([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]])], {"axis": 1}),
    ]


def _products():
    gg = (0, 1)
    return [
        Case("outer", [normal((3,)), normal((2, 2))], grad=gg),
        Case("inner", [normal((2, 3)), normal((4, 3))], grad=gg),
        Case("vdot", [normal((2, 3)), normal((6,))], grad=gg),
        Case("dot", [normal((2, 3, 4)), normal((5, 4, 2))], grad=gg),
        Case("dot", [normal((3, 4)), normal((4,))], grad=gg, label="matrix-vector"),
        Case("tensordot", [normal((2, 3, 4)), normal((4, 2))], {"axes": ([0, 2], [1, 0])},
             grad=gg),
        Case("tensordot", [normal((2, 3, 4)), normal((3, 4, 5))], grad=gg, label="axes=2"),
        Case("kron", [normal((2, 3)), normal((3,))], grad=gg),
        Case("cross", [normal((4, 3)), normal((4, 3))], grad=gg),
        Case("cross", [normal((3, 2)), normal((3, 3))], {"axisa": 1, "axisb": 0,
                                                          "axisc": 0}, grad=gg,
             label="2 and 3 components"),
    ]


def _search():
    return [
        Case("sort", [distinct((3, 5))], grad=(0,)),
        Case("sort", [distinct((3, 4))], {"axis": None}, grad=(0,), label="flat"),
        Case("sort", [integers((4, 3), -5, 5)], {"axis": 0}, dtypes=("int32",),
             label="int32"),
        Case("argsort", [const([[2.0, 1.0, 2.0, 0.0, 1.0]])], label="ties"),
        Case("argsort", [distinct((3, 4))], {"axis": 0}),
        Case("cumsum", [normal((3, 4))], {"axis": 1}, grad=(0,)),
        Case("cumsum", [normal((2, 3))], grad=(0,), label="flat"),
        Case("cumsum", [integers((3, 4), -5, 5)], {"axis": 0}, dtypes=("int32",),
             label="int32"),
        Case("cumprod", [normal((3, 5))], {"axis": 1}, grad=(0,)),
        Case("cumprod", [const([[1.5, 0.0, -2.0, 0.5], [0.0, 0.0, 3.0, -1.0]])],
             {"axis": 1}, grad=(0,), label="zeros"),
        Case("nancumsum", [const([[1.5, float("nan"), -2.0], [float("nan"), 0.7, 3.0]])],
             {"axis": 1}),
        Case("nancumprod", [const([[1.5, float("nan"), -2.0], [float("nan"), 0.7, 3.0]])],
             {"axis": 0}),
        Case("nancumsum", [normal((3, 4))], grad=(0,), label="no NaN"),
        Case("nancumprod", [normal((3, 4))], {"axis": 1}, grad=(0,), label="no NaN"),
        Case("searchsorted", [const([-1.0, 0.0, 0.5, 2.0]),
                              const([[-2.0, 0.0, 0.7], [2.0, 3.0, 0.5]])]),
        Case("searchsorted", [const([-1.0, 0.0, 0.5, 2.0]), const([-2.0, 0.0, 2.0, 3.0])],
             {"side": "right"}, label="right"),
        Case("nonzero", [const([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]])]),
        Case("digitize", [normal((3, 4))], {"bins": [-1.0, 0.0, 0.5]}),
        Case("isin", [integers((3, 4), -3, 3), const([0, 2, -3], "int32")],
             {"invert": True}, dtypes=("int32",)),
        Case("meshgrid", [normal((3,)), normal((2,)), normal((4,))], grad=(0, 1, 2)),
        Case("meshgrid", [normal((3,)), normal((2,))], {"indexing": "ij"}, grad=(0, 1),
             label="ij"),
        Case("select", [[booleans((3,)), booleans((3,))], [normal((3,)), normal((3,))],
                        Py(-1.0)], grad=(1,)),
    ]


def array_cases():
    """Every case of the array family."""
    return _moves() + _products() + _search()


def indexing_cases():
    """Every case of the indexing family (kerasx/backend/contract_indexing.py)."""
    rows = const([[0, 1], [2, 3], [0, 1], [1, 0]], "int32")
    ids = const([0, 2, 0, 3, 2], "int32")
    full = const([0, 2, 0, 1, 2], "int32")
    return [
        Case("scatter", [rows, normal((4,)), Py((3, 4))], grad=(1,)),
        Case("scatter", [const([[1], [0], [1]], "int32"), normal((3, 4)), Py((2, 4))],
             grad=(1,), label="slices"),
        Case("scatter_update", [normal((3, 4)), const([[0, 1], [2, 3]], "int32"),
                                normal((2,))], grad=(0, 2)),
        Case("scatter_update", [normal((3, 4)), rows, normal((4,))], {"reduction": "add"},
             grad=(0, 2), label="add"),
        Case("scatter_update", [distinct((3, 4)), rows, distinct((4,))],
             {"reduction": "max"}, grad=(0, 2), label="max"),
        Case("scatter_update", [distinct((3, 4)), rows, distinct((4,))],
             {"reduction": "min"}, grad=(0, 2), label="min"),
        Case("scatter_update", [normal((3, 4)), rows, normal((4,))], {"reduction": "mul"},
             grad=(0, 2), label="mul"),
        Case("slice_update", [normal((4, 5)), Py((1, 2)), normal((2, 3))], grad=(0, 2)),
        Case("unstack", [normal((3, 4))], {"axis": 1}, grad=(0,)),
        Case("segment_sum", [normal((5, 3)), ids], grad=(0,)),
        # Every segment filled: an empty one holds the dtype's lowest (highest)
        # value, which a normwise comparison cannot weigh.
        Case("segment_max", [distinct((5, 3)), full], grad=(0,)),
        Case("segment_min", [distinct((5, 3)), full], {"num_segments": 3}, grad=(0,)),
        Case("segment_prod", [normal((5, 2)), ids], grad=(0,)),
        Case("in_top_k", [const([0, 2, 1], "int32"), const([[0.1, 0.5, 0.4], [0.3, 0.3, 0.3],
                                                           [0.9, 0.05, 0.05]]), Py(1)]),
        Case("extract_sequences", [normal((2, 10))], {"sequence_length": 4,
                                                      "sequence_stride": 3}, grad=(0,)),
        Case("unravel_index", [const([0, 23, 13, 6], "int32"), Py((2, 3, 4))]),
        Case("bincount", [const([0, 1, 1, 4, 1], "int32")], {"minlength": 7}),
        Case("histogram", [const([-1.0, -0.5, 0.2, 0.3, 0.9, 1.0])], {"bins": 4}),
        Case("argpartition", [const([[3.0, 1.0, 2.0, 1.0]])], {"kth": 1}),
        Case("get_item", [normal((3, 4, 5)), Py((None, slice(None, None, -2), 2, [1, -1]))],
             grad=(0,)),
        Case("get_item", [normal((3, 4)), Py((Ellipsis, slice(1, 3)))], grad=(0,),
             label="ellipsis"),
        Case("unique", [const([[3.0, 1.0, 2.0], [1.0, 3.0, 5.0]])],
             {"return_index": True, "return_inverse": True, "return_counts": True}),
        Case("unique", [const([4, 1, 4, 2, 1], "int32")],
             {"sorted": False, "return_index": True, "return_counts": True, "size": 4,
              "fill_value": -1}, dtypes=("int32",), label="size"),
    ]


def numeric_cases():
    """Every case of the numeric family (kerasx/backend/contract_numeric.py)."""
    gg = (0, 1)
    return [
        Case("vander", [normal((4,))], {"N": 5, "increasing": True}, grad=(0,)),
        Case("vander", [const([1, 2, -3], "int32")], dtypes=("int32",), label="int32"),
        Case("trapezoid", [normal((5, 3))], {"dx": 0.5, "axis": 0}, grad=(0,)),
        Case("trapezoid", [normal((2, 5)), distinct((5,))], grad=gg, label="x"),
        Case("correlate", [normal((7,)), normal((4,))], {"mode": "same"}, grad=gg),
        Case("correlate", [normal((3,)), normal((6,))], {"mode": "same"}, grad=gg,
             label="longer second"),
        Case("correlate", [normal((6,)), normal((3,))], {"mode": "full"}, grad=gg,
             label="full"),
        Case("correlate", [normal((6,)), normal((3,))], grad=gg, label="valid"),
        Case("corrcoef", [normal((3, 6))], grad=(0,)),
        Case("cdist", [normal((2, 4, 3)), normal((2, 5, 3))], grad=gg),
        Case("slogdet", [normal((2, 4, 4))], grad=(0,)),
        Case("rearrange", [normal((2, 6, 4)), Py("b (h1 h) w -> (b h1) w h")], {"h1": 2},
             grad=(0,)),
        Case("logdet", [const([[4.0, 1.0, 0.5], [1.0, 3.0, -0.2], [0.5, -0.2, 2.0]])],
             grad=(0,)),
    ]


def fft_cases():
    """Every case of the Fourier family (kerasx/backend/contract_fft.py)."""
    def pair(shape):
        return [normal(shape), normal(shape)]

    g = (0,)
    stft = {"sequence_length": 6, "sequence_stride": 3, "fft_length": 8}
    return [
        Case("fft", [pair((3, 8))], grad=g),
        Case("fft2", [pair((2, 4, 5))], grad=g),
        Case("ifft2", [pair((3, 6))], grad=g),
        Case("rfft", [normal((3, 8))], grad=g),
        Case("rfft", [normal((7,))], {"fft_length": 10}, grad=g, label="padded"),
        Case("irfft", [pair((2, 5))], grad=g),
        Case("irfft", [pair((2, 5))], {"fft_length": 9}, grad=g, label="odd"),
        Case("stft", [normal((2, 30))], stft, grad=g),
        Case("stft", [normal((25,))], dict(stft, window="hamming", center=False), grad=g,
             label="hamming, not centred"),
        Case("istft", [pair((2, 9, 5))], stft, grad=g),
        Case("istft", [pair((9, 5))], dict(stft, window=None, center=False, length=20),
             grad=g, label="no window, length"),
    ]
