"""print_summary: the table printed by `model.summary()`, as Keras 3 prints it
(without colours)."""
import math
import shutil
import textwrap

import numpy as np

from kerasx.utils import io_utils


def count_params(weights):
    """Number of scalars in `weights` (each counted once)."""
    unique = {id(w): w for w in weights}.values()
    return int(sum(math.prod(tuple(w.shape)) for w in unique))


def _itemsize(dtype):
    try:
        return np.dtype(str(dtype)).itemsize
    except TypeError:
        text = str(dtype)
        digits = "".join(c for c in text if c.isdigit())
        return int(digits) // 8 if digits else 4


def weight_memory_size(weights):
    """Bytes used by `weights` (each counted once)."""
    unique = {id(w): w for w in weights}.values()
    return sum(math.prod(tuple(w.shape)) * _itemsize(getattr(w, "dtype", "float32"))
               for w in unique)


def readable_memory_size(size):
    """"92.00 B", "3.05 MB" (powers of 1024)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _format_shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def format_layer_shape(layer):
    """The output shape of the layer's last call, "(None, 10)", or "?"."""
    nodes = getattr(layer, "_inbound_nodes", None) or []
    if not nodes:
        return "?"
    tensors = getattr(nodes[-1], "output_tensors", None) or []
    shapes = [_format_shape(t.shape) for t in tensors if hasattr(t, "shape")]
    if not shapes:
        return "?"
    if len(shapes) == 1:
        return shapes[0]
    return "[" + ", ".join(shapes) + "]"


def _model_nodes(model):
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        graph = getattr(model, "_graph", None)
        nodes = getattr(graph, "_nodes", None)
    return list(nodes) if nodes else None


def _is_sequential_like(model, layers):
    nodes = _model_nodes(model)
    if nodes is None:
        return True
    node_ids = {id(n) for n in nodes}
    for node in nodes:
        if len(getattr(node, "input_tensors", [])) > 1:
            return False
    for layer in layers:
        uses = [n for n in getattr(layer, "_inbound_nodes", []) if id(n) in node_ids]
        if len(uses) > 1:
            return False
    # A branch: two layers fed by the same tensor.
    consumers = {}
    for node in nodes:
        for t in getattr(node, "input_tensors", []):
            consumers[id(t)] = consumers.get(id(t), 0) + 1
    return all(count <= 1 for count in consumers.values())


def _connections(layer, node_ids):
    parts = []
    for node in getattr(layer, "_inbound_nodes", []):
        if node_ids is not None and id(node) not in node_ids:
            continue
        for tensor in node.input_tensors:
            history = getattr(tensor, "history", None)
            if history:
                parent, node_index, tensor_index = history
                parts.append(f"{parent.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def _param_text(layer):
    if not hasattr(layer, "built"):
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


class _Table:
    """A box-drawn table with a bold header and lines between rows."""

    def __init__(self, headers, widths, aligns):
        self.headers = headers
        self.widths = widths  # inner width of each cell, padding included
        self.aligns = aligns
        self.rows = []

    def _rule(self, left, fill, mid, right):
        return left + mid.join(fill * w for w in self.widths) + right

    def _cells(self, values, edge):
        wrapped = [textwrap.wrap(str(v), max(1, w - 2), break_long_words=True,
                                 break_on_hyphens=False) or [""]
                   for v, w in zip(values, self.widths)]
        lines = []
        for i in range(max(len(w) for w in wrapped)):
            cells = []
            for column, width in enumerate(self.widths):
                text = wrapped[column][i] if i < len(wrapped[column]) else ""
                text = (text.rjust(width - 2) if self.aligns[column] == "right"
                        else text.ljust(width - 2))
                cells.append(f" {text} ")
            lines.append(edge + edge.join(cells) + edge)
        return lines

    def render(self):
        out = [self._rule("\u250f", "\u2501", "\u2533", "\u2513")]
        out += self._cells(self.headers, "\u2503")
        out.append(self._rule("\u2521", "\u2501", "\u2547", "\u2529"))
        for i, row in enumerate(self.rows):
            if i:
                out.append(self._rule("\u251c", "\u2500", "\u253c", "\u2524"))
            out += self._cells(row, "\u2502")
        out.append(self._rule("\u2514", "\u2500", "\u2534", "\u2518"))
        return "\n".join(out)


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    """Print a summary table of `model`'s layers and parameter counts.

    Args:
        model: a kerasx model (anything with `name`, `layers`,
            `trainable_weights` and `non_trainable_weights`).
        line_length: total width of the table (default: 88, or 108 with a
            "Connected to" column for branching functional models, capped by
            the terminal width).
        positions: right edges of the columns, as fractions of line_length.
        print_fn: called once with the whole summary text (default: print).
        expand_nested: also list the layers of nested models.
        show_trainable: add a "Trainable" column.
        layer_range: (first, last) layer-name patterns to limit the rows.
    """
    import re

    layers = list(getattr(model, "layers", []))
    sequential_like = _is_sequential_like(model, layers)
    nodes = _model_nodes(model)
    node_ids = {id(n) for n in nodes} if nodes else None
    if sequential_like:
        default_length = 88
        positions = list(positions or [0.45, 0.80, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #"]
        aligns = ["left", "left", "right"]
    else:
        default_length = 108
        positions = list(positions or [0.3, 0.56, 0.74, 1.0])
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        aligns = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        headers.append("Trainable")
        aligns.append("left")
    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length

    # Column widths between the borders: the table's width is line_length.
    inner = line_length - (len(positions) + 1)
    widths, previous = [], 0
    for pos in positions:
        edge = int(round(pos * inner))
        widths.append(edge - previous)
        previous = edge
    if min(widths) < 4:
        raise ValueError("Insufficient console width to print summary.")
    table = _Table(headers, widths, aligns)

    if layer_range is not None:
        if len(layer_range) != 2 or not all(isinstance(n, str) for n in layer_range):
            raise ValueError("layer_range must be a list or tuple of two layer-name "
                             f"patterns. Received: {layer_range}")
        low = [i for i, l in enumerate(layers) if re.match(layer_range[0], l.name)]
        high = [i for i, l in enumerate(layers) if re.match(layer_range[1], l.name)]
        if not low or not high:
            raise ValueError("Passed layer_names do not match the layer names in the "
                             f"model. Received: {layer_range}")
        layers = layers[min(low + high):max(low + high) + 1]

    def add_rows(layer, level=0):
        prefix = ("   " * level + "\u2514 ") if level else ""
        row = [f"{prefix}{layer.name} ({type(layer).__name__})",
               format_layer_shape(layer), _param_text(layer)]
        if not sequential_like:
            row.append(_connections(layer, node_ids))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N")
                       if getattr(layer, "weights", None) else "-")
        table.rows.append(row)
        if expand_nested and getattr(layer, "layers", None):
            for child in layer.layers:
                add_rows(child, level + 1)

    for layer in layers:
        add_rows(layer)

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    trainable_count = count_params(trainable)
    non_trainable_count = count_params(non_trainable)
    total_count = trainable_count + non_trainable_count
    total_size = weight_memory_size(trainable) + weight_memory_size(non_trainable)
    optimizer = getattr(model, "optimizer", None)
    optimizer_vars = []
    if optimizer is not None and getattr(optimizer, "built", False):
        optimizer_vars = list(getattr(optimizer, "variables", []) or [])
    optimizer_count = count_params(optimizer_vars)
    total_count += optimizer_count
    total_size += weight_memory_size(optimizer_vars)

    lines = [f'Model: "{model.name}"', table.render(),
             f" Total params: {total_count:,} ({readable_memory_size(total_size)})",
             f" Trainable params: {trainable_count:,} "
             f"({readable_memory_size(weight_memory_size(trainable))})",
             f" Non-trainable params: {non_trainable_count:,} "
             f"({readable_memory_size(weight_memory_size(non_trainable))})"]
    if optimizer_vars:
        lines.append(f" Optimizer params: {optimizer_count:,} "
                     f"({readable_memory_size(weight_memory_size(optimizer_vars))})")
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        io_utils.print_msg(text, line_break=False)
    else:
        print_fn(text)
