"""The VGG architecture shared by VGG16 and VGG19: blocks of 3x3 "same"
convolutions with ReLU, each block closed by 2x2 max pooling."""
from kerasx import layers
from kerasx.applications import assembly


def vgg(convs_per_block, include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name, weights_file):
    """A VGG model with `convs_per_block[i]` convolutions in block i+1."""
    assembly.check_weights(weights, include_top, classes, classifier_activation)
    img_input = assembly.image_input(input_tensor, input_shape, 224, 32, include_top, weights)
    x = img_input
    for block, (count, filters) in enumerate(zip(convs_per_block, (64, 128, 256, 512, 512)), 1):
        for i in range(1, count + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
    x = assembly.top(x, include_top, pooling, classes, classifier_activation, weights,
                     head="dense", pool_names=False)
    return assembly.model(img_input, input_tensor, x, name, weights, weights_file)
