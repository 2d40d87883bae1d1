"""The layers point one way: each package imports only the layers below it (see docs/architecture.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from bot.config import PROJECT_ROOT

ROOT_MODULES = frozenset(
    {"bot", "bot.__main__", "bot.app", "bot.broadcasting", "bot.cli", "bot.content_reloading", "bot.running",
     "bot.runtime", "bot.webchat"}
)  # fmt: skip
"""The composition root: the only modules that may know every layer."""

ALLOWED: dict[str, frozenset[str]] = {
    "bot.config": frozenset(),
    "bot.core": frozenset({"bot.config"}),
    "bot.db": frozenset({"bot.core", "bot.config"}),
    "bot.services": frozenset({"bot.core", "bot.db", "bot.config"}),
    "bot.conversation": frozenset({"bot.core", "bot.services"}),
    "handlers": frozenset({"bot.core", "bot.conversation", "bot.services"}),
    "bot.channels": frozenset({"bot.core"}),
    "bot.web": frozenset({"bot.core", "bot.channels"}),
    "bot.scheduling": frozenset({"bot.core", "bot.db", "bot.services", "bot.channels"}),
}
"""Each layer and the layers it may import; a layer always may import itself."""


def layer_of(module: str) -> str | None:
    """The layer a first-party module belongs to (None for third-party modules)."""
    parts = module.split(".")
    if parts[0] == "handlers":
        return "handlers"
    if parts[0] != "bot":
        return None
    return module if module in ROOT_MODULES else ".".join(parts[:2])


def module_name(path: Path) -> str:
    """``bot/core/router.py`` → ``bot.core.router``."""
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str) -> Iterator[tuple[int, str]]:
    """Every absolute import in ``source``, with its line."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def back_arrows(module: str, source: str, where: str) -> list[str]:
    """The imports of ``module`` that its layer may not make, each as ``where:line: a imports b``."""
    layer = layer_of(module)
    if layer is None or module in ROOT_MODULES:
        return []
    allowed = ALLOWED[layer] | {layer}
    return [
        f"{where}:{line}: {module} ({layer}) imports {name} ({layer_of(name)}), allowed: {sorted(allowed)}"
        for line, name in imports(source)
        if (target := layer_of(name)) is not None and target not in allowed
    ]


def sources() -> Iterator[tuple[str, Path]]:
    """Every first-party module of the application, migrations aside (Alembic loads them)."""
    for top in ("bot", "handlers"):
        for path in sorted((PROJECT_ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield module_name(path), path


def test_every_layer_imports_only_the_layers_below_it() -> None:
    problems = [
        problem
        for module, path in sources()
        for problem in back_arrows(module, path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT_ROOT)))
    ]
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def test_every_package_has_a_layer() -> None:
    unplaced = {layer_of(module) for module, _ in sources()} - set(ALLOWED) - ROOT_MODULES
    assert not unplaced, f"packages with no place in ALLOWED: {sorted(unplaced)}"  # type: ignore[type-var]


def test_a_back_arrow_is_reported_with_the_offending_import() -> None:
    source = "from bot.services.registration import Registrations\n"
    problems = back_arrows("bot.core.dispatcher", source, "bot/core/dispatcher.py")
    assert len(problems) == 1
    assert "bot/core/dispatcher.py:1: bot.core.dispatcher (bot.core) imports bot.services.registration" in problems[0]
    assert back_arrows("handlers.staff", "import bot.db.models\n", "handlers/staff.py")
    assert not back_arrows("handlers.staff", "from bot.services.records import User\n", "handlers/staff.py")
    assert not back_arrows("bot.app", "from handlers import ROUTERS\n", "bot/app.py")


def test_no_handler_touches_a_database_session() -> None:
    offenders = []
    for module, path in sources():
        if layer_of(module) != "handlers":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in {"session", "services"}
        ]
        offenders += [
            f"{path.name} imports {name}" for _, name in imports(ast.unparse(tree)) if name.startswith("sqlalchemy")
        ]
    assert not offenders
