"""Architecture rules: handlers import no platform SDK; every handler module declares one router."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import handlers
from bot.config import PROJECT_ROOT
from bot.core.router import Router

PLATFORM_SDKS = {"telegram", "aiogram", "httpx", "aiohttp", "requests", "starlette", "uvicorn", "zalo", "bot.channels"}


def _imports(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_handlers_import_no_platform_sdk() -> None:
    offenders = []
    for path in sorted((PROJECT_ROOT / "handlers").rglob("*.py")):
        for name in _imports(path.read_text(encoding="utf-8")):
            if any(name == sdk or name.startswith(sdk + ".") for sdk in PLATFORM_SDKS):
                offenders.append(f"{path.name} imports {name}")
    assert not offenders


def test_the_scan_catches_an_sdk_import() -> None:
    assert "telegram.ext" in _imports("from telegram.ext import Application")


def test_router_modules_declare_one_router_each_and_fallback_is_last() -> None:
    routers_by_module = {}
    for info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"handlers.{info.name}")
        declared = [v for v in vars(module).values() if isinstance(v, Router)]
        assert len(declared) <= 1, info.name
        if declared:
            routers_by_module[info.name] = declared[0]
    assert set(handlers.ROUTERS) == set(routers_by_module.values())
    assert handlers.ROUTERS[-1].name == "fallback"
