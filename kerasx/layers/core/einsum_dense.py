"""EinsumDense: a dense layer whose product is an einsum equation."""
import copy
import re

from kerasx import activations, constraints, initializers, regularizers
from kerasx.backend import get_ops
from kerasx.initializers.random import VarianceScaling
from kerasx.layers.input_spec import InputSpec
from kerasx.layers.layer import Layer
from kerasx.layers.quantization import layer_api as quantization

_FORMS = (
    (re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), None),
    (re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$"), "left"),
    (re.compile(r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$"), "right"),
)


def analyze_equation(equation, bias_axes, input_shape, output_shape):
    """Shapes EinsumDense derives from its equation, as Keras: (kernel shape,
    bias shape or None, full output shape, kernel input axes, kernel output
    axes). `output_shape` is the layer's partial output shape (without the
    batch axis; None for a size taken from the input).

    Raises:
        ValueError: an equation not of the forms "X,Y->Z", "...X,Y->...Z",
            "X...,Y->Z...", inconsistent sizes, or kernel/bias letters that
            the input and output do not name.
    """
    for pattern, elision in _FORMS:
        match = pattern.match(equation)
        if match:
            break
    else:
        raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the "
                         "form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    in_spec, w_spec, out_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    # The full output: the batch, the axes the ellipsis covers, the partial shape.
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    if elision == "left" and elided > 0:
        full = [input_shape[0]] + list(input_shape[1:elided]) + partial
    elif elision == "right" and elided > 0:
        full = [input_shape[0]] + partial + list(input_shape[len(input_shape) - elided:])
    else:
        full = [input_shape[0]] + partial
    if elision == "left":
        in_index = {c: i + elided - len(input_shape) for i, c in enumerate(in_spec)}
        out_index = {c: i + elided for i, c in enumerate(out_spec)}
    else:
        in_index = {c: i for i, c in enumerate(in_spec)}
        out_index = {c: i for i, c in enumerate(out_spec)}
    for c in in_spec:
        if c in out_index and full[out_index[c]] is not None \
                and full[out_index[c]] != input_shape[in_index[c]]:
            raise ValueError(f"Input shape and output shape do not match at shared "
                             f"dimension '{c}'. Input shape is {input_shape[in_index[c]]}, "
                             f"and output shape is {full[out_index[c]]}.")
    for c in out_spec:
        if c not in in_spec and c not in w_spec:
            raise ValueError(f"Dimension '{c}' was specified in the output '{out_spec}' "
                             f"but has no corresponding dim in the input spec "
                             f"'{in_spec}' or weight spec '{w_spec}'.")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, c in enumerate(w_spec):
        if c in out_index:
            kernel_shape.append(full[out_index[c]])
            output_axes.append(i)
        elif c in in_index:
            kernel_shape.append(input_shape[in_index[c]])
            input_axes.append(i)
        else:
            raise ValueError(f"Weight dimension '{c}' did not have a match in either the "
                             f"input spec '{in_spec}' or the output spec '{out_spec}'. "
                             "For this layer, the weight must be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        unknown = [c for c in bias_axes if c not in out_spec]
        if unknown:
            raise ValueError(f"Bias dimension '{unknown[0]}' was requested, but is not "
                             f"part of the output spec '{out_spec}'.")
        offset = elided if elision == "left" else 0
        size = {c: full[i + offset] for i, c in enumerate(out_spec)}
        # The bias spans the output from its first axis on (1 where not biased),
        # so that it broadcasts against the output's trailing axes.
        first = min(out_spec.find(c) for c in bias_axes)
        bias_shape = [size[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if elision != "left":
            bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, full, input_axes, output_axes


class EinsumDense(Layer):
    """A dense layer computing `einsum(equation, inputs, kernel) + bias`, as
    keras.layers.EinsumDense.

    Args:
        equation: "X,Y->Z" (or with a leading or trailing ellipsis on input and
            output): the input's, the kernel's and the output's axes.
        output_shape: the output's shape without the batch axis (an int for
            one axis; None for a size equal to the input's).
        activation: activation name or function (default linear).
        bias_axes: letters of the output axes that get a bias (None: no bias).
        kernel_initializer, bias_initializer: as in Keras. A variance-scaling
            kernel initializer computes its fans from the kernel's input and
            output axes.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in Keras.
        kernel_constraint, bias_constraint: as in Keras.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used
            when the dtype policy is quantized.

    Weights: kernel (the sizes the equation gives its letters), bias.
    `quantize("int8" | "int4" | "float8")` converts the layer
    (kerasx/layers/quantization/).

    Raises:
        ValueError: an invalid equation (at build), or a LoRA argument
            (kerasx has no LoRA).
    """

    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        if lora_rank:
            raise ValueError("kerasx's EinsumDense has no LoRA: pass lora_rank=None.")
        super().__init__(**kwargs)
        self.quantization_config = quantization_config
        self.equation = equation
        self.partial_output_shape = ((output_shape,) if isinstance(output_shape, int)
                                     else tuple(output_shape))
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True  # as Keras 3: a mask passes through

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_equation(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling) and (init.input_axes is None
                                                  or init.output_axes is None):
            # A copy keeps the seed stream; only the fan computation changes.
            init = copy.copy(init)
            init.input_axes, init.output_axes = input_axes, output_axes
        self.input_spec = InputSpec(ndim=len(input_shape))
        if self._build_quantized_if_needed(tuple(kernel_shape)):
            self.kernel = self.add_weight(
                shape=tuple(kernel_shape), initializer=init, name="kernel",
                regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.bias = None if bias_shape is None else self.add_weight(
            shape=tuple(bias_shape), initializer=self.bias_initializer, name="bias",
            regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        self.built = True

    quantization_kind = "einsum_dense"

    def call(self, inputs, training=None):
        if self._quantization is not None:
            return self._quantization.call(self, inputs, training)
        ops = get_ops()
        x = ops.einsum(self.equation, inputs, self.kernel.value)
        if self.bias is not None:
            x = ops.add(x, self.bias.value)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(analyze_equation(self.equation, self.bias_axes, input_shape,
                                      self.partial_output_shape)[2])

    def get_config(self):
        return {**super().get_config(),
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": quantization.serialize_quantization_config(
                    self.quantization_config)}

    @classmethod
    def from_config(cls, config):
        """A layer from `get_config()` output (its quantization config included)."""
        return quantization.from_config_with_quantization(
            config, lambda c: super(EinsumDense, cls).from_config(c))
