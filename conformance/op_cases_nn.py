"""Op conformance cases of the keras.ops.nn composites of
kerasx/backend/contract_nn.py (reference: conformance/reference_nn.py)."""
from .inputs import avoiding, const, integers, normal, positive


def nn_cases():
    from .op_cases import DTYPE, Case, Py, _unary

    kinks = (-1.0, -0.5, 0.0, 0.5, 1.0)

    def smooth(shape):
        return avoiding(shape, kinks)

    c = [
        _unary("celu", smooth), _unary("celu", smooth, alpha=0.5),
        _unary("glu", normal, shape=(3, 6)), _unary("glu", normal, shape=(4, 3), axis=0),
        _unary("hard_shrink", smooth), _unary("hard_shrink", smooth, threshold=1.0),
        _unary("soft_shrink", smooth), _unary("soft_shrink", smooth, threshold=1.0),
        _unary("hard_silu", lambda s: avoiding(s, (-3.0, 3.0))),
        _unary("hard_swish", lambda s: avoiding(s, (-3.0, 3.0))),
        _unary("swish"), _unary("hard_tanh", smooth), _unary("log_sigmoid"),
        Case("log_sigmoid", [const([-800.0, -30.0, 0.0, 30.0, 800.0])],
             label="extremes"),
        _unary("sparse_plus", smooth), _unary("sparse_sigmoid", smooth),
        _unary("squareplus"), _unary("squareplus", b=2), _unary("tanh_shrink"),
        Case("threshold", [smooth((3, 5)), Py(0.5), Py(-2.0)], grad=(0,)),
        _unary("sparsemax", lambda s: positive(s, -1.0, 1.0), shape=(4, 5)),
        _unary("sparsemax", lambda s: positive(s, -1.0, 1.0), shape=(3, 4, 2), axis=1),
        _unary("normalize"), _unary("normalize", axis=0),
        _unary("normalize", order=1, shape=(3, 4)), _unary("normalize", order=3),
        _unary("rms_normalization"),
        Case("rms_normalization", [normal((2, 3, 4)), positive((4,))], grad=(0, 1),
             label="scale"),
        _unary("layer_normalization"),
        Case("layer_normalization", [normal((2, 3, 4)), positive((3, 4)), normal((3, 4))],
             {"axis": (1, 2), "epsilon": 1e-3}, grad=(0, 1, 2), label="gamma, beta, 2 axes"),
        Case("psnr", [normal((2, 4, 3)), normal((2, 4, 3)), Py(2.0)], grad=(0, 1)),
        Case("multi_hot", [integers((3, 4), 0, 6)], {"num_classes": 5, "dtype": DTYPE}),
        Case("multi_hot", [integers((4,), 0, 5)], {"num_classes": 5, "dtype": DTYPE},
             label="rank 1"),
        Case("depth_to_space", [normal((2, 3, 2, 8))], {"block_size": 2}, grad=(0,),
             image_args=(0,)),
        Case("space_to_depth", [normal((2, 4, 6, 3))], {"block_size": 2}, grad=(0,),
             image_args=(0,)),
        Case("unfold", [normal((2, 2, 5, 4))], {"kernel_size": 2}, grad=(0,)),
        Case("unfold", [normal((1, 2, 7, 6))],
             {"kernel_size": (3, 2), "dilation": 2, "padding": 1, "stride": (2, 1)},
             grad=(0,), label="dilation, padding, stride"),
        Case("fold", [normal((2, 8, 12))], {"output_size": (5, 4), "kernel_size": 2},
             grad=(0,)),
        Case("fold", [normal((1, 12, 18))],
             {"output_size": (7, 6), "kernel_size": (3, 2), "dilation": 2, "padding": 1,
              "stride": (2, 1)}, grad=(0,), label="dilation, padding, stride"),
        Case("separable_conv", [normal((2, 5, 6, 3)), normal((3, 3, 3, 2)),
                                normal((1, 1, 6, 4))],
             {"padding": "same", "strides": 2}, grad=(0, 1, 2), image_args=(0,)),
        Case("ctc_loss", [const([[1, 2, 2], [3, 1, 0]], "int32"), normal((2, 7, 5)),
                          const([3, 2], "int32"), const([7, 5], "int32")], grad=(1,)),
        Case("ctc_loss", [const([[1, 2], [3, 3]], "int32"), normal((2, 6, 4)),
                          const([2, 2], "int32"), const([6, 6], "int32")],
             {"mask_index": 0}, grad=(1,), label="repeated label"),
        Case("ctc_decode", [normal((2, 6, 4)), const([6, 4], "int32")]),
        Case("ctc_decode", [normal((2, 6, 4)), const([5, 6], "int32")],
             {"merge_repeated": False}, label="merge_repeated=False"),
    ]
    for case in c:
        if not case.label and case.kwargs:
            case.label = ", ".join(f"{k}={v}" for k, v in case.kwargs.items())
    return c
