"""DTypePolicyMap, as keras.dtype_policies.DTypePolicyMap."""
import re
from collections.abc import MutableMapping

from kerasx.dtype_policies.dtype_policy import DTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """Dtype policies by layer path, with a default for the other paths.

    A key is an exact path ("encoder/dense") or a regular expression matched
    in full ("encoder/.*"). As a policy, the map behaves as its default.

    Args:
        default_policy: the policy of paths not in the map (None: the global
            policy at each use).
        policy_map: initial {path: policy or policy name}.

    Raises:
        ValueError: when `default_policy` is a DTypePolicyMap, or a path
            matches several patterns.
        TypeError: when `policy_map` is not a dict.
    """

    def __init__(self, default_policy=None, policy_map=None):
        from kerasx import dtype_policies
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a `DTypePolicyMap`.")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError("If specified, `policy_map` must be a dict. Received: "
                            f"policy_map={policy_map} of type {type(policy_map)}")
        self._default_policy_arg = default_policy
        self._default_policy = dtype_policies.get(default_policy) \
            if default_policy is not None else None
        self._policy_map = {}
        for key, policy in (policy_map or {}).items():
            self[key] = policy

    @property
    def default_policy(self):
        """The policy of paths not in the map."""
        from kerasx import dtype_policies
        return self._default_policy or dtype_policies.get(None)

    @property
    def name(self):
        return f"map_{self.default_policy.name}"

    @property
    def quantization_mode(self):
        """The default policy's quantization mode (None for a float one)."""
        return self.default_policy.quantization_mode

    @property
    def variable_dtype(self):
        return self.default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.default_policy.compute_dtype

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matches = [p for p in self._policy_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(f"Path '{key}' matches multiple dtype policy specification "
                             f"keys: {matches}. Please make sure each path only matches "
                             "at most one dtype policy specification key in the "
                             "DTypePolicyMap.")
        if matches:
            return self._policy_map[matches[0]]
        return self.default_policy

    def __setitem__(self, key, policy):
        from kerasx import dtype_policies
        if key in self._policy_map:
            raise ValueError(f"{key} already exist in the DTypePolicyMap with value "
                             f"{self._policy_map[key]}. Please make sure to not use "
                             "duplicated keys.")
        try:
            policy = dtype_policies.get(policy)
        except Exception as error:  # (TypeError, ValueError), as Keras: one error
            raise ValueError("Cannot interpret the assigned value by "
                             f"`keras.dtype_policies.get`. Received: {policy} of type "
                             f"{type(policy)}") from error
        self._policy_map[key] = policy

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return isinstance(other, DTypePolicyMap) and \
            self._default_policy_arg == other._default_policy_arg and \
            self._policy_map == other._policy_map

    __hash__ = None

    def get_config(self):
        """{"default_policy", "policy_map": {path: policy config}}. Without a
        default policy the map's policies are written without their source
        dtype, as Keras does, so that loading takes the global policy then."""
        from kerasx import dtype_policies
        policy_map = {}
        for key, policy in self._policy_map.items():
            config = dtype_policies.serialize(policy)
            if self._default_policy_arg is None:
                inner = dict(config["config"])
                inner["source_name" if policy.quantization_mode else "name"] = None
                config["config"] = inner
            policy_map[key] = config
        return {"default_policy": self._default_policy_arg, "policy_map": policy_map}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The map a `get_config()` dict (kerasx's or Keras's, whose policies
        may be plain names) describes."""
        from kerasx import dtype_policies
        config = dict(config)
        config["policy_map"] = {k: dtype_policies.deserialize(v, custom_objects)
                                for k, v in (config.get("policy_map") or {}).items()}
        return cls(**config)

    def __repr__(self):
        return f"<DTypePolicyMap name={self.name!r} policy_map={self._policy_map}>"
