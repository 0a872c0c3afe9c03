"""The import structure holds: no import cycle inside ``tracker`` and ``scraper``, one way
in (``scraper`` -> ``tracker``, never back; nothing but the CLI imports the CLI), and no
private module of Scrapy or Twisted.

The import graph comes from grimp (it reads the source; imports inside functions count).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "scraper")
#: Libraries whose private modules and names must not be imported (``_name``).
GUARDED = ("scrapy", "twisted")


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every set of modules that import each other in a loop (Tarjan's strongly connected
    components of the module import graph, those with more than one module or a module
    importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # iterative, so that a long chain cannot hit the recursion limit
        work: list[tuple[str, Iterator[str]]] = []

        def push(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            on_stack.add(module)
            work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))

        push(start)
        while work:
            module, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    push(target)
                    advanced = True
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                selfloop = module in graph.find_modules_directly_imported_by(module)
                if len(component) > 1 or selfloop:
                    found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_import_cycle_in_the_packages(graph: grimp.ImportGraph) -> None:
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above would fail on a cycle (here: a.b -> a.c -> a.d -> a.b, inside a
    function as well as at the top)."""
    package = tmp_path / "cyclic_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "b.py").write_text("from cyclic_pkg import c\n")
    (package / "c.py").write_text("def f():\n    from cyclic_pkg import d\n")
    (package / "d.py").write_text("import cyclic_pkg.b\n")
    (package / "e.py").write_text("from cyclic_pkg import b\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cyclic = grimp.build_graph("cyclic_pkg", cache_dir=None)
    assert import_cycles(cyclic) == [["cyclic_pkg.b", "cyclic_pkg.c", "cyclic_pkg.d"]]


def test_tracker_never_imports_the_scraper(graph: grimp.ImportGraph) -> None:
    chain = graph.find_shortest_chain(importer="tracker", imported="scraper", as_packages=True)
    assert chain is None, f"tracker imports scraper: {' -> '.join(chain or ())}"


def test_only_the_cli_imports_the_cli(graph: grimp.ImportGraph) -> None:
    cli = {"tracker.cli", "tracker.commands"} | graph.find_descendants("tracker.commands")
    importers = {
        importer
        for module in cli
        for importer in graph.find_modules_that_directly_import(module)
        if importer not in cli
    }
    assert importers == set()


def _private_imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] in GUARDED and any(p.startswith("_") for p in parts[1:]):
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {name}"


def test_no_private_scrapy_or_twisted_imports() -> None:
    sources = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    sources += sorted((ROOT / "tests").glob("*.py"))
    assert sources
    assert [hit for path in sources for hit in _private_imports(path)] == []


def test_the_private_import_check_finds_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "uses_private.py"
    source.write_text(
        textwrap.dedent(
            """
            from twisted.web._newclient import _DataLoss
            from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
            import scrapy.utils._compression
            """
        )
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    hits = list(_private_imports(source))
    assert [h.split(": ", 1)[1] for h in hits] == [
        "twisted.web._newclient",
        "twisted.web._newclient._DataLoss",
        "scrapy.utils._compression",
    ]


#: What the pure modules may import besides the standard library.
PURE = {
    "tracker.changes": {"tracker.changes", "tracker.domain", "tracker.dates"},
    "tracker.dates": set(),
    "tracker.mtdsg": set(),
}


@pytest.fixture(scope="module")
def graph_with_libraries() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_modules_import_only_the_standard_library_and_the_domain(
    graph_with_libraries: grimp.ImportGraph, package: str
) -> None:
    """No clock or I/O can come in through an import: the change detection, the dates and
    the MTDSG numbers import only the standard library (and the domain they work on)."""
    import sys

    graph = graph_with_libraries
    modules = {package} | graph.find_descendants(package)
    allowed = PURE[package] | {package}
    found = {
        imported
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
    }
    outside = {
        m
        for m in found
        if m.split(".")[0] not in sys.stdlib_module_names
        and not any(m == a or m.startswith(a + ".") for a in allowed)
    }
    assert outside == set()


def _month_words(path: Path) -> set[str]:
    """The string constants of a module that are month names or abbreviations (whole)."""
    from tracker.dates import MONTHS

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value) >= 3
        and node.value.lower().rstrip(".") in MONTHS
    }


def test_month_names_are_only_in_tracker_dates() -> None:
    """One module owns dates and their wording: a module naming three months or more holds
    a month table, and only tracker/dates.py may."""
    sources = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    sources += sorted((ROOT / "webapp").rglob("*.py")) + [ROOT / "app.py"]
    tables = {
        str(p.relative_to(ROOT)): sorted(words)
        for p in sources
        if p.exists() and len(words := _month_words(p)) >= 3
    }
    assert tables == {"tracker/dates.py": tables["tracker/dates.py"]}
    assert len(_month_words(ROOT / "tracker" / "dates.py")) > 24


#: What the app may not import: it reads only through tracker.queries, never the tables.
APP_FORBIDDEN = ("tracker.models", "tracker.store", "tracker.service", "sqlmodel", "scrapy")


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)


def test_the_app_reads_only_through_the_queries_and_tracker_never_imports_the_app() -> None:
    app_files = [ROOT / "app.py", *sorted((ROOT / "webapp").rglob("*.py"))]
    assert len(app_files) >= 8
    hits = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in app_files
        for line, name in _imports(path)
        if any(name == f or name.startswith(f"{f}.") for f in APP_FORBIDDEN)
    ]
    assert hits == []
    back = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in _imports(path)
        if name.split(".")[0] in ("webapp", "streamlit")
    ]
    assert back == []
