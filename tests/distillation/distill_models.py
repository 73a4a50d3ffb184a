"""The same teacher and student, data and weights in kerasx and Keras 3
(TensorFlow backend), shared by the distillation tests."""
import numpy as np

INPUT_DIM, CLASSES = 4, 3


def data(n=12, seed=0):
    """(x, y): float32 inputs and integer class labels."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, INPUT_DIM)).astype("float32")
    y = rng.integers(0, CLASSES, n).astype("int32")
    return x, y


def _weights(shapes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) * 0.5).astype("float32") for s in shapes]


TEACHER_WEIGHTS = _weights([(4, 8), (8,), (8, 6), (6,), (6, 3), (3,)], seed=1)
STUDENT_WEIGHTS = _weights([(4, 6), (6,), (6, 3), (3,)], seed=2)


def teacher(lib, outputs=CLASSES, input_dim=INPUT_DIM, dtype="float32"):
    """A functional teacher: t_h1 (8, relu), t_h2 (6, relu), t_out (logits)."""
    inputs = lib.Input((input_dim,), dtype=dtype)
    h = lib.layers.Dense(8, activation="relu", name="t_h1")(inputs)
    h = lib.layers.Dense(6, activation="relu", name="t_h2")(h)
    out = lib.layers.Dense(outputs, name="t_out")(h)
    model = lib.Model(inputs, out, name="teacher")
    if outputs == CLASSES and input_dim == INPUT_DIM:
        model.set_weights(TEACHER_WEIGHTS)
    return model


def student(lib, outputs=CLASSES, input_dim=INPUT_DIM):
    """A Sequential student: s_h1 (6, relu), s_out (logits)."""
    model = lib.Sequential([lib.Input((input_dim,)),
                            lib.layers.Dense(6, activation="relu", name="s_h1"),
                            lib.layers.Dense(outputs, name="s_out")], name="student")
    if outputs == CLASSES and input_dim == INPUT_DIM:
        model.set_weights(STUDENT_WEIGHTS)
    return model


def distiller(lib, student_loss_weight=0.3, losses=None, weights=(1.0, 0.5)):
    """A Distiller with logits and intermediate-feature distillation."""
    D = lib.distillation
    if losses is None:
        losses = [D.LogitsDistillation(temperature=2.0),
                  D.FeatureDistillation(loss="mse", teacher_layer_name="t_h2",
                                        student_layer_name="s_h1")]
    return D.Distiller(teacher(lib), student(lib), distillation_losses=losses,
                       distillation_loss_weights=None if weights is None else list(weights),
                       student_loss_weight=student_loss_weight)


def compile_args(lib, learning_rate=0.1):
    """compile() arguments: SGD and a from-logits student loss."""
    return dict(optimizer=lib.optimizers.SGD(learning_rate=learning_rate),
                loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"])


def numpy(value):
    """A tensor of either library (or a nest of them) as NumPy."""
    if isinstance(value, dict):
        return {k: numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [numpy(v) for v in value]
    if type(value).__module__.startswith("tensorflow"):  # Keras's (or kerasx's on TF)
        return np.asarray(value)
    import kerasx
    return np.asarray(kerasx.ops.convert_to_numpy(value))
