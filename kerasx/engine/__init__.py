"""Symbolic graph machinery of the functional API (KerasTensor, Node)."""
