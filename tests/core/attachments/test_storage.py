"""The storage interface: the local folder, keys that cannot leave it, the backend chosen by config."""

from __future__ import annotations

import pytest

from core.attachments import LocalStorage, Storage, register_backend, storage_of
from core.attachments.storage import BACKENDS, check_key, settings_of
from core.config import load_data
from core.errors import ConfigError
from core.testing import boot


def test_local_storage_saves_reads_streams_and_deletes(tmp_path):
    s = LocalStorage(tmp_path / "att")
    s.save("2026/12/abc.jpg", b"jpeg bytes")
    assert (tmp_path / "att/2026/12/abc.jpg").read_bytes() == b"jpeg bytes"
    assert s.exists("2026/12/abc.jpg") and s.open("2026/12/abc.jpg") == b"jpeg bytes"
    assert b"".join(s.stream("2026/12/abc.jpg", chunk=3)) == b"jpeg bytes"
    s.delete("2026/12/abc.jpg")
    s.delete("2026/12/abc.jpg")  # already gone: nothing happens
    assert not s.exists("2026/12/abc.jpg") and not (tmp_path / "att/2026/12/abc.jpg").exists()
    assert [p.name for p in (tmp_path / "att/2026/12").iterdir()] == []  # no temp file left behind
    with pytest.raises(FileNotFoundError):
        s.open("2026/12/abc.jpg")


@pytest.mark.parametrize("key", ["../../x", "2026/../../etc/passwd", "/etc/passwd", "2026\\..\\x", "", ".hidden",
                                 "2026//x", "a/../b", "C:/x"])
def test_keys_that_could_leave_the_folder_are_refused(tmp_path, key):
    s = LocalStorage(tmp_path / "att")
    with pytest.raises(ValueError):
        s.save(key, b"x")
    with pytest.raises(ValueError):
        check_key(key)
    assert not any(tmp_path.rglob("x")) and not (tmp_path / "att").exists()


def test_the_folder_is_relative_to_the_config_file_like_the_sqlite_path(tmp_path):
    cfg = load_data({"attachments": {"path": "files", "max_size_mb": 5, "allowed_types": ["jpeg", "pdf"]}},
                    path=tmp_path / "wuye.toml")
    assert cfg.attachments["path"] == str((tmp_path / "files").resolve())
    assert (cfg.attachments["max_size_mb"], cfg.attachments["allowed_types"]) == (5, ["jpeg", "pdf"])
    default = load_data({}, path=tmp_path / "wuye.toml")
    assert default.attachments["path"] == str((tmp_path / "instance/attachments").resolve())
    assert default.attachments["max_size_mb"] == 20 and "docx" in default.attachments["allowed_types"]
    assert settings_of(None)["path"] == "instance/attachments"  # no config file: the working directory's


@pytest.mark.parametrize("section, message", [
    ({"max_size_mb": 0}, "'attachments.max_size_mb': must be a whole number of megabytes from 1 to 1024"),
    ({"allowed_types": ["exe"]}, "unknown file type exe; use some of: jpeg, png"),
    ({"bucket": "x"}, "unknown key 'attachments.bucket'"),
])
def test_bad_attachment_settings_are_config_errors_naming_the_key(section, message):
    with pytest.raises(ConfigError) as exc:
        load_data({"attachments": section})
    assert message in str(exc.value)


def test_the_backend_is_chosen_by_config_and_plugins_can_add_one(tmp_path):
    class Memory(Storage):
        def __init__(self):
            self.files = {}

        def save(self, key, data):
            self.files[key] = data

        def open(self, key):
            return self.files[key]

        def delete(self, key):
            self.files.pop(key, None)

        def exists(self, key):
            return key in self.files

    local = boot([], attachments=load_data({"attachments": {"path": "f"}}, path=tmp_path / "w.toml").attachments)
    assert isinstance(storage_of(local), LocalStorage) and storage_of(local).root == (tmp_path / "f").resolve()
    register_backend("memory", lambda settings, wuye: Memory())
    try:
        mem = boot([], attachments={**local.config.attachments, "storage": "memory"})
        assert isinstance(storage_of(mem), Memory) and storage_of(mem) is storage_of(mem)  # made once
        unknown = boot([], attachments={**local.config.attachments, "storage": "s3"})
        with pytest.raises(ConfigError, match=r"\[attachments\] storage = 's3' is unknown; use one of local, memory"):
            storage_of(unknown)
    finally:
        BACKENDS.pop("memory")
