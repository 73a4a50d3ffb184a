"""Hybridization: a kerasx function traced once into MXNet CachedOps.

MXNet 1.9 has no deferred compute (it arrived in 2.0), so Gluon's own
hybridize needs a `hybrid_forward(F, ...)` written against symbols, whose
shapes are unknown. kerasx's layers and ops need shapes while they run, so the
plugin traces instead: during one call each tensor is a `Traced` pair of its
eager value (shapes, dtypes and Python logic run on it) and its symbol. Every
plugin op goes through `Namespace`, which computes both.

The trace becomes a `Program` of segments, each an `mx.ndarray.CachedOp`:
- `value_and_grad(fn, variables)` puts `fn` in a segment of its own, run under
  `autograd.record` and differentiated by MXNet (symbols have no gradients);
  the code after it, which reads the gradients, starts the next segment;
- a tensor that a segment needs from an earlier one is an output of that one;
- arrays from outside the trace (variables, cached constants) are inputs bound
  by identity, so each call reads their current values; MXNet variables are
  written in place, so identity is stable;
- assignments are outputs, copied into their variables after the last segment;
  reads after a write within the trace see the written value.

The plugin's public methods receive their tensors as Traced
(`traced_methods`), so that a method or operator applied to a plain variable
inside the plugin cannot compute a constant the trace does not see. Between
Keras's channels-last layers, tensors keep a channels-first symbol
(`Traced.cf`, see `_Trace.channels_first`): MXNet's convolution and pooling are
NCHW only on CPU and its transposes are slow.

A trace that cannot be hybridized (a host read of a traced value, an op
without a symbolic form, a variable created inside the step) raises
`TraceError`, and the function then runs eagerly with a warning.
"""
import functools
import inspect
import operator
import warnings

import mxnet as mx
from mxnet import autograd

from kerasx import tree
from kerasx.backend.contract import contract_roles
from kerasx.backend.state import STATE, setting
from kerasx_mxnet import interop

_ND = mx.np.ndarray


class TraceError(Exception):
    """The traced function cannot be hybridized; it runs eagerly instead."""


def active():
    """The trace in progress in this thread, or None."""
    return STATE.native_trace


def _refuse_direct_reads():
    if STATE.native_trace is not None:
        raise TraceError("an MXNet function was called directly on a kerasx variable "
                         "(its value would be frozen into the compiled step); use "
                         "keras.ops for it to be compiled")


interop.check_handle_reads(_refuse_direct_reads)


def _is_tensor(x):
    return isinstance(x, (_ND, Traced))


def _map(structure, fn):
    """`fn` applied to every tensor in a nest (kerasx.tree's rules); other
    leaves are kept."""
    return tree.map_structure(lambda x: fn(x) if isinstance(x, (_ND, Traced)) else x,
                              structure)


def _has_tensor(structure):
    if isinstance(structure, (_ND, Traced)):
        return True
    return any(isinstance(x, (_ND, Traced)) for x in tree.flatten(structure))


def _skeleton(structure):
    """`structure` with None leaves: what `tree.pack_sequence_as` needs to
    rebuild it, without keeping its leaves (a trace's arrays) alive."""
    return tree.map_structure(lambda _: None, structure)


class Traced:
    """A tensor during a trace: its eager value and its symbol in segment
    `seg` of the trace."""

    # __dict__: the front end attaches attributes to tensors (Keras masks).
    __slots__ = ("value", "sym", "seg", "cf", "fuse_bias", "__dict__")
    __hash__ = None

    def __init__(self, value, sym, seg, cf=None):
        self.value = value
        self.sym = sym
        self.seg = seg
        self.cf = cf  # the same tensor channels-first, where the trace has it
        # For a convolution's result: bias symbol -> `cf` with the bias added
        # by the convolution (MXNet's broadcast-add backward is slow).
        self.fuse_bias = None

    shape = property(lambda self: self.value.shape)
    dtype = property(lambda self: self.value.dtype)
    ndim = property(lambda self: self.value.ndim)
    size = property(lambda self: self.value.size)
    ctx = property(lambda self: self.value.ctx)
    context = ctx
    T = property(lambda self: STATE.native_trace.call(lambda o: o.T, (self,)))

    @property
    def grad(self):
        raise TraceError("a traced tensor's gradient buffer was read")

    def __getattr__(self, name):
        attr = getattr(self.value, name)
        if not callable(attr):
            return attr

        def method(*args, **kwargs):
            return STATE.native_trace.call(lambda o, *a, **k: getattr(o, name)(*a, **k),
                               (self,) + args, kwargs)
        return method

    @property
    def handle(self):
        # An MXNet function called directly on a traced tensor reads its
        # handle: it would compute a constant from this call's value.
        raise TraceError("an MXNet function was called directly on a tensor of the "
                         "step (its value would be frozen into the compiled step); use "
                         "keras.ops for it to be compiled")

    def detach(self):
        return STATE.native_trace.call_split(
            lambda v: v.detach(),
            lambda s: mx.sym.BlockGrad(s.as_nd_ndarray()).as_np_ndarray(), (self,))

    def _host_read(self, *args, **kwargs):
        raise TraceError("the step reads a tensor's value on the host")

    asnumpy = item = asscalar = tolist = _host_read
    __bool__ = __float__ = __int__ = __index__ = __array__ = _host_read

    def __setitem__(self, key, value):
        raise TraceError("the step writes into a tensor in place")

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        return (self[i] for i in range(len(self.value)))

    def __repr__(self):
        return f"Traced(shape={self.shape}, dtype={self.dtype})"


def _operator(fn):
    return lambda self, *other: STATE.native_trace.call(fn, (self,) + other)


def _reflected(fn):
    return lambda self, other: STATE.native_trace.call(lambda a, b: fn(b, a), (self, other))


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
              "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor", "getitem",
              "neg", "pos", "abs", "invert"):
    _fn = getattr(operator, _name if _name not in ("and", "or") else _name + "_")
    setattr(Traced, f"__{_name}__", _operator(_fn))
for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
              "and", "or", "xor"):
    _fn = getattr(operator, _name if _name not in ("and", "or") else _name + "_")
    setattr(Traced, f"__r{_name}__", _reflected(_fn))


def _matmul(a, b):
    # MXNet symbols have no `@` operator: the numpy-interface matmul does.
    if isinstance(a, mx.sym.Symbol) or isinstance(b, mx.sym.Symbol):
        return mx.sym.np.matmul(a, b)
    return mx.np.matmul(a, b)


Traced.__matmul__ = _operator(_matmul)
Traced.__rmatmul__ = _reflected(_matmul)


# Ops that act element by element: they keep a channels-first form (see
# _Trace.channels_first), so convolution, bias, activation and pooling stay
# in MXNet's NCHW layout between Keras's channels-last layers.
_ELEMENTWISE = frozenset((
    "activation", "relu", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "negative", "square",
    "log1p", "expm1", "sign", "floor", "ceil", "rint", "round", "erf", "sin", "cos",
    "add", "subtract", "multiply", "true_divide", "divide", "maximum", "minimum",
    "power"))


def kept_channels_first(x, axes):
    """During a trace, `x` transposed by `axes` to channels-first without a
    transpose where `x` came from channels-first; else None."""
    trace = STATE.native_trace
    return trace.channels_first(x, axes) if trace is not None else None


def keep_channels_first(y, x):
    """Record that traced `y` is channels-first `x` moved to channels-last."""
    if isinstance(y, Traced) and isinstance(x, Traced) and x.seg == y.seg:
        y.cf, y.fuse_bias = x.sym, x.fuse_bias


def allow_bias_fusion(y, with_bias, x, w):
    """Record that traced convolution output `y` of `x` and `w` may take a
    bias inside the convolution: `with_bias(x_sym, w_sym, bias_sym)`."""
    if isinstance(y, Traced):
        trace = STATE.native_trace
        xs, ws = trace.local(x).sym, trace.local(w).sym
        y.fuse_bias = lambda b: with_bias(xs, ws, b)


def traced(role):
    """Whether a contract op with this role has its tensor arguments traced:
    it reads tensors, and takes no variable by identity (those ops read and
    write the variable's own array, which `_Trace.write`/`value_and_grad`
    bind themselves). An op whose declaration omits `tensors` (refused by the
    architecture test) is traced, the safe side."""
    if role.tensors is None:
        return True
    return bool(role.tensors) and not role.variables


def traced_methods(cls):
    """Wrap `cls`'s contract methods whose declared role is `traced` so that
    during a trace their tensor arguments arrive as Traced: a method or
    operator applied to a plain array (a variable) would otherwise compute a
    constant that the trace could not see."""
    def wrap(fn):
        @functools.wraps(fn)
        def method(self, *args, **kwargs):
            trace = STATE.native_trace
            if trace is not None:
                args, kwargs = trace.localize(args), trace.localize(kwargs)
            return fn(self, *args, **kwargs)
        method.__kerasx_traced__ = True
        return method

    roles = contract_roles()
    # The plugin class and its kernel mixins (math_kernels.py...): a method a
    # mixin defines is as much the plugin's as one on the class itself.
    for klass in cls.__mro__:
        if klass is object or klass.__module__.startswith("kerasx.backend"):
            continue
        for name, fn in list(vars(klass).items()):
            if (inspect.isfunction(fn) and name in roles and traced(roles[name])
                    and not getattr(fn, "__kerasx_traced__", False)):
                setattr(klass, name, wrap(fn))
    return cls


class Namespace:
    """`mx.np`/`mx.npx` for the plugin: eager calls outside a trace; during
    a trace, calls with tensor operands compute value and symbol together.
    Calls without tensor operands (constants) stay eager: the arrays they make
    are captured by identity where a traced op uses them."""

    def __init__(self, nd_namespace, sym_namespace):
        self._nd = nd_namespace
        self._sym = sym_namespace

    def __getattr__(self, name):
        nd_fn = getattr(self._nd, name)
        sym_ns = self._sym

        def call(*args, **kwargs):
            trace = STATE.native_trace
            if trace is None or not (_has_tensor(args) or _has_tensor(kwargs)):
                return nd_fn(*args, **kwargs)
            return trace.call_split(nd_fn, lambda *a, **k: getattr(sym_ns, name)(*a, **k),
                                     args, kwargs, layout=name)

        call.__name__ = name
        setattr(self, name, call)  # later lookups skip __getattr__
        return call


class _Body:
    """The trace's view of a foreach body being traced: the tensors made
    in it. MXNet's foreach differentiates a multi-output operator (split)
    wrongly when its operand comes from outside the body (a captured
    variable or intermediate; tests/layers/rnn/test_rnn_loop.py found it):
    such an operator reads a copy made in the body."""

    def __init__(self):
        self.made = {}  # id -> Traced made in the body (kept alive: ids stay unique)
        self._copies = {}

    def copy(self, x):
        if not isinstance(x, Traced) or id(x) in self.made:
            return x
        hit = self._copies.get(id(x))
        if hit is None:
            made = Traced(x.value, mx.sym.np.copy(x.sym), x.seg)
            self.made[id(made)] = made
            hit = self._copies[id(x)] = (x, made)
        return hit[1]


class _Segment:
    def __init__(self, grad):
        self.grad = grad
        self.sources = {}   # input name -> where a call finds its array
        self.imports = {}   # key -> (kept object, local Traced)
        self.outputs = []
        self._out_index = {}
        self.loops = False  # holds a foreach (hybrid.foreach)

    def output(self, sym):
        k = self._out_index.get(id(sym))
        if k is None:
            k = self._out_index[id(sym)] = len(self.outputs)
            self.outputs.append(sym)
        return k


class _Trace:
    def __init__(self):
        self.segments = []
        self.writes = {}     # id(array) -> (array, Traced new value)
        self.recording = False
        self._names = 0
        self._body = None  # a _Body while a foreach body is traced
        self.new_segment(grad=False)

    @property
    def seg(self):
        return len(self.segments) - 1

    def new_segment(self, grad):
        self.segments.append(_Segment(grad))

    def input(self, value, source):
        name = f"kx{self._names}"
        self._names += 1
        self.segments[-1].sources[name] = source
        return Traced(value, mx.sym.var(name).as_np_ndarray(), self.seg)

    def local(self, x):
        """`x` as a Traced of the current segment."""
        seg = self.segments[-1]
        if isinstance(x, Traced):
            if x.seg == self.seg:
                return x
            key = ("t", id(x))
            hit = seg.imports.get(key)
            if hit is None:
                home = self.segments[x.seg]
                # An input of its segment comes from where that input does.
                source = home.sources.get(x.sym.name) or ("out", x.seg, home.output(x.sym))
                hit = seg.imports[key] = (x, self.input(x.value, source))
            return hit[1]
        # A kerasx Variable (an ndarray view of its native array) is bound
        # as that array, so that reads, writes and gradients meet.
        x = interop.native_of(x)
        written = self.writes.get(id(x))
        if written is not None:
            return self.local(written[1])
        key = ("c", id(x))
        hit = seg.imports.get(key)
        if hit is None:
            hit = seg.imports[key] = (x, self.input(x, ("capture", x)))
        return hit[1]

    def localize(self, structure):
        """Every tensor in a nest as a Traced of the current segment."""
        return _map(structure, self.local)

    def call(self, fn, args, kwargs=None):
        return self.call_split(fn, fn, args, kwargs)

    def call_split(self, nd_fn, sym_fn, args, kwargs=None, layout=None):
        kwargs = kwargs or {}
        args = _map(args, self.local)
        kwargs = _map(kwargs, self.local)
        body = self._body
        value = nd_fn(*_map(args, lambda t: t.value), **_map(kwargs, lambda t: t.value))
        if body is not None and isinstance(value, (list, tuple)):
            args, kwargs = _map(args, body.copy), _map(kwargs, body.copy)
        try:
            sym = sym_fn(*_map(args, lambda t: t.sym), **_map(kwargs, lambda t: t.sym))
        except Exception as exc:  # the symbolic API lacks this form of the op
            name = getattr(nd_fn, "__name__", "an operation")
            raise TraceError(f"{name} has no symbolic form here ({exc})") from exc
        result = self._wrap(value, sym)
        if layout in _ELEMENTWISE and isinstance(result, Traced) and not _has_tensor(kwargs):
            result.cf = self._channels_first_form(sym_fn, args, kwargs, result.value.shape,
                                                  layout)
        return result

    def _channels_first_form(self, sym_fn, args, kwargs, shape, name):
        """The symbol of an element-wise op on channels-first operands, where
        every tensor operand is channels-first (`cf`), a per-channel vector
        or a scalar; else None."""
        if len(shape) < 3 or not any(isinstance(a, Traced) and a.cf is not None
                                     for a in args):
            return None
        channels = shape[-1]
        if name == "add" and len(args) == 2:
            for a, b in (args, args[::-1]):
                if (isinstance(a, Traced) and a.fuse_bias is not None and isinstance(b, Traced)
                        and b.value.shape == (channels,) and b.dtype == a.dtype):
                    return a.fuse_bias(b.sym)
        operands = []
        for a in args:
            if not isinstance(a, Traced):
                operands.append(a)
            elif a.cf is not None and tuple(a.value.shape) == tuple(shape):
                operands.append(a.cf)
            elif a.value.ndim == 0 or (a.value.ndim == 1 and a.value.shape[0] in (1, channels)):
                operands.append(a.sym.reshape((1, -1) + (1,) * (len(shape) - 2))
                                if a.value.ndim == 1 else a.sym)
            else:
                return None
        return sym_fn(*operands, **kwargs)

    def channels_first(self, x, axes):
        """`x` transposed by `axes` to channels-first: the symbol the trace
        already has where `x` came from channels-first (no transpose)."""
        if isinstance(x, Traced) and x.cf is not None and x.seg == self.seg:
            return Traced(mx.np.transpose(x.value, axes), x.cf, self.seg)
        return None

    def _wrap(self, value, sym):
        if isinstance(value, _ND):
            made = Traced(value, sym, self.seg)
            if self._body is not None:
                self._body.made[id(made)] = made
            return made
        if isinstance(value, (list, tuple)):
            return type(value)(self._wrap(v, sym[i]) for i, v in enumerate(value))
        return value

    def write(self, array, value):
        if not isinstance(value, Traced):
            value = self.local(value)
        self.writes[id(array)] = (array, value)

    def value_and_grad(self, fn, variables):
        variables = list(variables)
        if any(id(v) in self.writes for v in variables):
            raise TraceError("the step differentiates with respect to a variable "
                             "it wrote earlier")
        self.new_segment(grad=True)
        self.recording = True
        try:
            value = fn()
        finally:
            self.recording = False
        if not _is_tensor(value):
            raise TraceError("value_and_grad's function returned no tensor")
        value = self.local(value)
        head = value.sym
        if head.name in self.segments[-1].sources:  # an input: no gradient path
            head = mx.sym.np.copy(head)
        if self.segments[-1].output(head) != 0:
            raise TraceError("internal: the loss is not the first output")
        self.new_segment(grad=False)
        grads = [self.input(mx.np.zeros_like(v), ("grad", v)) if v.grad is not None
                 else self.call_split(mx.np.zeros_like, mx.sym.np.zeros_like, (v,))
                 for v in variables]
        return value, grads

    def foreach(self, step, carry, xs, ys_like, count, reverse):
        """The loop of `kerasx.backend.loops.native_scan` as one MXNet
        `foreach` node, whose body `step` is traced once (the compiled graph
        does not grow with `count`). MXNet differentiates it in the segment's
        backward.

        The body runs on Traced pairs whose values are one slice of `xs` and
        the carry's current values, which give the shapes Python needs; the
        results' values are placeholders of the right shapes and dtypes (a
        trace never reads values back). MXNet requires every data slice and
        state to be used by the body: one the body ignores is passed through
        as an extra, discarded output. Tensors the body closes over become
        inputs of the foreach node (MXNet cuts them out of the subgraph).
        MXNet's foreach infers 0-d slices as shape (1,): they travel as (1,)
        and are reshaped inside and after the body."""
        carry = [self.local(c) for c in carry]
        xs = [self.local(x) for x in xs]
        if reverse:
            xs = [self._flip(x) for x in xs]
        given = len(xs)
        if not xs:  # MXNet's foreach needs data to slice
            xs = [self.local(mx.np.zeros((count,), ctx=carry[0].ctx if carry else None))]
        slice_values = [x.value[0] for x in xs]
        xs = [self.call(lambda v: v.reshape((count, 1)), (x,)) if x.ndim == 1 else x
              for x in xs]
        results = {}

        def body(data, states):
            raw = list(data) + list(states)
            data = [Traced(v, s.as_np_ndarray().reshape(()) if v.ndim == 0 else s.as_np_ndarray(),
                           self.seg) for v, s in zip(slice_values, data)]
            states = [Traced(c.value, s.as_np_ndarray(), self.seg)
                      for c, s in zip(carry, states)]
            for t in data + states:
                scope.made[id(t)] = t
            new_carry, ys = step(states, data[:given])
            new_carry, ys = [self.local(c) for c in new_carry], [self.local(y) for y in ys]
            results["carry"], results["ys"] = new_carry, ys
            names = {r.name for r in raw}

            def own(t):  # an input returned as it is must be a node of the body
                return mx.sym.np.copy(t.sym) if t.sym.name in names else t.sym

            def row(sym, ndim):  # 0-d outputs travel as (1,)
                return sym.reshape((1,)) if ndim == 0 else sym

            outs = [row(own(y), y.ndim) for y in ys]
            state_syms = [own(c) for c in new_carry]
            used = set(mx.sym.Group(outs + state_syms).list_inputs()) if outs or state_syms \
                else set()
            outs += [row(mx.sym.np.copy(r.as_np_ndarray()), t.ndim)
                     for r, t in zip(raw, xs + carry) if r.name not in used]
            return [o.as_nd_ndarray() for o in outs], [c.as_nd_ndarray() for c in state_syms]

        outer, self._body = self._body, _Body()
        scope = self._body
        try:
            outs, states = mx.sym.contrib.foreach(
                body, [x.sym.as_nd_ndarray() for x in xs],
                [c.sym.as_nd_ndarray() for c in carry])
        except (AssertionError, mx.base.MXNetError) as exc:
            raise TraceError(f"the loop body has no MXNet foreach form ({exc})") from exc
        finally:
            self._body = outer
        outs = outs if isinstance(outs, list) else [outs]
        states = states if isinstance(states, list) else [states]
        self.segments[-1].loops = True
        new_carry = [Traced(c.value, s.as_np_ndarray(), self.seg)
                     for c, s in zip(results["carry"], states)]
        ys = [Traced(mx.np.broadcast_to(mx.np.expand_dims(y.value, 0),
                                        (count,) + tuple(y.value.shape)),
                     s.as_np_ndarray().reshape((count,)) if y.ndim == 0 else s.as_np_ndarray(),
                     self.seg)
              for y, s in zip(results["ys"], outs)]
        if reverse:
            ys = [self._flip(y) for y in ys]
        return new_carry, ys

    def _flip(self, x):
        """`x` reversed along its first axis (MXNet's flip rejects bool: it
        flips int8 and casts back)."""
        if x.dtype == bool:  # symbols carry no dtype: decided on the value
            return self.call_split(
                lambda v: mx.np.flip(v.astype("int8"), axis=0).astype(bool),
                lambda s: mx.sym.np.flip(s.astype("int8"), axis=0).astype(bool), (x,))
        return self.call_split(lambda v: mx.np.flip(v, axis=0),
                               lambda s: mx.sym.np.flip(s, axis=0), (x,))

    def finish(self, outputs, flags):
        results = [self._result(x) for x in tree.flatten(outputs)]
        writes = [(array, self._result(value)) for array, value in self.writes.values()]
        segments = []
        for seg in self.segments:
            if not seg.outputs:
                if seg.grad:
                    raise TraceError("internal: a gradient segment without outputs")
                segments.append(None)
                continue
            group = mx.sym.Group(seg.outputs).as_np_ndarray()
            sources = [seg.sources[name] for name in group.list_inputs()]
            # Gluon's static_alloc/static_shape memory plan computes garbage
            # for a foreach whose inputs are intermediate tensors (MXNet 1.9;
            # found with tests/layers/rnn/test_rnn_loop.py): a segment with a
            # loop goes without it.
            seg_flags = [f for f in flags if f[0] not in ("static_alloc", "static_shape")] \
                if seg.loops else flags
            segments.append((mx.ndarray.CachedOp(group, seg_flags), sources, seg.grad))
        return Program(segments, results, writes, _skeleton(outputs), flags)

    def _result(self, x):
        if isinstance(x, Traced):
            seg = self.segments[x.seg]
            source = seg.sources.get(x.sym.name)
            if source is not None:  # an input of its segment: where it comes from
                return source
            return ("out", x.seg, seg.output(x.sym))
        if isinstance(x, _ND):
            return ("capture", x)
        return ("const", x)


class Program:
    """A traced function as CachedOps: call it with the flat argument list."""

    def __init__(self, segments, results, writes, skeleton, flags):
        self._segments = segments
        self._results = results
        # A write of a variable's own unchanged value is no write.
        self._writes = [(a, s) for a, s in writes if not (s[0] == "capture" and s[1] is a)]
        self._skeleton = skeleton  # the outputs' structure
        if self._writes:
            copies = [mx.sym.np.copy(mx.sym.var(f"w{i}").as_np_ndarray())
                      for i in range(len(self._writes))]
            self._copy = mx.ndarray.CachedOp(mx.sym.Group(copies).as_np_ndarray(), flags)

    def __call__(self, flat_args):
        outs = []

        def resolve(source):
            kind = source[0]
            if kind == "out":
                return outs[source[1]][source[2]]
            if kind == "arg":
                return flat_args[source[1]]
            if kind == "grad":
                grad = source[1].grad
                return grad if grad is not None else mx.np.zeros_like(source[1])
            return source[1]  # "capture", "const"

        for segment in self._segments:
            if segment is None:
                outs.append(None)
                continue
            op, sources, grad = segment
            inputs = [resolve(s) for s in sources]
            if grad:
                with autograd.record():
                    result = op(*inputs)
                result = result if isinstance(result, list) else [result]
                try:
                    result[0].backward()
                except mx.base.MXNetError as exc:
                    if "not in a computational graph" not in str(exc):
                        raise
            else:
                result = op(*inputs)
                result = result if isinstance(result, list) else [result]
            outs.append(result)
        if self._writes:
            # One CachedOp copies every new value into its variable (`out=`):
            # 15 separate copies took 0.5 ms of a 1.7 ms step. The segments
            # themselves cannot write in place: a variable is also their
            # input, and out= would overwrite it before other outputs read it.
            with autograd.pause():
                self._copy(*[resolve(source) for _, source in self._writes],
                           out=[array for array, _ in self._writes])
        return tree.pack_sequence_as(self._skeleton, [resolve(s) for s in self._results])


class HybridFunction:
    """`fn` traced at its first call into a Program, then run as CachedOps.

    `flags` are CachedOp's (Gluon's hybridize options). A function that
    cannot be hybridized warns once and runs eagerly."""

    def __init__(self, fn, flags=()):
        self._fn = fn
        self._flags = list(flags)
        self._program = None
        self._eager = False

    @property
    def hybridized(self):
        """Whether calls run the traced CachedOps (False before the first
        call and after a fallback to eager execution)."""
        return self._program is not None

    def __call__(self, *args):
        if self._eager or STATE.native_trace is not None:
            return self._fn(*args)  # inside another trace: traced into it
        leaves = tree.flatten(args)
        if self._program is None:
            trace = _Trace()
            try:
                with setting(native_trace=trace):
                    traced = [trace.input(x, ("arg", i)) if isinstance(x, _ND) else x
                              for i, x in enumerate(leaves)]
                    outputs = self._fn(*tree.pack_sequence_as(args, traced))
                    self._program = trace.finish(outputs, self._flags)
            except (TraceError, AssertionError) as exc:
                # MXNet's operator wrappers assert that operands are ndarrays:
                # an MXNet function called directly on a traced tensor.
                if isinstance(exc, AssertionError):
                    if "Traced(" not in str(exc):
                        raise
                    exc = f"an MXNet function was called directly on a tensor of the " \
                          f"step ({exc}); use keras.ops for it to be compiled"
                self._eager = True
                warnings.warn(f"MXNet cannot hybridize this function, so it runs "
                              f"eagerly: {exc}.", RuntimeWarning, stacklevel=2)
            if self._eager:
                return self._fn(*args)
        return self._program(leaves)
