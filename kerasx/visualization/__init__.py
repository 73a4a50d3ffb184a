"""Drawing and plotting of images, boxes and masks, as keras.visualization.

The drawing functions return NumPy arrays and need neither OpenCV nor
matplotlib (except class labels on boxes, written with matplotlib's font);
the gallery functions plot with matplotlib.
"""
from kerasx.visualization.draw_bounding_boxes import draw_bounding_boxes
from kerasx.visualization.draw_segmentation_masks import draw_segmentation_masks
from kerasx.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery
from kerasx.visualization.plot_image_gallery import plot_image_gallery
from kerasx.visualization.plot_segmentation_mask_gallery import plot_segmentation_mask_gallery

__all__ = ["draw_bounding_boxes", "draw_segmentation_masks", "plot_bounding_box_gallery",
           "plot_image_gallery", "plot_segmentation_mask_gallery"]
