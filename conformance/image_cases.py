"""Op conformance cases of the image operations (keras.ops.image)."""
from .inputs import const, normal, unit


def image_cases(Case, Py):
    """The cases; `Case` and `Py` come from conformance.op_cases."""
    c = []
    for method in ("bilinear", "nearest", "bicubic", "area"):
        for size in ((3, 4), (9, 11)):
            c.append(Case("resize", [normal((2, 5, 6, 2)), Py(size)],
                          {"interpolation": method}, grad=(0,) if method != "nearest" else (),
                          image_args=(0,), label=f"{method} {size}"))
    for method in ("bilinear", "bicubic"):
        c.append(Case("resize", [normal((1, 7, 8, 2)), Py((3, 3))],
                      {"interpolation": method, "antialias": True}, grad=(0,),
                      image_args=(0,), label=f"{method} antialias"))
    # Transforms exact in float32 (so float64 is judged at 1e-10): shifts by
    # halves and quarters, a flip, a zoom; every fill mode.
    shift = [1.0, 0.0, -1.5, 0.0, 1.0, 0.25, 0.0, 0.0]
    flip_zoom = [[-1.0, 0.0, 5.0, 0.0, 1.0, 0.0, 0.0, 0.0],
                 [0.5, 0.0, 1.25, 0.0, 0.5, 0.75, 0.0, 0.0]]
    for mode in ("constant", "nearest", "wrap", "reflect"):
        for interpolation in ("bilinear", "nearest"):
            c.append(Case("affine_transform", [normal((2, 5, 6, 2)), const(flip_zoom)],
                          {"interpolation": interpolation, "fill_mode": mode,
                           "fill_value": 0.5}, grad=(0,), image_args=(0,),
                          label=f"{interpolation} {mode}"))
    c.append(Case("affine_transform", [normal((1, 5, 6, 2)), const(shift)],
                  {"fill_mode": "reflect"}, grad=(0,), image_args=(0,), label="shift"))
    # Corners chosen so the homography's coefficients are exact in float32
    # (an affine map: a zoom and a shift), then a general one in float32.
    square = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]
    zoomed = [[1.0, 0.5], [3.0, 0.5], [3.0, 2.5], [1.0, 2.5]]
    c.append(Case("perspective_transform", [normal((1, 5, 6, 2)), const(zoomed),
                                            const(square)], grad=(0,), image_args=(0,),
                  label="affine"))
    quad = [[0.5, 0.2], [4.6, 0.4], [5.1, 4.3], [0.1, 3.8]]
    c.append(Case("perspective_transform", [normal((1, 5, 6, 2)), const(quad),
                                            const(square)], {"interpolation": "nearest"},
                  image_args=(0,), label="projective", dtypes=("float32",)))
    c.append(Case("crop_images", [normal((2, 6, 7, 2))],
                  {"top_cropping": 1, "bottom_cropping": 2, "left_cropping": 3,
                   "target_width": 2}, grad=(0,), image_args=(0,)))
    c.append(Case("pad_images", [normal((2, 3, 4, 2))],
                  {"top_padding": 1, "target_height": 6, "left_padding": 0,
                   "right_padding": 2}, grad=(0,), image_args=(0,)))
    c.append(Case("rgb_to_grayscale", [unit((2, 3, 4, 3))], grad=(0,), image_args=(0,)))
    c.append(Case("rgb_to_hsv", [unit((2, 3, 4, 3))], image_args=(0,)))
    # No gradient check: hsv_to_rgb clips at kinks a finite difference may cross.
    c.append(Case("hsv_to_rgb", [unit((2, 3, 4, 3))], image_args=(0,)))
    c.append(Case("gaussian_blur", [normal((2, 6, 5, 2))],
                  {"kernel_size": (3, 3), "sigma": (1.5, 1.5)}, grad=(0,), image_args=(0,)))
    return c


def window_cases(Case, Py):
    """Cases of patches, Sobel edges, SSIM and map_coordinates."""
    from .inputs import const, normal, unit

    c = [Case("extract_patches", [normal((2, 6, 7, 2))], {"size": (2, 3)}, grad=(0,),
              image_args=(0,), label="valid"),
         Case("extract_patches", [normal((1, 5, 5, 2))], {"size": 3, "strides": 2,
                                                          "padding": "same"},
              grad=(0,), image_args=(0,), label="same"),
         Case("extract_patches_3d", [normal((1, 4, 4, 5, 2))], {"size": (2, 2, 3)},
              grad=(0,), image_args=(0,)),
         Case("sobel_edges", [normal((2, 5, 6, 2))], grad=(0,)),
         Case("ssim", [unit((2, 7, 8, 2)), unit((2, 7, 8, 2))], {"filter_size": 3},
              grad=(0, 1))]
    for method in ("linear", "cubic", "lanczos3"):
        for label, scale, translation, shape in (
                ("down", [0.5, 0.75], [0.25, -0.9], (2, 3, 4, 2)),
                ("up", [1.5, 2.0], [0.0, 0.5], (2, 9, 12, 2))):
            c.append(Case("scale_and_translate",
                          [normal((2, 6, 6, 2)), Py(shape), const(scale), const(translation),
                           Py((1, 2)), Py(method)], grad=(0,),
                          label=f"{method} {label}"))
    # Coordinates off the integer grid (and off the .5 ties of order 0).
    points = [[-2.3, 0.2, 1.7, 3.4, 4.9, 6.6, 8.1], [-1.2, 0.4, 2.2, 3.6, 5.3, 6.8, 7.3]]
    for order in (0, 1):
        for mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
            c.append(Case("map_coordinates", [normal((5, 6)), const(points), Py(order)],
                          {"fill_mode": mode, "fill_value": 0.5},
                          grad=(0,) if order else (), label=f"order {order} {mode}"))
    return c
