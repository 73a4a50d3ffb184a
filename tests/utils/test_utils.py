"""kerasx.utils: Progbar, to_categorical, normalize, set_random_seed,
PyDataset, print_summary (against Keras 3 where Keras has the same)."""
import random
import re

import numpy as np
import pytest

from kerasx import utils
from kerasx.utils import (Progbar, PyDataset, normalize, print_summary, set_random_seed,
                          to_categorical)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _normalise(text):
    # Timings vary, and so does the padding that follows them.
    text = ANSI.sub("", text).replace("\b", "")
    text = re.sub(r" +(?=[\r\n]|$)", "", text)
    text = re.sub(r"\d+(ms|us|s)/step", "T/step", text)
    return re.sub(r"(?<=[ \[])\d+(:\d\d)*s\b", "Ts", text)


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


# -- Progbar ----------------------------------------------------------------------
def test_progbar_verbose_1_text(capsys):
    bar = Progbar(4, width=8, interval=0)
    bar.update(1, [("loss", 2.0)])
    bar.update(4, [("loss", 1.0), ("acc", 0.5)])
    out = ANSI.sub("", capsys.readouterr().out)
    assert out.endswith("\n")
    last = out.split("\r")[-1]
    assert re.fullmatch(r"4/4 ━{8} \d+s \d+(us|ms|s)/step - loss: 1\.0000 - acc: "
                        r"0\.5000\s*\n", last), repr(last)
    first = out.split("\r")[1]
    assert first.startswith("1/4 ━━━━━━━━ ")  # 2 filled, 6 empty (colours removed)
    # step-weighted running average of a stateless metric: (2*1 + 1*3)/4
    bar = Progbar(10, interval=0, verbose=1)
    bar.update(1, [("loss", 2.0)])
    bar.update(4, [("loss", 1.0)])
    assert "loss: 1.2500" in ANSI.sub("", capsys.readouterr().out).split("\r")[-1]


def test_progbar_stateful_eta_unknown_and_small_values(capsys):
    bar = Progbar(100, interval=0, stateful_metrics=["acc"])
    bar.update(10, [("acc", 0.5), ("tiny", 1e-5)])
    bar.update(20, [("acc", 0.25), ("tiny", 1e-5)])
    line = ANSI.sub("", capsys.readouterr().out).split("\r")[-1]
    assert "acc: 0.2500" in line and "tiny: 1.0000e-05" in line
    assert re.search(r" 20/100 ━+ \d+s ", line) or re.search(r"20/100 ━+ \d+s", line)
    bar = Progbar(None, interval=0)
    bar.update(7)
    assert "      7/Unknown" in capsys.readouterr().out
    with pytest.raises(ValueError):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])
    Progbar(3, verbose=0).update(3, [("loss", 1.0)])
    assert capsys.readouterr().out == ""


def test_progbar_verbose_2_one_line(capsys):
    bar = Progbar(3, verbose=2)
    bar.add(1, [("loss", 3.0)])
    bar.add(1, [("loss", 1.0)])
    assert capsys.readouterr().out == ""
    bar.add(1, [("loss", 1.0)])
    out = capsys.readouterr().out
    # at finalize the last value is shown as-is, as in Keras
    assert re.fullmatch(r"3/3 - \d+s - \d+(us|ms|s)/step - loss: 1\.0000\n", out), out


@pytest.mark.parametrize("verbose", [1, 2])
def test_progbar_matches_keras(verbose, capsys, keras):
    steps = [(1, [("loss", 2.0), ("acc", 0.1)]), (3, [("loss", 1.0), ("acc", 0.2)]),
             (7, [("loss", 0.5), ("acc", 0.3)]), (12, [("loss", 0.25), ("acc", 1e-4)])]
    texts = []
    for cls in (Progbar, keras.utils.Progbar):
        capsys.readouterr()
        bar = cls(12, verbose=verbose, interval=0, stateful_metrics=["acc"])
        for current, values in steps:
            bar.update(current, values)
        texts.append(_normalise(capsys.readouterr().out))
    assert texts[0] == texts[1]


# -- to_categorical, normalize -----------------------------------------------------
@pytest.mark.parametrize("x, num_classes", [
    ([0, 2, 1, 2], None), ([0, 2, 1, 2], 5), ([[1], [0], [3]], None),
    (np.array([[0, 1], [2, 3]]), 4), (np.arange(6).reshape(2, 3, 1) % 3, 3),
])
def test_to_categorical_matches_keras(x, num_classes, keras):
    ours = to_categorical(x, num_classes)
    theirs = keras.utils.to_categorical(x, num_classes)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_to_categorical_tensor_input():
    from kerasx.backend import get_ops
    from kerasx.ops.dispatch import convert_to_numpy

    ops = get_ops()
    out = to_categorical(ops.convert_to_tensor(np.array([1, 0, 2]), dtype="int32"))
    assert ops.is_tensor(out)
    np.testing.assert_array_equal(convert_to_numpy(out), np.eye(3)[[1, 0, 2]])


@pytest.mark.parametrize("axis, order", [(-1, 2), (0, 2), (1, 1)])
def test_normalize_matches_keras(axis, order, keras):
    x = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -2.0, 2.0]])
    np.testing.assert_allclose(normalize(x, axis=axis, order=order),
                               keras.utils.normalize(x, axis=axis, order=order))


# -- set_random_seed ---------------------------------------------------------------
def _draws():
    from kerasx.random import global_seed_generator, SeedGenerator

    return (random.random(), float(np.random.rand()),
            float(global_seed_generator().generator.random()), SeedGenerator().seed)


def test_set_random_seed_reproducible():
    set_random_seed(1234)
    first = _draws()
    set_random_seed(1234)
    assert _draws() == first
    set_random_seed(4321)
    assert _draws() != first
    with pytest.raises(ValueError, match="integer"):
        set_random_seed(1.5)


def test_set_random_seed_fixes_initial_weights():
    from kerasx.layers import Dense, Input
    from kerasx.models import Sequential

    weights = []
    for _ in range(2):
        set_random_seed(7)
        model = Sequential([Input((3,)), Dense(2)])
        weights.append(model.get_weights()[0])
    np.testing.assert_array_equal(weights[0], weights[1])


# -- PyDataset ---------------------------------------------------------------------
class Squares(PyDataset):
    def __init__(self, n, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x = np.arange(n, dtype="float32")
        self.batch_size = batch_size
        self.epochs_ended = 0

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, index):
        batch = self.x[index * self.batch_size:(index + 1) * self.batch_size]
        return batch, batch ** 2

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset():
    ds = Squares(10, 4, workers=2, use_multiprocessing=False, max_queue_size=3)
    assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (2, False, 3)
    assert len(ds) == ds.num_batches == 3
    batches = list(ds)
    assert len(batches) == 3 and batches[-1][1].tolist() == [64.0, 81.0]
    ds.on_epoch_end()
    assert ds.epochs_ended == 1
    assert utils.Sequence is PyDataset

    class NoSuper(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 0

    with pytest.warns(UserWarning, match="super"):
        assert NoSuper().workers == 1


def test_py_dataset_infinite_via_num_batches():
    class Forever(PyDataset):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, index):
            return np.array([index])

    it = iter(Forever())
    assert [int(next(it)[0]) for _ in range(3)] == [0, 1, 2]


# -- print_summary -----------------------------------------------------------------
def _rows(text):
    """(type, output shape, params) of each table row, names dropped;
    multi-line rows joined."""
    rows, current = [], None
    for line in text.splitlines():
        if line.startswith("\u2502"):
            cells = [c.strip() for c in line.strip("\u2502").split("\u2502")]
            if current is None:
                current = cells
            else:
                current = [(a + " " + b).strip() for a, b in zip(current, cells)]
        elif current is not None:
            rows.append(current)
            current = None
    return [(re.search(r"\((\w+)\)$", r[0]).group(1), r[1], r[2]) for r in rows]


def _totals(text):
    return [line for line in text.splitlines() if "params:" in line]


def test_print_summary_matches_keras(keras):
    from kerasx.layers import Dense, Input
    from kerasx.models import Sequential

    model = Sequential([Input((4,)), Dense(300, activation="relu"), Dense(10)])
    ref = keras.Sequential([keras.Input((4,)), keras.layers.Dense(300, activation="relu"),
                            keras.layers.Dense(10)])
    ours, theirs = [], []
    print_summary(model, print_fn=ours.append)
    ref.summary(print_fn=lambda text, **kw: theirs.append(text))
    assert len(ours) == 1
    assert model.count_params() == ref.count_params() == 4510
    assert _totals(ours[0]) == _totals(theirs[0]) == [
        " Total params: 4,510 (17.62 KB)", " Trainable params: 4,510 (17.62 KB)",
        " Non-trainable params: 0 (0.00 B)"]
    assert _rows(ours[0]) == _rows(theirs[0]) == [
        ("Dense", "(None, 300)", "1,500"), ("Dense", "(None, 10)", "3,010")]
    lines = ours[0].splitlines()
    assert lines[0] == f'Model: "{model.name}"'
    assert "Layer (type)" in lines[2] and "Output Shape" in lines[2] and \
        lines[2].rstrip("\u2503").rstrip().endswith("Param #")
    table = [line for line in lines if line[:1] in "\u250f\u2503\u2521\u2502\u251c\u2514"]
    assert len({len(line) for line in table}) == 1  # a rectangular table


def test_print_summary_line_length_and_default_print(capsys):
    from kerasx.layers import Dense, Input
    from kerasx.models import Sequential

    model = Sequential([Input((2,)), Dense(1)])
    print_summary(model, line_length=60)
    out = capsys.readouterr().out
    assert " Total params: 3 (12.00 B)" in out
    assert all(len(line) == 60 for line in out.splitlines() if line[:1] in "\u250f\u2514")
    model.summary()
    assert "Trainable params: 3" in capsys.readouterr().out


def test_print_summary_unbuilt_and_shapes_unknown():
    class FakeLayer:
        def __init__(self, name, built):
            self.name, self.built, self._inbound_nodes, self.trainable = name, built, [], True

        def count_params(self):
            return 1234

    class FakeModel:
        name = "fake"
        layers = [FakeLayer("a", True), FakeLayer("b", False)]
        trainable_weights = [np.zeros((1234,), "float32")]
        non_trainable_weights = []

    out = []
    print_summary(FakeModel(), print_fn=out.append, line_length=80)
    rows = [line for line in out[0].splitlines() if line.startswith("\u2502")]
    assert "?" in rows[0] and "1,234" in rows[0]
    assert "0 (unbuilt)" in rows[1]
    assert " Total params: 1,234 (4.82 KB)" in out[0]
