"""A reset forgets what protocols persisted; both stores can be cleared."""

from __future__ import annotations

from pathlib import Path

import pytest

from exsim_core.store import MemoryStore, SqliteStore, Store


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return MemoryStore()
    return SqliteStore(tmp_path / "exsim.db")


def test_clear_forgets_every_value_and_every_message(store: Store) -> None:
    store.put("fix:CLIENT", "next_out", "42")
    store.append("fix:CLIENT:out", 1, b"8=FIX.4.4")
    store.flush()
    store.clear()
    store.flush()
    assert store.get("fix:CLIENT", "next_out") is None
    assert store.last_seq("fix:CLIENT:out") == 0
    assert list(store.read("fix:CLIENT:out")) == []
