"""Connectionist temporal classification (Graves et al., 2006) in
`keras.ops.nn`: ctc_loss (the forward algorithm in log space, a scan over
time) and ctc_decode (greedy). Composites, written once from the contract's
primitives."""
from kerasx.backend.op_roles import composite

#: A finite stand-in for log(0): keeps the log-space sums and their gradients
#: free of inf - inf.
_LOG_ZERO = -1e30


class CtcContract:
    """Mixin of `Backend`: CTC loss and decoding."""

    def _log_add(self, a, b):
        top = self.maximum(a, b)
        return self.add(top, self.log(self.add(self.exp(self.subtract(a, top)),
                                               self.exp(self.subtract(b, top)))))

    def _shift_right(self, x, steps):
        """x moved `steps` places right along the last axis, log(0) coming in."""
        batch, size = self.shape(x)
        filler = self.full((batch, steps), _LOG_ZERO, self.dtype(x))
        return self.concatenate([filler, self.slice(x, (0, 0), (batch, size - steps))],
                                axis=1)

    @composite(tensors=("target", "output", "target_length", "output_length"))
    def ctc_loss(self, target, output, target_length, output_length, mask_index=0):
        """Per-sample CTC loss, -log p(target | output): `target` (batch,
        max_label) int labels, the first `target_length` of each row used;
        `output` (batch, time, classes) logits (log-softmaxed here), the first
        `output_length` steps used; `mask_index` is the blank class.

        Raises:
            ValueError: the ranks are not those above.
        """
        if self.ndim(target) != 2 or self.ndim(output) != 3:
            raise ValueError("ctc_loss takes `target` (batch, max_length) and `output` "
                             f"(batch, time, classes); received shapes "
                             f"{self.shape(target)} and {self.shape(output)}.")
        dtype = self.dtype(output)
        batch, steps, classes = self.shape(output)
        labels = self.cast(target, "int32")
        label_count = self.shape(labels)[1]
        blank = mask_index % classes
        size = 2 * label_count + 1
        # The extended label sequence: blank, l1, blank, l2, ..., blank.
        blanks = self.full((batch, label_count), blank, "int32")
        extended = self.reshape(self.stack([blanks, labels], axis=2), (batch, 2 * label_count))
        extended = self.concatenate([extended, self.full((batch, 1), blank, "int32")], axis=1)
        log_probs = self.log_softmax(output, axis=-1)
        emissions = self.take_along_axis(
            log_probs, self.broadcast_to(self.expand_dims(extended, 1), (batch, steps, size)),
            axis=2)
        # A skip from s - 2 to s is allowed onto a label that differs from the
        # label two places back (never onto a blank).
        two_back = self.concatenate([self.full((batch, 2), blank, "int32"),
                                     self.slice(extended, (0, 0), (batch, size - 2))], axis=1)
        can_skip = self.logical_and(self.not_equal(extended, blank),
                                    self.not_equal(extended, two_back))
        log_zero = self.full((batch, size), _LOG_ZERO, dtype)
        first = self.slice(emissions, (0, 0, 0), (batch, 1, size))
        starts = self.convert_to_tensor([i < 2 for i in range(size)], "bool")
        alpha = self.where(starts, self.squeeze(first, 1), log_zero)
        lengths = self.cast(output_length, "int32")
        times = self.arange(0, steps, 1, "int32")
        # active[t, b]: step t is inside sample b's output.
        active = self.less(self.expand_dims(times, 1), self.expand_dims(lengths, 0))

        def step(alpha, inputs):
            emission, live = inputs
            stay = alpha
            advance = self._shift_right(alpha, 1)
            skip = self.where(can_skip, self._shift_right(alpha, 2), log_zero)
            new = self.add(self._log_add(self._log_add(stay, advance), skip), emission)
            return self.where(self.expand_dims(live, 1), new, alpha), None

        if steps > 1:
            rest = self.transpose(self.slice(emissions, (0, 1, 0), (batch, steps - 1, size)),
                                  (1, 0, 2))
            live = self.slice(active, (1, 0), (steps - 1, batch))
            alpha, _ = self.scan(step, alpha, (rest, live))
        # End in the last label or the blank after it.
        ends = self.cast(target_length, "int32")
        last = self.expand_dims(self.multiply(ends, 2), 1)
        before = self.maximum(self.subtract(last, 1), 0)
        end_blank = self.take_along_axis(alpha, last, axis=1)
        end_label = self.take_along_axis(alpha, before, axis=1)
        end_label = self.where(self.greater(last, 0), end_label,
                               self.full(self.shape(end_label), _LOG_ZERO, dtype))
        return self.negative(self.squeeze(self._log_add(end_blank, end_label), 1))

    @composite(tensors=("inputs", "sequence_lengths"))
    def ctc_decode(self, inputs, sequence_lengths, strategy="greedy", beam_width=100,
                   top_paths=1, merge_repeated=True, mask_index=0):
        """Greedy CTC decoding of logits `inputs` (batch, time, classes):
        the best class at each of the first `sequence_lengths` steps,
        repeats merged (with `merge_repeated`) and blanks (`mask_index`)
        removed. Returns (decoded (1, batch, time) int32, left-aligned and
        padded with -1; scores (batch, 1), minus the sum of each step's
        largest logit).

        Raises:
            ValueError: a strategy other than "greedy" (kerasx has no beam
                search).
        """
        if strategy != "greedy":
            raise ValueError(f"kerasx's ctc_decode implements strategy='greedy' only; "
                             f"received strategy={strategy!r}.")
        batch, steps, classes = self.shape(inputs)
        dtype = self.dtype(inputs)
        path = self.cast(self.argmax(inputs, axis=-1), "int32")
        lengths = self.expand_dims(self.cast(sequence_lengths, "int32"), 1)
        inside = self.less(self.reshape(self.arange(0, steps, 1, "int32"), (1, steps)),
                           lengths)
        keep = self.logical_and(inside, self.not_equal(path, mask_index % classes))
        if merge_repeated:
            previous = self.concatenate([self.full((batch, 1), -1, "int32"),
                                         self.slice(path, (0, 0), (batch, steps - 1))], axis=1)
            keep = self.logical_and(keep, self.not_equal(path, previous))
        kept = self.cast(keep, dtype)
        # Output slot of each kept step: the running count of kept steps - 1
        # (a cumulative sum as a product with the upper triangle of ones).
        upper = self.convert_to_tensor([[1.0 if i <= j else 0.0 for j in range(steps)]
                                        for i in range(steps)], dtype)
        slot = self.subtract(self.matmul(kept, upper), 1.0)
        slots = self.cast(self.arange(0, steps, 1, "int32"), dtype)
        placed = self.multiply(self.expand_dims(kept, 2),
                               self.cast(self.equal(self.expand_dims(slot, 2), slots), dtype))
        labels = self.cast(self.expand_dims(path, 2), dtype)
        filled = self.sum(placed, axis=1)
        decoded = self.add(self.sum(self.multiply(placed, labels), axis=1),
                           self.subtract(filled, 1.0))
        decoded = self.expand_dims(self.cast(decoded, "int32"), 0)
        best = self.where(inside, self.max(inputs, axis=-1), self.zeros((batch, steps), dtype))
        scores = self.negative(self.sum(best, axis=1, keepdims=True))
        return decoded, scores
