"""Turn what fit/evaluate/predict accept into batches.

One module per input kind (arrays, generators, PyDataset, tf.data,
torch DataLoader / Dataset), a shared epoch logic (data_adapter.py) and a
registry that picks the adapter (registry.py). Batches are
`(x, y, sample_weight)` nests of NumPy arrays, or of tensors of the selected
backend when the data already holds them. No framework is imported here:
foreign pipelines and tensors are recognised by duck typing.
"""
from kerasx.trainers.data_adapters.array_data_adapter import ArrayDataAdapter, single_batch
from kerasx.trainers.data_adapters.data_adapter import DataAdapter
from kerasx.trainers.data_adapters.data_adapter_utils import (
    check_batch_size, check_steps, check_validation_split, class_weight_to_sample_weight,
    train_validation_split, unpack_x_y_sample_weight)
from kerasx.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from kerasx.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
from kerasx.trainers.data_adapters.registry import (
    ACCEPTED, get_data_adapter, register_data_adapter)
from kerasx.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter, is_tf_dataset
from kerasx.trainers.data_adapters.torch_data_loader_adapter import (
    TorchDataLoaderAdapter, TorchDatasetAdapter, is_torch_data_loader, is_torch_dataset)

__all__ = ["ACCEPTED", "ArrayDataAdapter", "DataAdapter", "GeneratorDataAdapter",
           "PyDatasetAdapter", "TFDatasetAdapter", "TorchDataLoaderAdapter",
           "TorchDatasetAdapter", "check_batch_size", "check_steps",
           "check_validation_split", "class_weight_to_sample_weight", "get_data_adapter",
           "is_tf_dataset", "is_torch_data_loader", "is_torch_dataset",
           "register_data_adapter", "single_batch", "train_validation_split", "unpack_x_y_sample_weight"]
