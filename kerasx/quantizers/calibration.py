"""The calibration pass shared by GPTQ and AWQ (Keras 3's `gptq_core` /
`awq_core` orchestration): the calibration samples, then the model's blocks
one after another, each run on the previous block's outputs while hooks
collect the inputs of its quantizable layers.

The samples are token ids: the dataset is an iterable of strings (turned
into ids by the tokenizer) or of arrays of ids, concatenated, repeated when
short, and cut into windows of `sequence_length` tokens, as Keras does.
"""
import contextlib
import math

import numpy as np

from kerasx import ops
from kerasx.layers.quantization.model_api import flatten_layers, should_quantize_layer


def _tokenize(tokenizer, text):
    if tokenizer is None:
        raise ValueError("The calibration dataset holds strings: pass a `tokenizer` (an "
                         "object with a `tokenize` method, or a callable) in the config to "
                         "turn them into token ids, or pass token ids instead.")
    tokenize = getattr(tokenizer, "tokenize", None) or tokenizer
    if not callable(tokenize):
        raise ValueError(f"The `tokenizer` must have a `tokenize` method or be callable; "
                         f"got {type(tokenizer).__name__}.")
    return ops.convert_to_numpy(tokenize(text)).reshape(-1)


def get_dataloader(tokenizer, sequence_length, dataset, num_samples=128, *,
                   strategy="strided", seed=42, stride=None, eos_id=None):
    """Calibration windows of token ids, as Keras 3's GPTQ/AWQ dataloader.

    Args:
        tokenizer: turns a string into ids (`tokenizer.tokenize(s)`, or
            `tokenizer(s)`); only needed when `dataset` holds strings.
        sequence_length: tokens per window.
        dataset: an iterable (list, generator, array) of strings or of
            arrays of token ids.
        num_samples: number of windows.
        strategy: "strided" (evenly strided starts from an offset derived
            from `seed` with Python's `hash`, as Keras: the offset changes
            between processes unless PYTHONHASHSEED is fixed), "linspace"
            (evenly spread starts) or "random" (NumPy generator seeded with
            `seed`).
        seed, stride: see `strategy`.
        eos_id: id put between consecutive strings.

    Returns:
        int32 NumPy array (num_samples, 1, sequence_length).

    Raises:
        TypeError: `dataset` is not an iterable (or is a string).
        ValueError: an empty dataset, too few tokens for one window, an
            unknown strategy, strings without a tokenizer.
    """
    if not hasattr(dataset, "__iter__") or isinstance(dataset, (str, bytes)):
        raise TypeError("The `dataset` argument must be an iterable (e.g., a list of strings, "
                        "a generator, or a NumPy array). Got type: "
                        f"{type(dataset).__name__}. Please pass the loaded dataset directly.")
    items = list(dataset)
    if not items:
        raise ValueError("Provided dataset is empty.")
    pieces = []
    if isinstance(items[0], str):
        for i, text in enumerate(items):
            pieces.append(_tokenize(tokenizer, text))
            if eos_id is not None and i < len(items) - 1:
                pieces.append(np.array([eos_id], dtype=np.int32))
    else:
        pieces = [ops.convert_to_numpy(item).reshape(-1) for item in items]
    tokens = np.concatenate([p.astype(np.int32, copy=False) for p in pieces], axis=0)
    required = num_samples * sequence_length
    if tokens.size < required:
        tokens = np.tile(tokens, math.ceil(required / max(1, tokens.size)))
    max_start = tokens.size - sequence_length
    if max_start < 0:
        raise ValueError(f"Not enough tokens to form one sample of length {sequence_length} "
                         f"(have {tokens.size}).")
    if strategy == "random":
        starts = np.random.default_rng(seed).integers(0, max_start + 1, size=num_samples,
                                                      dtype=np.int64)
    elif strategy == "linspace":
        starts = np.linspace(0, max_start, num_samples, dtype=np.int64)
    elif strategy == "strided":
        if stride is None:
            stride = max(1, (max_start + 1) // num_samples)
        # Keras's offset: Python's hash of a fixed tuple (per-process salted).
        offset = abs(hash(("gptq-calib", seed))) % (max_start + 1) if max_start > 0 else 0
        starts = (offset + np.arange(num_samples, dtype=np.int64) * stride) % (max_start + 1)
    else:
        raise ValueError(f"Unknown strategy: {strategy}. Expected 'strided', 'linspace' or "
                         "'random'.")
    windows = np.lib.stride_tricks.sliding_window_view(tokens, sequence_length)
    return windows[starts].astype(np.int32)[:, None, :]


def layers_to_calibrate(block, mode, filters):
    """The leaf layers of `block` that `filters` selects and that were
    quantized in `mode` but not yet calibrated (their handler, set by
    `layer.quantize(mode)`, has `mode` and `calibrate`)."""
    found = []
    for layer in flatten_layers(block):
        handler = getattr(layer, "_quantization", None)
        if layer._layers or getattr(handler, "mode", None) != mode:
            continue
        if not hasattr(handler, "calibrate") or handler.is_calibrated(layer):
            continue
        if should_quantize_layer(layer, filters):
            found.append(layer)
    return found


@contextlib.contextmanager
def capture_inputs(layers, observe):
    """While active, every call of one of `layers` first passes its input (as
    a NumPy array) to `observe(layer, array)`. The layers' `call` methods
    are restored on exit, even after an error."""
    saved = []

    def hook_for(layer, original):
        def hook(*args, **kwargs):
            observe(layer, ops.convert_to_numpy(args[0] if args else kwargs["inputs"]))
            return original(*args, **kwargs)
        return hook

    try:
        for layer in layers:
            had_own = "call" in layer.__dict__
            saved.append((layer, had_own, layer.__dict__.get("call")))
            object.__setattr__(layer, "call", hook_for(layer, layer.call))
        yield
    finally:
        for layer, had_own, own in saved:
            if had_own:
                object.__setattr__(layer, "call", own)
            else:
                object.__delattr__(layer, "call")


def _with_batch_axis(x):
    return ops.expand_dims(x, axis=0) if len(ops.shape(x)) == 2 else x


def calibrate_blocks(dataloader, num_samples, structure, mode, filters, start, observe):
    """Run the calibration block by block (Keras's `apply_gptq_layerwise`).

    The samples go through `structure["pre_block_layers"]`; then for each
    block of `structure["sequential_blocks"]`: `start(layer)` makes a state
    per layer to calibrate, the block runs on every sample while
    `observe(state, inputs)` sees each layer's inputs, each layer's handler
    `calibrate(layer, state)` quantizes it, and the block's outputs
    (`block(x)[0]`, as Keras) become the next block's samples.

    Raises:
        ValueError: a structure without blocks.
    """
    pre_layers = structure.get("pre_block_layers", [])
    blocks = structure.get("sequential_blocks", [])
    if not blocks:
        raise ValueError("No sequential blocks found in the provided structure to quantize.")
    inputs = []
    for batch in dataloader:
        batch = ops.convert_to_tensor(batch, dtype="int32")
        for layer in pre_layers:
            batch = layer(batch)
        inputs.append(batch)
    count = min(num_samples, len(inputs))
    for index, block in enumerate(blocks):
        layers = layers_to_calibrate(block, mode, filters)
        if layers:
            states = {id(layer): start(layer) for layer in layers}
            with capture_inputs(layers, lambda layer, x: observe(states[id(layer)], x)):
                for sample in inputs[:count]:
                    block(_with_batch_axis(sample))
            for layer in layers:
                layer._quantization.calibrate(layer, states.pop(id(layer)))
        if index < len(blocks) - 1:
            inputs = [block(_with_batch_axis(sample))[0] for sample in inputs[:count]]


def check_calibration_config(config, structure, mode_name):
    """The checks Keras makes before a GPTQ/AWQ calibration.

    Raises:
        ValueError: no dataset, or no structure.
    """
    if config.dataset is None:
        raise ValueError(f"{mode_name} quantization requires a calibration dataset. Please "
                         f"provide it in the `{mode_name}Config` (with a tokenizer when it "
                         "holds strings).")
    if structure is None:
        raise ValueError(
            f"For '{mode_name.lower()}' mode, a valid quantization structure must be provided "
            "either via `config.quantization_layer_structure` or by overriding "
            "`model.get_quantization_layer_structure(mode)`. The structure should be a "
            "dictionary with keys 'pre_block_layers' and 'sequential_blocks'.")
