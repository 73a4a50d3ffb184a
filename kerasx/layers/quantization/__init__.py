"""Quantized layers: `Layer.quantize` / `Model.quantize` and the per-mode
handlers (int8.py, int4.py, float8.py ...) registered in `modes.py`, which
documents the handler interface."""
