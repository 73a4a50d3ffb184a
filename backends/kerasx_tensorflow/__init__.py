"""kerasx backend plugin for TensorFlow (imports TensorFlow only on load)."""
# A plain dict, so that discovering plugins imports neither kerasx nor the
# framework (see kerasx.backend.plugin.BackendPlugin for the fields).
PLUGIN = dict(
    name="tensorflow",
    factory="kerasx_tensorflow.backend:TensorFlowBackend",
    aliases=("tf",),
    requires=("tensorflow",),
    install_hint="Install it with: pip install 'kerasx[tensorflow]'",
)
