"""kerasx's run-time state, all of it, in one place, per thread.

What kerasx changes while it runs (which training flag the layers of a call
inherit, whether a dry run discards writes, what a compiled step is fed, the
trace in progress) lives in `STATE`, one object per thread: two threads can
run `fit` and `predict` (or `predict` on one model) at the same time without
seeing each other's flags. A new thread starts from the defaults below, so a
thread's training flag never leaks into another. Set entries with `setting`,
which restores them on exit, exceptions included.

Not here, because it is process-wide on purpose: configuration
(kerasx.config: floatx, epsilon, image data format), the selected backend,
the global random generator (kerasx.random.seed_generator: `set_random_seed`
in one thread seeds the weights made in any), and the name counters
(kerasx.backend.naming: names stay unique across threads).

Why a `threading.local` and not `contextvars.ContextVar`: torch.compile
(TorchDynamo) traces attribute reads and writes of a `threading.local`,
guarded per call, but cannot trace `ContextVar.get`/`set`, and breaks the
graph at each one: with only the training flag and the call depth on context
variables, the tiny CNN's compiled training step went from 1.2 ms to 1.6-4.9
ms (conformance.bench_worker kerasx-torch:compile tiny_cnn). Keras 3 keeps
its global state in a `threading.local` too. The difference, asyncio tasks of
one thread sharing the state, does not arise: kerasx's calls never await.
"""
import contextlib
import threading


class _State(threading.local):
    """One per thread; `__init__` runs in each thread at its first use."""

    def __init__(self):
        # kerasx/layers/layer.py: the training flag of the outermost layer
        # call, inherited by the layers it calls, and how deep calls nest.
        self.training = None
        self.call_depth = 0
        # kerasx/layers/layer.py: inside the call of a layer whose compute
        # dtype differs from its variables' (mixed precision), the dtype
        # its float variables are read in (kerasx/variables.py Variable.value).
        self.autocast_dtype = None
        # kerasx/backend/scopes.py name_scope: the names of the open scopes,
        # outermost first (prefixes of new variables' paths).
        self.name_scope = ()
        # kerasx/backend/stateless_scope.py: the innermost open StatelessScope
        # (or the scope of a rematerialized call): it maps variables to the
        # values they are read as, and records their assignments.
        self.stateless_scope = None
        # kerasx/backend/symbolic_scope.py: the innermost open SymbolicScope.
        self.symbolic_scope = None
        # kerasx/backend/remat.py: the RematScopes open, outermost first.
        self.remat_scopes = ()
        # kerasx/random/host_draws.py captured: the tensors drawn inside the
        # block (a rematerialized call replays them when it is recomputed).
        self.draw_capture = None
        # kerasx/variables.py writes_discarded: assignments checked, not stored.
        self.writes_discarded = False
        # kerasx/ops/gradients.py gradients_skipped: value_and_grad returns zeros.
        self.gradients_skipped = False
        # kerasx/random/host_draws.py: the draws logged while a step is
        # recorded; the tensors fed to a compiled step being traced, and the
        # index of the next one.
        self.draw_log = None
        self.draw_feed = None
        self.draw_position = 0
        # kerasx/backend/loops.py: while the body of a framework loop is
        # traced, why a random draw there is refused (None: allowed).
        self.draws_refused = None
        # kerasx/random/seed_generator.py states_restored: {SeedGenerator:
        # its state before its first draw in the block}.
        self.restored_generators = None
        # A plugin's device_scope: the native device chosen (None: the
        # plugin's default).
        self.device = None
        # A plugin that traces compiled functions itself (MXNet hybridize):
        # the trace in progress in this thread.
        self.native_trace = None
        # kerasx/saving: safe_mode of the load in progress (None and True
        # refuse Python code) and its allocation budget (None: no load).
        self.safe_mode = None
        self.load_limits = None


STATE = _State()
_NAMES = frozenset(vars(STATE))


@contextlib.contextmanager
def setting(**values):
    """Inside the block, the named entries of `STATE` have `values` in this
    thread; on exit (an exception included) they go back to what they were.

    Raises:
        AttributeError: for a name that is not an entry of `STATE`.
    """
    unknown = set(values) - _NAMES
    if unknown:
        raise AttributeError(f"Unknown run-time state {sorted(unknown)}; the entries are "
                             f"{sorted(_NAMES)} (kerasx/backend/state.py).")
    outer = {name: getattr(STATE, name) for name in values}
    for name, value in values.items():
        setattr(STATE, name, value)
    try:
        yield
    finally:
        for name, value in outer.items():
            setattr(STATE, name, value)


def snapshot():
    """The entries of `STATE` in this thread, as a dict (for tests and
    debugging)."""
    return {name: getattr(STATE, name) for name in sorted(_NAMES)}
