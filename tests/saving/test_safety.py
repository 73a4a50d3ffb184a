"""Safe loading: no code from a file ever runs (CVE-2024-3660, CVE-2025-1550
reproduced against kerasx), and malformed files are rejected with
LoadingError, quickly and without large allocations."""
import io
import json
import os
import struct
import time
import tracemalloc
import zipfile

import h5py
import numpy as np
import pytest

import kerasx as keras
from kerasx.saving import LoadingError


def small_model():
    keras.random.set_global_seed(0)
    inp = keras.Input((4,))
    x = keras.layers.Dense(3, activation="relu")(inp)
    out = keras.layers.Dense(2)(x)
    model = keras.Model(inp, out)
    model.compile("adam", "mse")
    return model


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "good.keras"
    small_model().save(path)
    return path


def members(path):
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def rewrite(path, out, **changes):
    """Copy the archive with members replaced (bytes), added, or dropped (None)."""
    content = members(path)
    for name, data in changes.items():
        name = name.replace("__", ".").replace("_h5", ".h5")
        content[name] = data
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in content.items():
            if data is not None:
                zf.writestr(name, data)
    return out


def with_config(path, out, edit):
    config = json.loads(members(path)["config.json"])
    edit(config)
    content = members(path)
    content["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return out


def with_h5(path, out, edit):
    content = members(path)
    buffer = io.BytesIO(content["model.weights.h5"])
    with h5py.File(buffer, "r+") as f:
        edit(f)
    content["model.weights.h5"] = buffer.getvalue()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return out


# -- CVE-2024-3660: code injection through a Lambda layer ---------------------------
def _lambda_model(marker):
    inp = keras.Input((2,))
    # The payload runs when the function is called (or rebuilt and called).
    out = keras.layers.Lambda(
        lambda x: (open(marker, "w").close(), x)[1], output_shape=(2,))(inp)
    return keras.Model(inp, out)


def test_cve_2024_3660_lambda_bytecode_is_refused(tmp_path):
    marker = str(tmp_path / "pwned")
    model = _lambda_model(marker)
    if os.path.exists(marker):
        os.remove(marker)
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(LoadingError, match="safe_mode"):
        keras.models.load_model(path)
    assert not os.path.exists(marker)
    # Explicitly trusted: loads, and the function runs.
    trusted = keras.models.load_model(path, safe_mode=False)
    trusted.predict(np.ones((1, 2), "float32"), verbose=0)
    assert os.path.exists(marker)


def test_cve_2024_3660_keras_written_lambda_is_refused(tmp_path):
    keras3 = pytest.importorskip("keras")
    marker = str(tmp_path / "pwned_keras")
    inp = keras3.Input((2,))
    out = keras3.layers.Lambda(lambda x: (open(marker, "w").close(), x)[1],
                               output_shape=(2,))(inp)
    path = tmp_path / "k.keras"
    keras3.Model(inp, out).save(path)
    if os.path.exists(marker):
        os.remove(marker)
    with pytest.raises(LoadingError, match="CVE-2024-3660"):
        keras.models.load_model(path)
    assert not os.path.exists(marker)


@pytest.mark.parametrize("where", ["nested", "activation", "loss"])
def test_lambda_hidden_elsewhere_is_refused(good_file, tmp_path, where):
    payload = {"class_name": "__lambda__",
               "config": {"code": "4wEAAAAAAAAA", "defaults": None, "closure": None}}

    def edit(config):
        if where == "nested":
            config["config"]["layers"][1]["config"]["activation"] = {
                "module": "keras.layers", "class_name": "Lambda",
                "config": {"function": payload}}
        elif where == "activation":
            config["config"]["layers"][1]["config"]["activation"] = payload
        else:
            config["compile_config"]["loss"] = payload

    with pytest.raises(LoadingError, match="bytecode"):
        keras.models.load_model(with_config(good_file, tmp_path / "x.keras", edit))


# -- CVE-2025-1550: safe_mode bypass through module names in config.json ------------
ATTACKS = {
    "enable_unsafe_deserialization": {"module": "keras.config",
                                      "class_name": "enable_unsafe_deserialization",
                                      "config": {}, "registered_name": None},
    "os.system": {"module": "os", "class_name": "system", "config": "touch {marker}",
                  "registered_name": None},
    "subprocess": {"module": "subprocess", "class_name": "Popen",
                   "config": {"args": ["touch", "{marker}"]}},
    "builtins.exec": {"module": "builtins", "class_name": "function",
                      "config": "exec", "registered_name": "function"},
    "dunder_function": {"module": "keras.ops", "class_name": "function",
                        "config": "__import__"},
    "keras.utils.get_file": {"module": "keras.utils", "class_name": "get_file",
                             "config": {"origin": "file:///etc/passwd"}},
    "foreign_layer": {"module": "evil.layers", "class_name": "Dense",
                      "config": {"units": 2}},
    "optimizer_as_layer": {"module": "keras.optimizers", "class_name": "Adam",
                           "config": {}},
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("slot", ["layer", "activation", "initializer", "optimizer"])
def test_cve_2025_1550_module_names_are_refused(good_file, tmp_path, attack, slot):
    if attack == "optimizer_as_layer" and slot == "optimizer":
        pytest.skip("an optimizer is legitimate in the optimizer slot")
    marker = str(tmp_path / "pwned")
    payload = json.loads(json.dumps(ATTACKS[attack]).replace("{marker}", marker))

    def edit(config):
        layer = config["config"]["layers"][1]
        if slot == "layer":
            layer.update(payload)
        elif slot == "activation":
            layer["config"]["activation"] = payload
        elif slot == "initializer":
            layer["config"]["kernel_initializer"] = payload
        else:
            config["compile_config"]["optimizer"] = payload

    path = with_config(good_file, tmp_path / "attack.keras", edit)
    with pytest.raises(LoadingError):
        keras.models.load_model(path)
    with pytest.raises(LoadingError):
        keras.models.load_model(path, safe_mode=False)  # never imports modules either
    assert not os.path.exists(marker)


def test_foreign_module_is_accepted_when_the_user_passes_the_class(good_file, tmp_path):
    def edit(config):
        config["config"]["layers"][1]["module"] = "my_project.layers"
        config["config"]["layers"][1]["registered_name"] = "MyDense"

    path = with_config(good_file, tmp_path / "custom.keras", edit)
    with pytest.raises(LoadingError, match="my_project"):
        keras.models.load_model(path)
    model = keras.models.load_model(path, custom_objects={"MyDense": keras.layers.Dense})
    assert isinstance(model, keras.Model)


# -- malformed files ------------------------------------------------------------------
def assert_rejected(path, match=None, **kwargs):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(LoadingError, match=match):
            keras.models.load_model(path, **kwargs)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - start < 20
    assert peak < 64 << 20, f"loading allocated {peak} bytes"


def test_truncated_archives(good_file, tmp_path):
    raw = good_file.read_bytes()
    for cut in (0, 1, 30, len(raw) // 3, len(raw) // 2, len(raw) - 30, len(raw) - 1):
        path = tmp_path / f"cut{cut}.keras"
        path.write_bytes(raw[:cut])
        assert_rejected(path)


@pytest.mark.parametrize("member", ["config.json", "model.weights.h5"])
def test_missing_members(good_file, tmp_path, member):
    content = members(good_file)
    del content[member]
    path = tmp_path / "missing.keras"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    assert_rejected(path, match="missing")


def test_wrong_weight_shapes_and_dtypes(good_file, tmp_path):
    def reshape(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", data=np.zeros((5, 3), "float32"))

    def retype(f):
        data = f["layers/dense/vars/0"][()]
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", data=data.astype("float64"))

    def extra(f):
        f.create_dataset("layers/dense/vars/2", data=np.zeros(3, "float32"))

    def drop(f):
        del f["layers/dense_1/vars/1"]

    def softlink(f):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = h5py.SoftLink("/layers/dense_1/vars/1")

    def external(f):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = h5py.ExternalLink("/etc/passwd", "/x")

    def huge(f):
        # A chunked dataset declaring terabytes while storing nothing.
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(10 ** 6, 10 ** 6), dtype="float32",
                         chunks=(1, 1024))

    for edit, match in [(reshape, "shape"), (retype, "dtype"), (extra, "variables"),
                        (drop, "variables"), (softlink, "SoftLink"),
                        (external, "ExternalLink"), (huge, "shape")]:
        assert_rejected(with_h5(good_file, tmp_path / f"{edit.__name__}.keras", edit),
                        match=match)


def test_absurd_declared_sizes(good_file, tmp_path):
    raw = bytearray(good_file.read_bytes())
    pos = raw.find(b"PK\x01\x02")
    while pos != -1:  # forge every member's uncompressed size in the central directory
        raw[pos + 24:pos + 28] = struct.pack("<I", 0xFFFFFFF0)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    path = tmp_path / "sizes.keras"
    path.write_bytes(bytes(raw))
    assert_rejected(path)
    # A small deflated member that inflates to far more than allowed.
    bomb = tmp_path / "bomb.keras"
    content = members(good_file)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in content.items():
            zf.writestr(name, data if name != "config.json" else b" " * (40 << 20))
    assert bomb.stat().st_size < 1 << 20
    assert_rejected(bomb, match="allowed")


@pytest.mark.parametrize("edit", ["units", "input", "kernel", "negative"])
def test_absurd_sizes_in_config(good_file, tmp_path, edit):
    def change(config):
        layers = config["config"]["layers"]
        if edit == "units":
            layers[1]["config"]["units"] = 10 ** 12
        elif edit == "input":
            layers[0]["config"]["batch_shape"] = [None, 10 ** 6, 10 ** 6]
        elif edit == "kernel":
            layers[2]["config"]["units"] = 4 * 10 ** 5
            layers[1]["config"]["units"] = 4 * 10 ** 5
        else:
            layers[1]["config"]["units"] = -5

    assert_rejected(with_config(good_file, tmp_path / "absurd.keras", change))


@pytest.mark.parametrize("name", ["../config.json", "/config.json", "a/../../x",
                                  "..\\evil", "C:/evil"])
def test_member_names_escaping_the_archive(good_file, tmp_path, name):
    path = rewrite(good_file, tmp_path / "names.keras")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"{}")
    assert_rejected(path, match="Not allowed")


def test_duplicate_members(good_file, tmp_path):
    path = rewrite(good_file, tmp_path / "dup.keras")
    with zipfile.ZipFile(path, "a") as zf, pytest.warns(UserWarning):
        zf.writestr("config.json", b"{}")
    assert_rejected(path, match="twice")


@pytest.mark.parametrize("member", ["config.json", "metadata.json"])
def test_non_utf8_and_invalid_json(good_file, tmp_path, member):
    key = member.replace(".", "__")
    assert_rejected(rewrite(good_file, tmp_path / "a.keras", **{key: b"\xff\xfe\x80{}"}),
                    match="UTF-8")
    assert_rejected(rewrite(good_file, tmp_path / "b.keras", **{key: b"{'x': nope"}),
                    match="JSON")
    deep = b"[" * 100000 + b"]" * 100000
    assert_rejected(rewrite(good_file, tmp_path / "c.keras", **{key: deep}))


def test_not_a_model_and_wrong_types(good_file, tmp_path):
    for config in ([1, 2], {"class_name": "Dense", "config": {"units": 2}},
                   {"class_name": 5}, {"class_name": "Functional", "config": "x"}):
        path = rewrite(good_file, tmp_path / "t.keras",
                       config__json=json.dumps(config).encode())
        assert_rejected(path)


def test_a_directory_or_missing_path(tmp_path):
    (tmp_path / "d.keras").mkdir()
    assert_rejected(tmp_path / "d.keras")
    assert_rejected(tmp_path / "none.keras")
    with pytest.raises(ValueError, match=".keras"):
        keras.models.load_model(tmp_path / "m.h5")


def test_weights_file_malformed(tmp_path):
    model = small_model()
    path = tmp_path / "w.weights.h5"
    path.write_bytes(b"not hdf5 at all" * 10)
    with pytest.raises(LoadingError):
        model.load_weights(path)
