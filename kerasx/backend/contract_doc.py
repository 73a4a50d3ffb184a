"""docs/contract.md, rendered from the contract's declarations.

    python -m kerasx.backend.contract_doc > docs/contract.md

tests/backend/test_contract_roles.py fails when the page is out of date, so
the documented list of operations and their roles cannot drift from
kerasx/backend/contract.py.
"""
import inspect

from kerasx.backend.contract import Backend, contract_roles

HEADER = """\
# The backend contract, operation by operation

Generated from the declarations in kerasx/backend/contract.py by
`python -m kerasx.backend.contract_doc > docs/contract.md`; a test fails
when this page is out of date. The semantics of each operation are in its
docstring; docs/architecture.md explains the tiers.

{counts}.

Columns: **kind**: primitive (every plugin implements it natively),
composite (written once from primitives; a plugin may override it) or hook
(how a plugin presents kerasx objects natively). **tensors**: the arguments
that hold tensors, which `kerasx.ops` converts and tracers trace.
**promoted**: `kerasx.ops` casts the tensor operands to one dtype first.
**keras.ops**: part of `kerasx.ops` (a Keras 3 `keras.ops` name); the others
are backend-internal, reached through `kerasx.backend.get_ops()`.
**variables**: native variables taken by identity (read or written in place).

| operation | kind | tensors | promoted | keras.ops | variables | summary |
|---|---|---|---|---|---|---|
"""


def counts():
    """(primitives, composites, hooks) in the contract."""
    kinds = [role.kind for role in contract_roles().values()]
    return kinds.count("primitive"), kinds.count("composite"), kinds.count("hook")


def _signature(name):
    params = list(inspect.signature(getattr(Backend, name)).parameters.values())[1:]
    return f"{name}({', '.join(str(p) for p in params)})"


def _summary(name):
    """The docstring's first sentence, on one line."""
    paragraph = inspect.getdoc(getattr(Backend, name)).split("\n\n")[0]
    text = " ".join(paragraph.split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def _cell(text):
    return text.replace("|", "\\|")


def render():
    """The Markdown of docs/contract.md."""
    primitives, composites, hooks = counts()
    rows = []
    for name, role in contract_roles().items():
        rows.append("| " + " | ".join(_cell(c) for c in (
            f"`{_signature(name)}`", role.kind, ", ".join(role.tensors or ()),
            "yes" if role.promote else "", "yes" if role.public else "",
            ", ".join(role.variables), _summary(name))) + " |")
    header = HEADER.format(counts=f"{primitives} primitives, {composites} composites, "
                                  f"{hooks} hooks")
    return header + "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(render(), end="")
