"""plot_model / model_to_dot: Keras's error without pydot or Graphviz, and,
where pydot is importable, the same nodes, labels and edges as Keras 3."""
import pytest

import kerasx
from kerasx.utils import model_visualization

keras = pytest.importorskip("keras")


def _models(lib):
    inputs = lib.Input((4,), name="x")
    a = lib.layers.Dense(3, activation="relu", name="a")(inputs)
    b = lib.layers.Dense(3, name="b")(inputs)
    merged = lib.layers.Add(name="sum")([a, b])
    functional = lib.Model(inputs, lib.layers.Dense(1, name="out")(merged), name="f")
    sequential = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2, name="s1"),
                                 lib.layers.Dense(1, name="s2")], name="s")
    return functional, sequential


def _graph(dot):
    """{node label} and {(source label, destination label)} of a pydot graph."""
    labels = {n.get_name(): n.get("label") for n in dot.get_nodes()
              if n.get_name() not in ("node", "graph", "edge")}
    edges = {(labels[e.get_source()], labels[e.get_destination()]) for e in dot.get_edges()}
    return set(labels.values()), edges


def test_missing_pydot_and_graphviz_raise_keras_messages(monkeypatch, tmp_path):
    model, _ = _models(kerasx)
    monkeypatch.setattr(model_visualization, "pydot", None)
    with pytest.raises(ImportError, match="pip install pydot"):
        kerasx.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    with pytest.raises(ImportError, match="pip install pydot"):
        kerasx.utils.model_to_dot(model)
    monkeypatch.undo()
    monkeypatch.setattr(model_visualization, "check_pydot", lambda: True)
    monkeypatch.setattr(model_visualization, "check_graphviz", lambda: False)
    with pytest.raises(ImportError, match="install graphviz"):
        kerasx.utils.plot_model(model, to_file=str(tmp_path / "m.png"))


@pytest.mark.parametrize("options", [dict(), dict(show_shapes=True, show_dtype=True),
                                     dict(show_layer_activations=True, show_trainable=True,
                                          show_layer_names=False)])
def test_same_graph_as_keras(options):
    pytest.importorskip("pydot")
    from keras.src.utils import model_visualization as keras_visualization
    if keras_visualization.pydot is None:
        pytest.skip("Keras was imported before pydot was importable")
    for ours, theirs in zip(_models(kerasx), _models(keras)):
        assert _graph(kerasx.utils.model_to_dot(ours, **options)) == \
            _graph(keras.utils.model_to_dot(theirs, **options))


def test_unbuilt_model_and_bad_arguments():
    pytest.importorskip("pydot")
    model = kerasx.Sequential([kerasx.layers.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        kerasx.utils.model_to_dot(model)
    model.build((None, 3))
    with pytest.raises(ValueError, match="Unrecognized"):
        kerasx.utils.model_to_dot(model, colour="red")
    labels, edges = _graph(kerasx.utils.model_to_dot(model))
    assert len(labels) == 1 and not edges
