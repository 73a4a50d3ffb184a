"""The run-time state (kerasx/backend/state.py) is per thread: what one thread
sets (a layer call's training flag, skipped gradients, discarded writes, host
draws being recorded or fed, rewound generators, device scope, a trace in
progress, a load's safe mode and limits) is not seen by another, and a new
thread starts from the defaults."""
import contextlib
import threading

import numpy as np
import pytest

import kerasx as keras
from kerasx.backend import get_ops, state
from kerasx.ops.gradients import gradients_skipped, value_and_grad
from kerasx.random import host_draws
from kerasx.random.seed_generator import SeedGenerator, states_restored
from kerasx.saving.load_guard import allocation_limits
from kerasx.saving.registry import safe_mode_scope
from kerasx.variables import Variable, writes_discarded


def _in_new_thread(fn):
    """fn() run in a new thread; its result (or its exception, re-raised)."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            out["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(120)
    if "error" in out:
        raise out["error"]
    return out["value"]


@contextlib.contextmanager
def _held_open_in_another_thread(scope):
    """Enter `scope()` in another thread and keep it open during the block;
    yields a dict that receives what the scope yielded ("value") and, after
    the block, `after()` run inside the scope if the caller set one."""
    inside, release, out = threading.Event(), threading.Event(), {}

    def run():
        try:
            with scope() as value:
                out["value"] = value
                inside.set()
                release.wait(120)
                if "after" in out:
                    out["after_result"] = out["after"]()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            out["error"] = exc
            inside.set()

    t = threading.Thread(target=run)
    t.start()
    assert inside.wait(120), "the scope was not entered"
    try:
        yield out
    finally:
        release.set()
        t.join(120)
    if "error" in out:
        raise out["error"]


class _Waiting(keras.layers.Layer):
    """Calls `inner` then waits inside its own call until released."""

    def __init__(self, inner, inside, release):
        super().__init__()
        self.inner, self.inside, self.release = inner, inside, release

    def call(self, x, training=None):
        y = self.inner(x)
        self.inside.set()
        assert self.release.wait(120)
        return y


class _Probe(keras.layers.Layer):
    """Records the `training` flag each call receives."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def call(self, x, training=None):
        self.seen.append(training)
        return x


def test_a_new_thread_starts_from_the_defaults_while_this_one_is_inside_every_scope(backend):
    defaults = _in_new_thread(state.snapshot)
    seen = {}

    class Check(keras.layers.Layer):
        def call(self, x, training=None):
            seen["here"] = state.snapshot()
            seen["other"] = _in_new_thread(state.snapshot)
            return x

    with writes_discarded(), gradients_skipped(), host_draws.recording(), \
            host_draws.feeding([]), states_restored(), get_ops().device("cpu"), \
            safe_mode_scope(False), allocation_limits(10):
        Check()(np.ones((1, 2), "float32"), training=True)
    assert seen["other"] == defaults
    changed = {k for k in defaults if seen["here"][k] != defaults[k]}
    # The device entry is the plugin's to use (torch keeps its device there).
    assert changed - {"device"} == {"training", "call_depth", "writes_discarded",
                                    "gradients_skipped", "draw_log", "draw_feed",
                                    "restored_generators", "safe_mode", "load_limits"}
    assert state.snapshot() == defaults  # every scope restored on exit


def test_the_training_flag_of_a_call_in_one_thread_is_not_inherited_in_another(backend):
    inside, release = threading.Event(), threading.Event()
    probe_there, probe_here = _Probe(), _Probe()
    x = np.ones((4, 3), "float32")
    outer = _Waiting(probe_there, inside, release)
    thread = threading.Thread(target=lambda: outer(x, training=True))
    thread.start()
    try:
        assert inside.wait(120)
        probe_here(x)  # no flag given, none inherited from the other thread
        dropped = keras.layers.Dropout(0.5)(x)
    finally:
        release.set()
        thread.join(120)
    assert probe_there.seen == [True]
    assert probe_here.seen == [None]
    np.testing.assert_array_equal(get_ops().to_numpy(dropped), x)


def test_skipped_gradients_stay_in_their_thread(backend):
    ops = get_ops()
    v = Variable(np.array([1.0, 2.0, 3.0], "float32"))

    def grads():
        _, (g,) = value_and_grad(lambda: ops.sum(ops.square(ops.variable_value(v.native))),
                                 [v.native])
        return ops.to_numpy(g)

    with _held_open_in_another_thread(gradients_skipped) as there:
        here = grads()
        there["after"] = grads
    np.testing.assert_allclose(here, [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(there["after_result"], [0.0, 0.0, 0.0])


def test_discarded_writes_stay_in_their_thread(backend):
    v = Variable(np.zeros(2, "float32"))
    with _held_open_in_another_thread(writes_discarded) as there:
        v.assign(np.ones(2, "float32"))
        there["after"] = lambda: v.assign(np.full(2, 5.0, "float32"))
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0])  # the other thread's write discarded


def test_host_draws_recorded_or_fed_in_one_thread_stay_there(backend):
    ops = get_ops()
    fed = ops.convert_to_tensor(np.full(2, 7.0, "float32"))
    with _held_open_in_another_thread(host_draws.recording) as recording, \
            _held_open_in_another_thread(lambda: host_draws.feeding([fed])):
        here = host_draws.host_tensor(lambda: np.ones(2, "float32"))
        assert not host_draws.tracing()
    np.testing.assert_array_equal(ops.to_numpy(here), [1.0, 1.0])
    assert recording["value"] == []


def test_states_restored_rewinds_only_the_generators_its_thread_drew_from(backend):
    shared, own = SeedGenerator(1), SeedGenerator(2)
    first_own = own.generator.random(3)
    own.set_state(SeedGenerator(2).get_state())

    def draw_own():
        return own.generator.random(3)

    with _held_open_in_another_thread(states_restored) as there:
        here = shared.generator.random(3)
        there["after"] = draw_own
    reference = SeedGenerator(1).generator
    np.testing.assert_array_equal(here, reference.random(3))
    # Not rewound: this thread's draw counts, the next one follows it.
    np.testing.assert_array_equal(shared.generator.random(3), reference.random(3))
    # The other thread's draw inside its block was rewound.
    np.testing.assert_array_equal(there["after_result"], first_own)
    np.testing.assert_array_equal(own.generator.random(3), first_own)


def test_a_trace_in_progress_in_one_thread_does_not_capture_another_threads_ops(backend):
    ops = get_ops()
    inside, release = threading.Event(), threading.Event()

    def step(x):
        inside.set()  # runs while the step is traced
        assert release.wait(120)
        return ops.add(x, 1.0)

    compiled = ops.compile_function(step, "auto")
    if compiled is None:
        pytest.skip(f"the {backend} backend does not trace with jit_compile='auto'")
    x = ops.convert_to_tensor(np.ones(3, "float32"))
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("y", compiled(x)))
    thread.start()
    try:
        assert inside.wait(120)
        eager = ops.to_numpy(ops.multiply(x, 3.0))  # eager here, not traced into the step
    finally:
        release.set()
        thread.join(120)
    np.testing.assert_array_equal(eager, [3.0, 3.0, 3.0])
    np.testing.assert_array_equal(ops.to_numpy(result["y"]), [2.0, 2.0, 2.0])


def test_setting_restores_on_an_exception_and_names_unknown_entries():
    before = state.snapshot()
    with pytest.raises(KeyError):
        with state.setting(training=True, call_depth=3):
            assert (state.STATE.training, state.STATE.call_depth) == (True, 3)
            raise KeyError("boom")
    assert state.snapshot() == before
    with pytest.raises(AttributeError, match="Unknown run-time state.*'trainig'"):
        with state.setting(trainig=True):
            pass
    assert state.snapshot() == before
