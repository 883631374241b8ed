"""Static proof that both backends implement the contract: mypy checks these assignments
(`.ci/run`); at run time the module does nothing (the imports are for the type checker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chain.backend import ChainBackend, SandboxBackend
    from chain.local.backend import LocalBackend
    from chain.remote.backend import RemoteBackend

    def _local(backend: LocalBackend) -> SandboxBackend:
        return backend

    def _local_is_a_chain(backend: LocalBackend) -> ChainBackend:
        return backend

    def _remote(backend: RemoteBackend) -> ChainBackend:
        return backend
