"""Password hashing with argon2id (DESIGN 8)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def use_fast_hashing_for_tests() -> None:
    """Cheap argon2 parameters, for test suites only (the default costs ~0.15 s per hash)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
