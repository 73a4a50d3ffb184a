"""The compatibility corpus: small Keras 3 programs, each exercising one pattern
real Keras programs use, run unchanged through `kerasx run` on every backend
they are written for and under Keras 3 itself (`python -m conformance.corpus`).
"""
