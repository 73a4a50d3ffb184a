"""model_to_dot and plot_model (keras.utils), drawn with pydot; plot_model
also needs Graphviz's `dot` program to render the file."""
import os
import sys

from kerasx import tree
from kerasx.utils import io_utils

try:
    import pydot
except ImportError:
    pydot = None


def check_pydot():
    """True when pydot can be imported."""
    return pydot is not None


def check_graphviz():
    """True when pydot can run Graphviz's `dot` program."""
    if not check_pydot():
        return False
    try:
        pydot.Dot.create(pydot.Dot())
        return True
    except (OSError, pydot.PydotException):
        return False


def _activation_name(layer):
    activation = layer.activation
    return getattr(activation, "name", None) or getattr(activation, "__name__", None) \
        or str(activation)


def _format_shape(shape):
    if shape is None:
        return "?"
    if isinstance(shape, dict):
        text = ", ".join(f"{k}: {v}" for k, v in shape.items())
    else:
        text = f"{shape}"
    return text.replace("}", "").replace("{", "")


def layer_label(layer, show_layer_names, show_layer_activations, show_dtype, show_shapes,
                show_trainable):
    """The HTML-like Graphviz label of one layer's node (Keras's layout)."""
    class_name = type(layer).__name__
    colspan = max(1, int(show_dtype) + int(show_trainable) + (2 if show_shapes else 0))
    title = f"<b>{layer.name}</b> ({class_name})" if show_layer_names else \
        f"<b>{class_name}</b>"
    table = ('<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
             f'<tr><td colspan="{colspan}" bgcolor="black"><font point-size="16" '
             f'color="white">{title}</font></td></tr>')
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        table += (f'<tr><td bgcolor="white" colspan="{colspan}"><font point-size="14">'
                  f"Activation: <b>{_activation_name(layer)}</b></font></td></tr>")
    cols = []
    if show_shapes:
        input_shape = output_shape = None
        try:
            input_shape = tree.map_structure(lambda x: x.shape, layer.input)
            output_shape = tree.map_structure(lambda x: x.shape, layer.output)
        except (ValueError, AttributeError):
            pass
        if class_name != "InputLayer":
            cols.append('<td bgcolor="white"><font point-size="14">Input shape: '
                        f"<b>{_format_shape(input_shape)}</b></font></td>")
        cols.append('<td bgcolor="white"><font point-size="14">Output shape: '
                    f"<b>{_format_shape(output_shape)}</b></font></td>")
    if show_dtype:
        dtype = None
        try:
            dtype = tree.map_structure(lambda x: x.dtype, layer.output)
        except (ValueError, AttributeError):
            pass
        cols.append('<td bgcolor="white"><font point-size="14">Output dtype: '
                    f"<b>{dtype or '?'}</b></font></td>")
    if show_trainable and layer.weights:
        if layer.trainable:
            cols.append('<td bgcolor="forestgreen"><font point-size="14" color="white">'
                        "<b>Trainable</b></font></td>")
        else:
            cols.append('<td bgcolor="firebrick"><font point-size="14" color="white">'
                        "<b>Non-trainable</b></font></td>")
    if cols:
        table += f"<tr>{''.join(cols)}</tr>"
    return table + "</table>>"


def _add_edge(dot, source, destination):
    src, dst = str(id(source)), str(id(destination))
    if not dot.get_edge(src, dst):
        edge = pydot.Edge(src, dst)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


def _add_node(dot, layer, options):
    node = pydot.Node(str(id(layer)), label=layer_label(layer, **options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    dot.add_node(node)


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=200, subgraph=False,
                 show_layer_activations=False, show_trainable=False, splines="ortho",
                 **kwargs):
    """A pydot graph of `model`: one node per layer, one edge per connection,
    as keras.utils.model_to_dot (nested models drawn as clusters with
    `expand_nested`).

    Raises:
        ValueError: for a model that is not built, or unknown arguments.
        ImportError: when pydot is not installed.
    """
    from kerasx.models.functional import Functional
    from kerasx.models.sequential import Sequential
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by "
                         "calling `build()` or by calling the model on a batch of data.")
    if not check_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot "
                          "to work.")
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    options = {"show_layer_names": show_layer_names,
               "show_layer_activations": show_layer_activations, "show_dtype": show_dtype,
               "show_shapes": show_shapes, "show_trainable": show_trainable}
    if not isinstance(model, (Sequential, Functional)):
        _add_node(dot, model, options)
        return dot
    layers = model.layers
    for layer in layers:
        if expand_nested and isinstance(layer, (Functional, Sequential)):
            dot.add_subgraph(model_to_dot(layer, show_shapes, show_dtype, show_layer_names,
                                          rankdir, expand_nested, subgraph=True,
                                          show_layer_activations=show_layer_activations,
                                          show_trainable=show_trainable))
        else:
            _add_node(dot, layer, options)
    if isinstance(model, Sequential) and not expand_nested:
        for first, second in zip(layers, layers[1:]):
            _add_edge(dot, first, second)
        return dot
    if isinstance(model, Sequential):
        layers = layers[1:]
    model_nodes = {id(n) for n in getattr(model, "_nodes", ())}
    for layer in layers:
        for node in layer._inbound_nodes:
            if isinstance(model, Functional) and id(node) not in model_nodes:
                continue
            for input_index, tensor in enumerate(node.input_tensors):
                if tensor.history is None:
                    continue
                source, _, output_index = tensor.history
                destination = layer
                if expand_nested:
                    while isinstance(source, (Functional, Sequential)):
                        source, _, output_index = source.outputs[output_index].history
                    while isinstance(destination, (Functional, Sequential)):
                        destination = destination.inputs[input_index].history[0] \
                            if isinstance(destination, Functional) else destination.layers[0]
                _add_edge(dot, source, destination)
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho",
               **kwargs):
    """Draw `model` into `to_file` (its extension is the format, default
    png), as keras.utils.plot_model.

    Raises:
        ImportError: when pydot or Graphviz's `dot` program is missing (in a
            notebook the message is printed instead, as Keras does).
        ValueError: for a model that is not built, or unknown arguments.
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by "
                         "calling `build()` or by calling the model on a batch of data.")
    for ok, message in ((check_pydot, "You must install pydot (`pip install pydot`) for "
                                      "`plot_model` to work."),
                        (check_graphviz, "You must install graphviz (see instructions at "
                                         "https://graphviz.gitlab.io/download/) for "
                                         "`plot_model` to work.")):
        if not ok():
            if "IPython.core.magics.namespace" in sys.modules:
                io_utils.print_msg(message)
                return None
            raise ImportError(message)
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines)
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension != "pdf":
        try:
            from IPython import display
            return display.Image(filename=to_file)
        except ImportError:
            pass
    return None
