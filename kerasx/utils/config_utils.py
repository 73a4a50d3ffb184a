"""Config: a dict with attribute access that can be frozen (keras.utils.Config)."""
import copy
import difflib
import json


class Config:
    """A mapping of settings readable as attributes (`config.lr`) or items
    (`config["lr"]`), as keras.utils.Config. `freeze()` makes it read-only.

    Args:
        **kwargs: the initial entries.
    """

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self):
        """True once `freeze()` was called (and not `unfreeze()`)."""
        return self._frozen

    def freeze(self):
        """Refuse every later change."""
        self._frozen = True

    def unfreeze(self):
        """Allow changes again."""
        self._frozen = False

    def _raise_if_frozen(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        """A shallow copy of the entries as a dict."""
        return copy.copy(self._config)

    def to_json(self):
        """The entries as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        """The entries' names."""
        return self._config.keys()

    def values(self):
        """The entries' values."""
        return self._config.values()

    def items(self):
        """(name, value) pairs."""
        return self._config.items()

    def pop(self, *args):
        """Remove and return an entry (as dict.pop)."""
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        """Add or replace entries (as dict.update)."""
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        """The entry `keyname`, or `value` when absent."""
        return self._config.get(keyname, value)

    def __setattr__(self, name, value):
        attrs = self.__dict__.get("__attrs__")
        if attrs is None or name in attrs:
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        # Only called for names that are not real attributes.
        config = self.__dict__.get("_config", {})
        if name in config:
            return config[name]
        msg = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, list(config), n=1, cutoff=0.7)
        if close:
            msg += f" Did you mean '{close[0]}'?"
        raise AttributeError(msg)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self):
        return len(self._config)

    def __repr__(self):
        return f"<Config {self._config}>"
