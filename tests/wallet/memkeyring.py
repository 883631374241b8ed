"""A keyring backend for tests: passwords kept in a JSON file named by $TAOCTL_TEST_KEYRING
(or in memory when unset). Select it in a subprocess with
PYTHON_KEYRING_BACKEND=memkeyring.FileKeyring and this folder on PYTHONPATH."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self._memory: dict[str, str] = {}

    def _load(self) -> dict[str, str]:
        path = os.environ.get("TAOCTL_TEST_KEYRING")
        if not path:
            return self._memory
        try:
            with open(path) as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {}

    def _save(self, items: dict[str, str]) -> None:
        path = os.environ.get("TAOCTL_TEST_KEYRING")
        if not path:
            self._memory = items
            return
        with open(path, "w") as handle:
            json.dump(items, handle)

    def get_password(self, service, username):
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service, username, password):
        items = self._load()
        items[f"{service}\0{username}"] = password
        self._save(items)

    def delete_password(self, service, username):
        items = self._load()
        if items.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError("not found")
        self._save(items)
