"""keras.quantizers.pack_int4 / unpack_int4: two int4 values per byte, the
first of each pair in the low nibble. The bit work is done in int32, so
every backend gives Keras's bytes (no reliance on int8 shift overflow)."""
from kerasx import ops
from kerasx.quantizers.symbolic import symbolic_aware


def _check_dtype(dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """Pack int4 values (in an int8 tensor, range [-8, 7]; or uint8, [0, 15])
    two per byte along `axis`: element 2i in the low nibble, 2i+1 in the
    high one; an odd length is padded with a zero.

    Returns:
        (packed, packed_shape, orig_len): the packed tensor of `dtype`, its
        shape as a tuple, and the unpadded length of `axis`.

    Raises:
        ValueError: when `dtype` is not "int8" or "uint8".
        TypeError: when `arr`'s dtype is not `dtype`.
    """
    _check_dtype(dtype)
    arr = ops.convert_to_tensor(arr)
    if ops.dtype(arr) != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got "
                        f"{ops.dtype(arr)}.")
    rank = len(arr.shape)
    if axis < 0:
        axis += rank
    x = ops.moveaxis(ops.cast(arr, "int32"), axis, 0)
    n = int(x.shape[0])
    if n % 2:
        x = ops.concatenate([x, ops.zeros((1,) + tuple(x.shape[1:]), "int32")], axis=0)
    pairs = ops.reshape(x, (-1, 2) + tuple(x.shape[1:]))
    low = ops.bitwise_and(pairs[:, 0], 15)
    high = ops.bitwise_and(pairs[:, 1], 15)
    byte = ops.add(low, ops.multiply(high, 16))  # 0..255
    if dtype == "int8":
        byte = ops.where(ops.greater(byte, 127), ops.subtract(byte, 256), byte)
    packed = ops.moveaxis(ops.cast(byte, dtype), 0, axis)
    return packed, tuple(int(d) for d in packed.shape), n


@symbolic_aware
def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Undo `pack_int4`: split each byte into its low then high nibble along
    `axis`, drop the padding beyond `orig_len`, and (for "int8") map nibbles
    8..15 to -8..-1.

    Raises:
        ValueError: when `dtype` is not "int8" or "uint8".
        TypeError: when `packed` is not an int8 or uint8 tensor.
    """
    _check_dtype(dtype)
    packed = ops.convert_to_tensor(packed)
    if ops.dtype(packed) not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {packed.dtype}")
    rank = len(packed.shape)
    if axis < 0:
        axis += rank
    x = ops.moveaxis(ops.cast(packed, "int32"), axis, 0)
    x = ops.bitwise_and(x, 255)  # an int8 byte's two's-complement bits
    low = ops.bitwise_and(x, 15)
    high = ops.bitwise_and(ops.right_shift(x, 4), 15)
    if dtype == "int8":
        low = ops.subtract(ops.bitwise_xor(low, 8), 8)
        high = ops.subtract(ops.bitwise_xor(high, 8), 8)
    both = ops.reshape(ops.stack([low, high], axis=1), (-1,) + tuple(x.shape[1:]))
    return ops.moveaxis(ops.cast(both[:orig_len], dtype), 0, axis)
