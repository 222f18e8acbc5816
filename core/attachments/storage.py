"""Where attached files are kept: a small storage interface and the local folder behind it.

A storage keeps bytes under *keys* that Wuye makes itself (``2026/12/<uuid>.jpg``), never from a
user's file name, so no upload can name a path. ``[attachments] storage`` picks the backend:
``local`` (files under ``[attachments] path``, by default ``instance/attachments`` next to the config
file) or one a plugin registered with :func:`register_backend` (an object store, say).

Writing a backend::

    class BucketStorage(Storage):
        def __init__(self, bucket): self.bucket = bucket
        def save(self, key, data): self.bucket.put_object(key, data)
        def open(self, key): return self.bucket.get_object(key)
        def delete(self, key): self.bucket.delete_object(key)
        def exists(self, key): return self.bucket.head_object(key) is not None

    register_backend("bucket", lambda settings, wuye: BucketStorage(make_bucket(settings)))
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.config import AttachmentsSection
from core.context import WUYE_KEY
from core.errors import ConfigError

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*$")
STORAGE_ATTR = "_wuye_attachment_storage"  # the instance's storage, made on first use


class Storage:
    """What a storage backend provides. Keys are ``/``-separated and made by Wuye (see :func:`check_key`)."""

    def save(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (replacing what was there)."""
        raise NotImplementedError

    def open(self, key: str) -> bytes:
        """The bytes kept under ``key``; ``FileNotFoundError`` when there are none."""
        raise NotImplementedError

    def stream(self, key: str, chunk: int = 64 * 1024) -> Iterator[bytes]:
        """The bytes under ``key`` in pieces (for large downloads); by default :meth:`open` at once."""
        yield self.open(key)

    def delete(self, key: str) -> None:
        """Forget ``key``; nothing happens when it is already gone."""
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError


def check_key(key: str) -> str:
    """``key`` if it is a safe storage key (no ``..``, no absolute path, no backslash), else ``ValueError``."""
    if not isinstance(key, str) or not KEY_RE.match(key) or ".." in key.split("/") or len(key) > 255:
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage(Storage):
    """Files under one folder (``root``), one file per key; written atomically (temp file, rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def path(self, key: str) -> Path:
        """The file of ``key``; refuses a key that would leave the root."""
        root = self.root.resolve()
        target = (root / check_key(key)).resolve()
        if root not in target.parents:
            raise ValueError(f"storage key {key!r} leaves the storage folder")
        return target

    def save(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def stream(self, key: str, chunk: int = 64 * 1024) -> Iterator[bytes]:
        with self.path(key).open("rb") as f:
            while piece := f.read(chunk):
                yield piece

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def _local(settings: dict, wuye) -> Storage:
    return LocalStorage(settings["path"])


BACKENDS: dict[str, Callable[[dict, object], Storage]] = {"local": _local}


def register_backend(name: str, factory: Callable[[dict, object], Storage]) -> None:
    """Make ``[attachments] storage = "<name>"`` use ``factory(settings, wuye) -> Storage``.

    Call it when your plugin's hooks module is imported (or from ``wuye_startup``)."""
    BACKENDS[name] = factory


def settings_of(wuye) -> dict:
    """The validated ``[attachments]`` section of ``wuye`` (the defaults without an instance)."""
    found = getattr(getattr(wuye, "config", None), "attachments", None) or {}
    return {**AttachmentsSection().load({}), **found}


def storage_of(wuye) -> Storage:
    """The storage of the instance ``wuye`` (made from its config once), or the default local one."""
    current = getattr(wuye, STORAGE_ATTR, None) if wuye is not None else None
    if current is not None:
        return current
    settings = settings_of(wuye)
    factory = BACKENDS.get(settings["storage"])
    if factory is None:
        where = getattr(getattr(wuye, "config", None), "source", "configuration")
        raise ConfigError(f"{where}: [attachments] storage = {settings['storage']!r} is unknown; use one of "
                          f"{', '.join(sorted(BACKENDS))} (a plugin adds others with register_backend)")
    made = factory(settings, wuye)
    if wuye is not None:
        setattr(wuye, STORAGE_ATTR, made)
    return made


def storage_for(session) -> Storage:
    """The storage of the instance ``session`` belongs to."""
    return storage_of(session.info.get(WUYE_KEY))


@contextmanager
def use_storage(wuye, storage: Storage):
    """Use ``storage`` for ``wuye`` inside the block (tests: a temporary folder), then restore."""
    previous = getattr(wuye, STORAGE_ATTR, None)
    setattr(wuye, STORAGE_ATTR, storage)
    try:
        yield storage
    finally:
        setattr(wuye, STORAGE_ATTR, previous)
