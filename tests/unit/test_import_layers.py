"""The package's floors, read from the source (every import statement, those inside
functions included, since a lazy import is still a dependency):

- ``settings/`` holds settings and their validation: none of its modules imports a
  module of a floor that consumes settings (render/, policies/, commands/, the
  features, the plugin's wiring);
- the modules of ``settings/`` import each other without a cycle (the store modules
  once imported ``settings/datastores.py`` for the Secret validator while it imported
  them back for its template variables);
- ``render/`` does not import the commands or the plugin's wiring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tutor_eks_plugin

PACKAGE = Path(tutor_eks_plugin.__file__).parent
NAME = tutor_eks_plugin.__name__

# What consumes settings/: nothing of these may be imported from settings/.
ABOVE_SETTINGS = ("render", "policies", "commands", "config", "plugin", "infra", "backup",
                  "live", "diagram", "cost", "docs_table", "notices", "tutor_internals")
ABOVE_RENDER = ("commands", "plugin")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([NAME, *parts])


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative).with_suffix(".py").is_file() or (
        PACKAGE / relative / "__init__.py"
    ).is_file()


def _imports(path: Path) -> set[str]:
    """The package's modules this file imports (``from . import x`` counts as the
    submodule x when x is one, else as the package)."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == NAME)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != NAME:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if _is_module(submodule) else target)
    found.discard(here)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _within(module: str, floor: str) -> bool:
    prefix = f"{NAME}.{floor}"
    return module == prefix or module.startswith(prefix + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    """The reader itself: a relative submodule import and one inside a function count."""
    graph = _graph()
    assert f"{NAME}.settings.validators" in graph[f"{NAME}.settings.mysql"]
    # commands/manifest_check.py imports the render module inside the command.
    assert f"{NAME}.render.manifest_check" in graph[f"{NAME}.commands.manifest_check"]


def test_no_module_of_settings_imports_a_floor_above_it() -> None:
    wrong = {
        module: sorted(i for i in imports if any(_within(i, f) for f in ABOVE_SETTINGS))
        for module, imports in _graph().items()
        if _within(module, "settings")
    }
    assert not {m: i for m, i in wrong.items() if i}, (
        "settings/ imports a module that consumes settings (move the code that needs it "
        f"out of settings/): {wrong}"
    )


def test_the_modules_of_settings_import_each_other_without_a_cycle() -> None:
    graph = {m: i for m, i in _graph().items() if _within(m, "settings")}
    assert _cycles(graph) == [], "import cycle among the modules of settings/"


def test_render_imports_no_command_and_not_the_plugin_wiring() -> None:
    wrong = {
        module: sorted(i for i in imports if any(_within(i, f) for f in ABOVE_RENDER))
        for module, imports in _graph().items()
        if _within(module, "render")
    }
    assert not {m: i for m, i in wrong.items() if i}, f"render/ imports a command: {wrong}"


def test_settings_hold_no_template_variables_and_no_route_callback() -> None:
    """Template views and route callbacks are render/'s: no settings module builds Jinja
    variables (imports jinja2, lists TEMPLATE_VARIABLES) or defines a route callback."""
    wrong = []
    for path in sorted((PACKAGE / "settings").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name == "jinja2" for a in node.names):
                wrong.append(f"{path.name}: imports jinja2")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jinja2"):
                wrong.append(f"{path.name}: imports from jinja2")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(x, ast.Name) and x.id == "TEMPLATE_VARIABLES" for x in targets):
                    wrong.append(f"{path.name}: defines TEMPLATE_VARIABLES")
            elif isinstance(node, ast.FunctionDef) and node.name.endswith("_route"):
                wrong.append(f"{path.name}: defines the route callback {node.name}")
    assert wrong == []


def test_the_package_imports_without_a_cycle() -> None:
    """No import goes back up a floor anywhere in the package."""
    assert _cycles(_graph()) == []
