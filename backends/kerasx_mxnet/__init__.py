"""kerasx backend plugin for Apache MXNet (imports mxnet only on load)."""
# A plain dict, so that discovering plugins imports neither kerasx nor the
# framework (see kerasx.backend.plugin.BackendPlugin for the fields).
PLUGIN = dict(
    name="mxnet",
    factory="kerasx_mxnet.backend:MXNetBackend",
    requires=("mxnet",),
    install_hint="Install it with: pip install 'kerasx[mxnet]' (MXNet 1.9 needs numpy<2).",
)
