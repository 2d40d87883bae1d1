"""Giving free heap pages back: glibc's malloc_trim when there is one, a garbage collection in any case."""

from __future__ import annotations

import ctypes

import pytest

from bot.core import memory


def test_free_pages_are_trimmed_after_a_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(memory.gc, "collect", lambda: calls.append("collect") or 0)

    class Libc:
        def malloc_trim(self, pad: int) -> int:
            calls.append(f"trim {pad}")
            return 1

    monkeypatch.setattr(memory.ctypes, "CDLL", lambda name: Libc())
    memory.give_back_free_memory()
    assert calls == ["collect", "trim 0"]


def test_without_glibc_only_garbage_is_collected(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(memory.gc, "collect", lambda: calls.append("collect") or 0)

    def no_libc(name: str) -> ctypes.CDLL:
        raise OSError(f"{name}: not found")

    monkeypatch.setattr(memory.ctypes, "CDLL", no_libc)
    memory.give_back_free_memory()
    assert calls == ["collect"]
