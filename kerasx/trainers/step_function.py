"""Train, test and predict steps run through the backend's compiler.

The front end never names a framework here: it asks the plugin's
`compile_function` for a compiled version of a step, once per input
signature, and falls back to eager calls where the plugin has none.
"""
from kerasx.backend import get_ops
from kerasx.ops.gradients import gradients_skipped
from kerasx.random import host_draws
from kerasx.random.seed_generator import states_restored
from kerasx.variables import writes_discarded


def signature(structure):
    """A hashable description of a nest of tensors: structure, shapes, dtypes."""
    ops = get_ops()
    if isinstance(structure, dict):
        return ("dict",) + tuple((k, signature(v)) for k, v in sorted(structure.items()))
    if isinstance(structure, (list, tuple)):
        return (type(structure).__name__,) + tuple(signature(v) for v in structure)
    if structure is None:
        return None
    return (ops.shape(structure), ops.dtype(structure))


class StepFunction:
    """Calls `step(data)` compiled by the plugin, one compilation per signature.

    Before the first compiled call with a signature, `step` runs once eagerly
    as a dry run: its assignments to variables are discarded, gradients are
    not computed (kerasx.ops.gradients.gradients_skipped) and the random
    generators are restored afterwards, so the only thing it leaves is the list of host
    random draws the step makes. Every real call, the first
    included, then draws those arrays on the host in the same order (so the
    generators advance exactly as in eager execution) and passes them in as
    inputs of the compiled step (see kerasx.random.host_draws). Every step of
    a training run is thus compiled, and a run resumed from a checkpoint
    computes exactly what an uninterrupted one does. Where the plugin has no
    compiler for `jit_compile`, every call is eager.

    Args:
        step: a function of one nest of tensors returning a nest of tensors
            (or Python numbers in eager calls).
        jit_compile: Keras's argument, passed on to the plugin.
    """

    def __init__(self, step, jit_compile):
        self._step = step
        self._jit_compile = jit_compile
        self._eager = False
        self._compiled = {}  # signature -> (compiled step, recorded draws)

    def __call__(self, data):
        if self._eager:
            return self._step(data)
        key = signature(data)
        entry = self._compiled.get(key)
        if entry is None:
            compiled = get_ops().compile_function(self._traced, self._jit_compile)
            if compiled is None:
                self._eager = True  # the plugin's answer does not depend on shapes
                return self._step(data)
            with host_draws.recording() as draws, writes_discarded(), states_restored(), \
                    gradients_skipped():
                self._step(data)
            entry = self._compiled[key] = (compiled, draws)
        compiled, draws = entry
        return compiled(data, host_draws.replay(draws))

    def _traced(self, data, draws):
        with host_draws.feeding(draws):
            return self._step(data)
