"""AdditiveAttention: Bahdanau-style attention over [query, value, key]."""
from kerasx.backend import get_ops
from kerasx.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive (Bahdanau) attention, as keras.layers.AdditiveAttention:
    scores = sum(scale * tanh(query + key)) over the feature axis, with a
    learned per-feature `scale` (dim,) when `use_scale` (default True,
    Glorot-uniform initialised).

    Args:
        use_scale: learn the per-feature scale.
        dropout: dropout rate on the attention weights (portable generator).

    Call arguments and masks as `Attention`.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        dim = tuple(input_shape[0])[-1]
        self.scale = self.add_weight(shape=(dim,), initializer="glorot_uniform",
                                     name="scale") if self.use_scale else None
        self.concat_score_weight = None
        self.built = True

    def _calculate_scores(self, query, key):
        ops = get_ops()
        summed = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.scale is not None:
            summed = ops.multiply(self.scale.value, summed)
        return ops.sum(summed, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
