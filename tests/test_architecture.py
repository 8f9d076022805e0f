"""The package's architecture, read from its source: layers, no import cycle, words defined once.

Every import statement of the package is read with :mod:`ast` (an import
under ``if TYPE_CHECKING:`` names a type, runs nothing, and is left out;
an import inside a function counts, since it runs). Importing a module
also runs its package's ``__init__``, so that is an edge too.
"""

import ast
import enum
from pathlib import Path

import pytest

import incident_process

SRC = Path(incident_process.__file__).parent

#: The namespaces from the bottom up: a module imports only from its own
#: namespace and from the layers below it (the facade ``incident_process``
#: itself is above them all, and no module imports it). Namespaces of one
#: layer do not import each other.
LAYERS = (
    ("errors",),
    ("vocabulary",),
    ("_limits",),
    ("_problems", "_folding", "_arguments"),
    ("timing",),
    ("events",),
    ("policy",),
    ("detection",),
    ("lifecycle",),
    ("comms",),
    ("response", "postincident"),
    ("integrations",),
    ("store",),
    ("cli",),
)
LAYER = {namespace: level for level, names in enumerate(LAYERS) for namespace in names}

#: Modules whose imports inside functions are deliberate, each going down the
#: layers to keep work off the import path (not to break a cycle), and why.
CALL_TIME_IMPORTS = {
    "incident_process.cli._main": "each command loads its namespaces when it runs: --help stays quick",
    "incident_process.cli._common": "the record commands' shared steps load the namespaces they use when run",
    "incident_process.policy._playbook": "a policy's own checklist step loads the events it names",
    "incident_process.lifecycle._rules": "the runbooks load with the first action an incident records",
}


def _module_name(path):
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _is_type_checking(node):
    return isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def _imports(module):
    """``(imported module, line, in a function)`` for every import of *module* that runs."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    target = f"{base}.{child.module}" if child.module else base
                else:
                    target = child.module or ""
                if target == "incident_process" or target.startswith("incident_process."):
                    for alias in child.names:  # `from package import submodule` imports the submodule
                        candidate = f"{target}.{alias.name}"
                        found.append((candidate if candidate in MODULES else target, child.lineno, nested))
            elif isinstance(child, ast.Import):
                found.extend(
                    (alias.name, child.lineno, nested)
                    for alias in child.names
                    if alias.name.startswith("incident_process")
                )
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), in_function=False)
    return found


def _edges(module):
    """The modules that importing *module* runs first: what it imports, and their packages' ``__init__``.

    A package of *module*'s own is running already (it is being imported) and adds no edge.
    """
    parts = module.split(".")
    own = {".".join(parts[:end]) for end in range(1, len(parts) + 1)}
    targets = set()
    for target, _, _ in _imports(module):
        parts = target.split(".")
        targets |= {".".join(parts[:end]) for end in range(2, len(parts) + 1)} - (own - {target})
    return {target for target in targets if target in MODULES and target != module}


def _namespace(module):
    """The namespace a module belongs to: ``incident_process.policy._file`` is in ``policy``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_the_layers_name_every_namespace():
    """Each namespace of the package has its place in LAYERS, once."""
    namespaces = {_namespace(module) for module in MODULES} - {"", "__main__"}
    assert namespaces == set(LAYER)
    assert len(LAYER) == sum(map(len, LAYERS))


def test_no_module_imports_itself_in_a_cycle():  # noqa: C901 - Tarjan's algorithm, in one place
    """The modules' imports form no cycle (Tarjan's strongly connected components of the graph)."""
    graph = {module: _edges(module) for module in MODULES}
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def connect(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                connect(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in graph:
        if module not in index:
            connect(module)
    assert cycles == []


def test_a_module_imports_only_from_its_namespace_and_the_layers_below():
    """Every import goes down the layers (or stays within its own namespace)."""
    wrong = []
    for module in MODULES:
        source = _namespace(module)
        if source in {"", "__main__"}:
            continue  # the facade and `python -m`, above every layer
        for target, line, _ in _imports(module):
            namespace = _namespace(target)
            if namespace == source:
                continue
            if namespace == "" or LAYER[namespace] >= LAYER[source]:
                wrong.append(f"{module}:{line} imports {target}")
    assert wrong == []


def test_imports_inside_functions_are_the_listed_deferrals_only():
    """An import inside a function could hide a cycle: only the listed deferrals of work have one."""
    inside = [
        f"{module}:{line} imports {target}"
        for module in MODULES
        if module not in CALL_TIME_IMPORTS
        for target, line, in_function in _imports(module)
        if in_function
    ]
    assert inside == []


def _enumerations():
    """``(class name, defining module)`` of every enumeration the package defines."""
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            bases = {ast.unparse(base) for base in getattr(node, "bases", ())}
            if isinstance(node, ast.ClassDef) and bases & {"enum.Enum", "Enum"}:
                yield node.name, module


def test_an_enumeration_used_by_two_namespaces_is_in_the_vocabulary():
    """An enumeration outside the vocabulary is imported only within its own namespace (and by the CLI)."""
    homes = {name: _namespace(module) for name, module in _enumerations()}
    crossing = []
    for module, path in MODULES.items():
        namespace = _namespace(module)
        if namespace in {"", "cli", "vocabulary"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("incident_process"):
                crossing += [
                    f"{module} imports {alias.name} of {homes[alias.name]}"
                    for alias in node.names
                    if homes.get(alias.name, namespace) not in {namespace, "vocabulary"}
                ]
    assert crossing == []


def test_every_enumeration_of_the_vocabulary_is_shared():
    """The vocabulary holds the shared words only: each enumeration there is used by two namespaces."""
    users = {}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "incident_process.vocabulary":
                for alias in node.names:
                    users.setdefault(alias.name, set()).add(_namespace(module))
    vocabulary = [name for name, module in _enumerations() if module == "incident_process.vocabulary"]
    lonely = {name: sorted(users.get(name, set())) for name in vocabulary if len(users.get(name, set())) < 2}
    assert lonely == {}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_holds(module):
    """Each module opens with a docstring; a namespace's names the guide sections it implements."""
    docstring = ast.get_docstring(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    assert docstring, module
    if MODULES[module].name == "__init__.py" and _namespace(module) in {
        "policy",
        "timing",
        "events",
        "lifecycle",
        "detection",
        "comms",
        "response",
        "postincident",
        "integrations",
    }:
        assert 'Guide, "' in docstring, module


#: Modules longer than about 700 lines, each one cohesive thing.
LONG_MODULES = {
    "incident_process.lifecycle._incident": (
        "the Incident value: what its events add up to, and its commands (one keyword signature over one "
        "runner each), which callers read as one class"
    ),
    "incident_process.store._sql": (
        "SqlStore: one class, every operation of the store in SQL over the transactions, digests and "
        "decoded-event cache they share"
    ),
}


def test_no_module_is_longer_than_about_700_lines():
    """A module holds one thing; a long one is listed with the reason it is one thing."""
    long = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in MODULES.items()
        if len(path.read_text(encoding="utf-8").splitlines()) > 700
    }
    assert set(long) == set(LONG_MODULES), long


def _names(enumeration):
    return {member.name for member in enumeration}


def test_the_vocabulary_enumerations_are_enums():
    """Every public class of the vocabulary is an enumeration (the shared words, nothing else)."""
    from incident_process import vocabulary

    for name in vocabulary.__all__:
        value = getattr(vocabulary, name)
        assert isinstance(value, type)
        assert issubclass(value, enum.Enum), name
        assert _names(value)
