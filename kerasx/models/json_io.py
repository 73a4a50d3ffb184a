"""Model architecture as JSON: Model.to_json and keras.models.model_from_json."""
import json

_UNBOUNDED_BYTES = 1 << 50


def model_to_json(model, **kwargs):
    """The model's Keras 3 config (class, config, build and compile configs)
    as a JSON string; `kwargs` go to json.dumps."""
    from kerasx.saving import saving_api
    return json.dumps(saving_api.model_config(model), **kwargs)


def model_from_json(json_string, custom_objects=None):
    """A new model (new weights) from `to_json()` output or a Keras 3 model
    JSON, compiled when the JSON holds a compile config, as
    keras.models.model_from_json. Classes resolve through kerasx's registry
    and `custom_objects`; Python lambdas are refused (Keras's safe mode).

    Raises:
        ValueError: for a string that is not JSON or not a model config.
    """
    from kerasx.saving import saving_api

    try:
        config = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"model_from_json expects the JSON string of a model config; "
                         f"it could not be parsed: {exc}") from exc
    # The shared rebuild path of load_model (safety checks, build and compile
    # configs). There are no stored weights to bound the new variables by,
    # so their budget is left open: the JSON is the caller's own.
    return saving_api._model_from_config(config, custom_objects, compile=True,
                                         safe_mode=True, weight_bytes=_UNBOUNDED_BYTES)
