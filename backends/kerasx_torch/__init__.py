"""kerasx backend plugin for PyTorch (imports torch only on load)."""
# A plain dict, so that discovering plugins imports neither kerasx nor the
# framework (see kerasx.backend.plugin.BackendPlugin for the fields).
PLUGIN = dict(
    name="torch",
    factory="kerasx_torch.backend:TorchBackend",
    aliases=("pytorch",),
    requires=("torch",),
    install_hint="Install it with: pip install 'kerasx[torch]'",
)
