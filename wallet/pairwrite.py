"""Writing a key and its pub file as one step: exclusive, atomic as a pair, and recoverable.

btcli keeps a key in two files (`coldkey` + `coldkeypub.txt`, `hotkeys/hk` + `hkpub.txt`) and
POSIX can rename only one file at a time. So a pair is written like a tiny journal:

1. under the wallet's lock (an flock on the wallet directory itself: no lock file is left
   behind, and the kernel releases it if the process dies), refuse when a target exists and
   overwriting was not asked (`KeyExists`: of two concurrent creators the second one fails, it
   never replaces the first one's key);
2. every new file goes to a temporary file beside its target, fsync'ed;
3. the commit point: a small intent file (`<wallet>/.taoctl-pending-<what>`) naming the
   temporary files and their targets is renamed into place;
4. the temporary files are renamed over their targets and the intent file is removed.

A kill before step 3 leaves the old pair (and stray temporary files); after it, the next
reader or writer of that pair finishes the renames first (`settle`), so it sees the new pair.
Either way no one ever reads a key with another key's pub file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from wallet.errors import KeyExists, KeyFileError
from wallet.fsio import FILE_MODE, atomic_write, fsync_dir

PENDING_PREFIX = ".taoctl-pending-"


def _intent(root: Path, what: str) -> Path:
    return root / f"{PENDING_PREFIX}{what}"


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """The wallet's write lock (an exclusive flock on the wallet directory)."""
    import fcntl

    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise KeyFileError(f"cannot lock the wallet at {root} ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _roll_forward(root: Path, what: str) -> None:
    """Finish a committed write of `what` (rename what is left); no-op when none is pending."""
    intent = _intent(root, what)
    try:
        entries = json.loads(intent.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"the interrupted key write at {intent} cannot be read "
                           f"({type(exc).__name__})") from None
    folders = set()
    for tmp_name, target_name in entries:
        tmp, target = root / tmp_name, root / target_name
        if os.path.lexists(tmp):
            os.replace(tmp, target)
        folders.add(target.parent)
    for folder in folders:
        fsync_dir(folder)
    intent.unlink(missing_ok=True)
    fsync_dir(root)


def settle(root: Path, what: str) -> None:
    """Before reading the pair `what`: finish its interrupted write, if there is one."""
    if not os.path.lexists(_intent(root, what)):
        return
    try:
        with locked(root):
            _roll_forward(root, what)
    except OSError as exc:
        raise KeyFileError(f"an interrupted key write in {root} must be finished, but the "
                           f"wallet is not writable ({exc.strerror})") from None


def _write_temp(target: Path, data: bytes) -> Path:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, FILE_MODE)
        os.fsync(fd)
    finally:
        os.close(fd)
    return tmp


def write_pair(root: Path, what: str, files: list[tuple[Path, bytes]], overwrite: bool) -> None:
    """Write `files` (paths under `root`) so that readers see all of them or none of them."""
    with locked(root):
        _roll_forward(root, what)
        if not overwrite:
            for target, _ in files:
                if os.path.lexists(target):
                    raise KeyExists(f"{target} already exists; pass --overwrite to replace it")
        temps: list[Path] = []
        try:
            for target, data in files:
                temps.append(_write_temp(target, data))
            for folder in {t.parent for t in temps}:
                fsync_dir(folder)
            entries = [[str(t.relative_to(root)), str(target.relative_to(root))]
                       for t, (target, _) in zip(temps, files, strict=True)]
            atomic_write(_intent(root, what), json.dumps(entries).encode())  # the commit point
        except BaseException:
            for tmp in temps:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        _roll_forward(root, what)
