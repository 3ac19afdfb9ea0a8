"""No import cycle between the project's modules (README, "Architecture").

Imports are read from the source (the AST), function-local ones included: an import hidden in
a function to dodge a cycle is still a cycle. One exception: a service may import a `tasks`
module inside a function, to queue the task its write calls for after the commit (tasks are
thin doors onto services, so the reverse import is the rule).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "companies", "jobs", "locales")


def project_modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _target(name: str, modules) -> str | None:
    """The project module an imported name belongs to: `jobs.models.Status` is jobs.models."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(tree: ast.AST, modules) -> set[tuple[str, bool]]:
    """(module, whether the import is inside a function) for every project import."""
    found = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            local = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                # `from jobs import selectors` imports the module jobs.selectors.
                names = [f"{child.module}.{alias.name}" for alias in child.names]
            for name in names:
                target = _target(name, modules)
                if target is not None:
                    found.add((target, local))
            visit(child, local)

    visit(tree, False)
    return found


# Service modules not named so: the import pipeline's door to its runs.
OTHER_SERVICES = {"jobs.imports.runs"}


def allowed(importer: str, imported: str, local: bool) -> bool:
    is_service = "services" in importer.split(".") or importer in OTHER_SERVICES
    return local and is_service and imported.rpartition(".")[2] == "tasks"


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for name, path in modules.items():
        imports = _imports(ast.parse(path.read_text(), filename=str(path)), modules)
        graph[name] = {
            target
            for target, local in imports
            if target != name and not allowed(name, target, local)
        }
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or not (Tarjan's strongly
    connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                connect(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return groups


def describe(group: list[str], graph) -> str:
    return "; ".join(
        f"{module} imports {', '.join(sorted(graph[module] & set(group)))}" for module in group
    )


def test_the_project_has_no_import_cycle():
    graph = import_graph(project_modules(ROOT))

    found = cycles(graph)

    assert not found, "\n".join(describe(group, graph) for group in found)


def test_the_layers_import_one_way():
    graph = import_graph(project_modules(ROOT))

    assert "jobs.choices" in graph["jobs.querysets"]
    assert "jobs.facets" in graph["jobs.selectors"]
    assert "jobs.caching" in graph["jobs.facets"]
    assert "jobs.models" not in graph["jobs.querysets"]
    assert "jobs.filters" not in graph["jobs.selectors"]
    # The generic cache knows nothing of postings: its callers tell it how long is fresh.
    assert not {name for name in graph["jobs.caching"] if name.startswith("jobs.")}


def write(root: Path, name: str, text: str) -> None:
    path = root / (name.replace(".", "/") + ".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_cycle_through_a_function_local_import_is_found(tmp_path):
    write(tmp_path, "shop.__init__", "")
    write(tmp_path, "shop.models", "from shop.querysets import OrderQuerySet\n")
    write(
        tmp_path,
        "shop.querysets",
        "def paid(qs):\n    from shop import models\n\n    return models\n",
    )
    write(tmp_path, "shop.views", "from shop.models import OrderQuerySet\n")

    graph = import_graph(project_modules(tmp_path, ["shop"]))

    assert cycles(graph) == [["shop.models", "shop.querysets"]]


def test_only_a_service_may_import_tasks_inside_a_function(tmp_path):
    write(tmp_path, "shop.__init__", "")
    write(tmp_path, "shop.tasks", "from shop.services import pay\nfrom shop.mail import send\n")
    write(tmp_path, "shop.services", "def pay():\n    from shop.tasks import receipt\n")
    write(tmp_path, "shop.mail", "def send():\n    from shop.tasks import receipt\n")

    graph = import_graph(project_modules(tmp_path, ["shop"]))

    assert cycles(graph) == [["shop.mail", "shop.tasks"]]
