"""How EinsumDense's quantization scales line up with its equation.

The kernel (and, for int8, the inputs) is quantized per output channel:
its scale reduces the axes the equation contracts. To divide the einsum's
output by the scales, each scale is moved to the output's layout: permuted,
given size-1 axes where the output has axes the tensor lacks, and squeezed
where the tensor contracts more axes than the output can host. The layout
is Keras's (the `kernel_scale` variable of a .keras file has this shape),
including how it places the extra contracted axes.
"""
import re
import string

import numpy as np

from kerasx import ops


class EinsumQuantizationInfo:
    """The axes bookkeeping of one EinsumDense equation and input rank.

    Attributes:
        input_reduced_axes, kernel_reduced_axes: axes the quantizers reduce.
        input_transpose_axes, kernel_transpose_axes: permutations to the
            output layout.
        input_expand_axes, kernel_expand_axes: size-1 axes added after.
        input_squeeze_axes, kernel_squeeze_axes: axes removed after.
        gradient_equation: "output,kernel->input", the inputs' gradient.
    """

    def __init__(self, equation, input_ndim):
        inputs, kernel, output = _explicit_specs(equation, input_ndim)
        self.gradient_equation = f"{output},{kernel}->{inputs}"
        # Keras threads one position through both passes below: when a
        # contracted axis finds no free output slot, it is inserted where the
        # previous one went (or where the last lookup in the specs pointed).
        last = None
        for label in inputs + kernel:
            last = output.find(label)
        self.input_reduced_axes = [i for i, c in enumerate(inputs) if c not in output]
        self.kernel_reduced_axes = [i for i, c in enumerate(kernel) if c not in output]
        (self.input_transpose_axes, self.input_expand_axes, self.input_squeeze_axes,
         last) = _layout(inputs, output, self.input_reduced_axes, last)
        (self.kernel_transpose_axes, self.kernel_expand_axes, self.kernel_squeeze_axes,
         last) = _layout(kernel, output, self.kernel_reduced_axes, last)

    def to_output_layout(self, scale, which="kernel"):
        """A quantizer's scale (reduced axes kept as 1) in the output layout."""
        transpose, expand, squeeze = self._axes(which)
        if transpose:
            scale = ops.transpose(scale, transpose)
        return _squeeze(_expand(scale, expand), squeeze)

    def to_kernel_layout(self, scale):
        """The stored kernel scale back in the kernel's layout (to divide
        the kernel by it)."""
        transpose, expand, squeeze = self._axes("kernel")
        scale = _squeeze(_expand(scale, squeeze), expand)
        if transpose:
            inverse = sorted(range(len(transpose)), key=transpose.__getitem__)
            scale = ops.transpose(scale, inverse)
        return scale

    def kernel_scale_shape(self, kernel_shape):
        """The shape of the per-channel `kernel_scale` variable."""
        shape = np.array(kernel_shape)
        shape[self.kernel_reduced_axes] = 1
        shape = shape[self.kernel_transpose_axes].tolist()
        for a in sorted(self.kernel_expand_axes):
            shape.insert(a, 1)
        for a in sorted(self.kernel_squeeze_axes, reverse=True):
            shape.pop(a)
        return tuple(int(d) for d in shape)

    def _axes(self, which):
        if which == "kernel":
            return (self.kernel_transpose_axes, self.kernel_expand_axes,
                    self.kernel_squeeze_axes)
        return self.input_transpose_axes, self.input_expand_axes, self.input_squeeze_axes


def _expand(x, axes):
    # One axis at a time (ascending): the same as NumPy's expand_dims with
    # a list of axes, which not every backend takes.
    for axis in sorted(axes):
        x = ops.expand_dims(x, axis)
    return x


def _squeeze(x, axes):
    for axis in sorted(axes, reverse=True):
        x = ops.squeeze(x, axis=axis)
    return x


def _layout(spec, output, reduced, last):
    """(transpose, leftover expand, squeeze, last position) of one operand."""
    expand = [i for i, c in enumerate(output) if c not in spec]
    transpose = [spec.find(c) for c in output if c in spec]
    squeeze = []
    for axis in reduced:
        if expand:
            last = expand.pop(0)
        else:
            squeeze.append(axis)
        transpose.insert(last, axis)
    return transpose, expand, squeeze, last


def _explicit_specs(equation, input_ndim):
    """The equation's three specs with any ellipsis spelt out in unused
    letters (Keras's choice of letters: the sorted unused ones)."""
    for pattern, side in ((r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$", None),
                          (r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$", "left"),
                          (r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$", "right")):
        match = re.match(pattern, equation)
        if match:
            break
    else:
        raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the "
                         "form [X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    inputs, kernel, output = match.groups()
    if side is None:
        return inputs, kernel, output
    free = sorted(set(string.ascii_letters) - set(inputs + kernel + output))
    extra = "".join(free[:input_ndim - len(inputs)])
    if side == "left":
        return extra[::-1] + inputs, kernel, extra[::-1] + output
    return inputs + extra, kernel, output + extra
