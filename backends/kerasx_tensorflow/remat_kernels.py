"""TensorFlow kernel of the contract's remat family (kerasx/backend/contract_remat.py)."""
import tensorflow as tf


class RematKernels:
    """Mixin of TensorFlowBackend: rematerialize.

    The composite's vjp holds the primals in fresh variables, which a
    tf.function cannot create; a tape watching the tensors themselves can.
    """

    def rematerialize(self, f, primals, outputs):
        primals = list(primals)

        def attach(index):
            @tf.custom_gradient
            def op(*values):
                def grad_fn(upstream):
                    with tf.GradientTape(watch_accessed_variables=False) as tape:
                        tape.watch(values)
                        out = f(*values)[index]
                    return tape.gradient(out, values, output_gradients=upstream,
                                         unconnected_gradients=tf.UnconnectedGradients.ZERO)

                return tf.identity(outputs[index]), grad_fn

            return op(*primals)

        return [attach(i) for i in range(len(outputs))]
