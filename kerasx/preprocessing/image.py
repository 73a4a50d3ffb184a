"""keras.preprocessing.image: image file and array helpers."""
from kerasx.utils.image_resize import smart_resize
from kerasx.utils.image_utils import array_to_img, img_to_array, load_img, save_img

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]
