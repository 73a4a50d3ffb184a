"""TensorFlow interop: kerasx variables work with tf.GradientTape,
tf.function, TensorFlow operators and tf.train.Checkpoint; layers are
trackable, as Keras 3's are on TensorFlow.

`VariableTensor` is the base the front end gives every Variable made under
this backend (`TensorFlowBackend.variable_base`): TensorFlow treats an object
with `_should_act_as_resource_variable` and a `handle` as a resource variable
(the tape watches and differentiates its handle, optimizers'
apply_gradients reads it), converts it to a tensor through `__tf_tensor__`
(so `x @ v`, `tf.matmul(x, v)` and `tf.reduce_sum(v)` work, eager and in
graphs), and checkpoints it as the native tf.Variable it holds.

`LayerTrackable` is the base of every layer: a Trackable whose children are
its variables (by name) and sublayers (by position, so that a checkpoint
restores into a new instance of the same model even though its layers are
named dense_2, dense_3, ...). Like Keras 3's layers, kerasx layers are not
tf.Modules: a tf.Module attribute holding a model does not list its variables.
"""
import tensorflow as tf

from kerasx.backend.native_types import unique_key
from kerasx.backend.state import STATE

_Trackable = tf.__internal__.tracking.Trackable


class VariableTensor(tf.__internal__.types.Tensor, _Trackable):
    """TensorFlow side of a kerasx Variable (see the module docstring)."""

    _should_act_as_resource_variable = True

    @property
    def handle(self):
        return self._native.handle

    def __tf_tensor__(self, dtype=None, name=None):
        if STATE.stateless_scope is not None:  # the value the scope gives it
            return tf.convert_to_tensor(self.value, dtype=dtype, name=name)
        return tf.convert_to_tensor(self._native, dtype=dtype, name=name)

    # Checkpoints store the native variable's value under this object.
    @property
    def _shared_name(self):
        return self._native._shared_name

    def _serialize_to_tensors(self):
        return self._native._serialize_to_tensors()

    def _restore_from_tensors(self, restored_tensors):
        return self._native._restore_from_tensors(restored_tensors)

    def _copy_trackable_to_cpu(self, object_map):
        self._native._copy_trackable_to_cpu(object_map)
        object_map[self] = tf.Variable(object_map[self._native])

    def _export_to_saved_model_graph(self, object_map, tensor_map, options, **kwargs):
        resources = self._native._export_to_saved_model_graph(object_map, tensor_map,
                                                              options, **kwargs)
        object_map[self] = tf.Variable(object_map[self._native])
        return resources

    def _write_object_proto(self, proto, options):
        return self._native._write_object_proto(proto, options)


class LayerTrackable(_Trackable):
    """Trackable side of a kerasx layer (see the module docstring)."""

    def __init__(self):
        pass  # Trackable initialises itself lazily

    def _trackable_children(self, save_type="checkpoint", **kwargs):
        d = self.__dict__
        children = {}
        for variable in d.get("_trainable_variables", []) + d.get(
                "_non_trainable_variables", []):
            children[unique_key(variable.name, children)] = variable
        for i, layer in enumerate(d.get("_layers", [])):
            if isinstance(layer, _Trackable):
                children[f"layer_{i}"] = layer
        return children
