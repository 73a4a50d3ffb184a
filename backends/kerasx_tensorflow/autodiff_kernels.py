"""TensorFlow kernels of the contract's autodiff family (kerasx/backend/contract_autodiff.py)."""
import tensorflow as tf

from kerasx import tree


class AutodiffKernels:
    """Mixin of TensorFlowBackend: jvp through tf.autodiff.ForwardAccumulator
    (one pass, where the contract's composite takes one backward pass per
    output element)."""

    def jvp(self, fun, primals, tangents, has_aux=False):
        primals, flat_p, flat_t = self._jvp_arguments(primals, tangents)
        args = tree.pack_sequence_as(primals, flat_p)
        with tf.autodiff.ForwardAccumulator(flat_p, flat_t) as acc:
            result = fun(*args)
            out, aux = result if has_aux else (result, None)
            flat_out = tree.flatten(out)
            tangents_out = [acc.jvp(o, unconnected_gradients=tf.UnconnectedGradients.ZERO)
                            for o in flat_out]
        tangents_out = tree.pack_sequence_as(out, tangents_out)
        return (out, tangents_out, aux) if has_aux else (out, tangents_out)
