"""Test-only start-up hook: a cheap stand-in for Argon2i in `taoctl` subprocesses.

Python imports `sitecustomize` at start-up from the first folder on its path that has one; the
`taoctl` fixture (tests/conftest.py) puts this folder on PYTHONPATH of the commands it runs, so
CLI tests that create or unlock encrypted keys do not pay 2.5 s and 512 MiB per derivation.
Nothing in the installed package reads an environment variable or a flag for this: the hook
lives in tests/ (which is not installed), so no setting can weaken a real wallet. Tests about
the KDF itself run without it (`@pytest.mark.real_kdf`) or in-process with the real function
(tests/wallet/test_btwallet_compat.py).

Only the derivation is replaced, as tests/wallet/conftest.py's `fast_kdf` does in process; the
$NACL layout, salt and SecretBox stay real. The patch is applied when `wallet.keyfile` is first
imported (an import hook), so commands that never touch a key import nothing more.
"""

import hashlib
import importlib.abc
import importlib.machinery
import sys

TARGET = "wallet.keyfile"


def _cheap_kdf(password: bytes) -> bytes:
    return hashlib.sha256(b"taoctl-test-kdf" + password).digest()


class _PatchKeyfile(importlib.abc.MetaPathFinder):
    """Finds `wallet.keyfile` like the normal finders, then patches the module it runs."""

    def find_spec(self, name, path=None, target=None):
        if name != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.argon2i_sensitive = _cheap_kdf

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _PatchKeyfile())
