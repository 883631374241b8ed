"""`RemoteState`: a `State`-like view for the bundled runtime's code over a node's storage.

Reads go to the node (through the backend, cached per view); writes stay in memory with
nested snapshots like `chain.local.state.State`, so a dry run or a query changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chain.remote.backend import RemoteBackend

_UNSET = object()


class RemoteState:
    """A `State`-like view for the local runtime: reads go to the node, writes stay here."""

    def __init__(self, backend: RemoteBackend) -> None:
        self.backend = backend
        self._values: dict[tuple[str, tuple], Any] = {}
        self._journal: list[dict] = []

    def get(self, item, *key: Any) -> Any:
        slot = (item.id, tuple(key))
        if slot not in self._values:
            try:
                self._values[slot] = self.backend.read(item.id, *key)
            except Exception:  # noqa: BLE001 - an item the node lacks reads as the default
                self._values[slot] = item.default
        return self._values[slot]

    def set(self, item, *key_and_value: Any) -> None:
        *key, value = key_and_value
        self._write((item.id, tuple(key)), value)

    def remove(self, item, *key: Any) -> None:
        self._write((item.id, tuple(key)), item.default)

    def _write(self, slot, value) -> None:
        if self._journal and slot not in self._journal[-1]:
            self._journal[-1][slot] = self._values.get(slot, _UNSET)
        self._values[slot] = value

    def iter(self, item):
        seen = dict(self.backend.iter(item.id))
        for (item_id, key), value in self._values.items():
            if item_id == item.id:
                seen[key] = value
        return iter(sorted(seen.items()))

    def begin(self) -> None:
        self._journal.append({})

    def commit(self) -> None:
        inner = self._journal.pop()
        if self._journal:
            for slot, previous in inner.items():
                self._journal[-1].setdefault(slot, previous)

    def rollback(self) -> None:
        for slot, previous in self._journal.pop().items():
            if previous is _UNSET:
                self._values.pop(slot, None)
            else:
                self._values[slot] = previous

    def flush(self) -> int:
        return 0
