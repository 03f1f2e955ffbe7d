"""Encryption at rest: a keyring of AES-256 key-encryption keys, field sealing, and a streaming file format.

Keyring: ``FACTORYOS_KEYS`` = "id:base64url(32 bytes),id2:..." (newest first; the newest encrypts, all decrypt).
In development a key is generated into ``var/dev_keys`` on first use; production refuses to start without keys.

Field values: ``fos1:<key id>:<base64url(nonce || ciphertext+tag)>``, AES-256-GCM with a random 96-bit nonce
and the row identity as associated data, so a ciphertext copied to another row or column fails to decrypt.

Files: envelope encryption. Header = magic, wrapped data key (AES-GCM under a keyring key), chunk size, nonce
prefix; then chunks of AES-256-GCM whose nonce is prefix || counter and whose associated data marks the
chunk index and whether it is the last one (reordering, truncation and extension are all detected).
"""

from __future__ import annotations

import base64
import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIELD_PREFIX = "fos1"
FILE_MAGIC = b"FOSENC1\n"
CHUNK_SIZE = 64 * 1024


class DecryptionError(ValueError):
    pass


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_key_spec(key_id: str | None = None) -> str:
    return f"{key_id or 'k' + secrets.token_hex(4)}:{_b64e(os.urandom(32))}"


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    """One cipher object per key (they hold no per-message state): a list that opens thousands of values (a search
    over encrypted names, kernel/sealed.py) does not set each one up again."""
    return AESGCM(key)


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # newest first

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys = []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            key_id, _, encoded = part.partition(":")
            raw = _b64d(encoded)
            if not key_id or len(raw) != 32:
                raise ImproperlyConfigured("FACTORYOS_KEYS entries must be 'id:base64url(32 random bytes)'")
            keys.append((key_id, raw))
        if not keys:
            raise ImproperlyConfigured("FACTORYOS_KEYS holds no key")
        if len({k for k, _ in keys}) != len(keys):
            raise ImproperlyConfigured("FACTORYOS_KEYS has a repeated key id")
        return cls(tuple(keys))

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes:
        for kid, raw in self.keys:
            if kid == key_id:
                return raw
        raise DecryptionError(f"unknown key id {key_id!r}")

    # -- small values ---------------------------------------------------------------------------------------------
    def seal(self, plaintext: bytes, aad: bytes) -> str:
        nonce = os.urandom(12)
        ct = _aead(self.keys[0][1]).encrypt(nonce, plaintext, aad)
        return f"{FIELD_PREFIX}:{self.current_id}:{_b64e(nonce + ct)}"

    def open(self, token: str, aad: bytes) -> bytes:
        try:
            prefix, key_id, body = token.split(":", 2)
        except ValueError as exc:
            raise DecryptionError("not an encrypted value") from exc
        if prefix != FIELD_PREFIX:
            raise DecryptionError("not an encrypted value")
        raw = _b64d(body)
        try:
            return _aead(self.key(key_id)).decrypt(raw[:12], raw[12:], aad)
        except InvalidTag as exc:
            raise DecryptionError("ciphertext or its associated data was altered") from exc

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.split(":", 2)[1]

    # -- data keys for files ----------------------------------------------------------------------------------------
    def wrap(self, data_key: bytes) -> bytes:
        kid = self.current_id.encode()
        nonce = os.urandom(12)
        return struct.pack(">B", len(kid)) + kid + nonce + AESGCM(self.keys[0][1]).encrypt(nonce, data_key, kid)

    def unwrap(self, blob: bytes) -> tuple[str, bytes]:
        n = blob[0]
        kid = blob[1 : 1 + n]
        nonce, ct = blob[1 + n : 13 + n], blob[13 + n :]
        try:
            return kid.decode(), AESGCM(self.key(kid.decode())).decrypt(nonce, ct, kid)
        except InvalidTag as exc:
            raise DecryptionError("wrapped data key was altered") from exc


def _dev_spec() -> str:
    path = settings.FACTORYOS_DEV_KEYFILE
    if not path.exists():
        path.write_text(generate_key_spec("dev1"))
        path.chmod(0o600)
    return path.read_text().strip()


@lru_cache(maxsize=4)
def _keyring_for(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    return _keyring_for(settings.FACTORYOS_KEYS or _dev_spec())


# -- streaming files ----------------------------------------------------------------------------------------------
def _chunk_aad(index: int, last: bool) -> bytes:
    return struct.pack(">QB", index, 1 if last else 0)


def encrypt_stream(
    chunks: Iterable[bytes], ring: Keyring | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Yield the encrypted file: header then sealed chunks. Reads ``chunks`` lazily (large CAD files stream)."""
    ring = ring or keyring()
    data_key = AESGCM.generate_key(256)
    prefix = os.urandom(4)
    wrapped = ring.wrap(data_key)
    yield FILE_MAGIC + struct.pack(">HI", len(wrapped), chunk_size) + wrapped + prefix
    aes = AESGCM(data_key)
    buffer = bytearray()
    index = 0
    for piece in chunks:
        buffer += piece
        while len(buffer) > chunk_size:  # keep at least one byte back: the last chunk is marked as last
            yield _seal_chunk(aes, prefix, index, bytes(buffer[:chunk_size]), last=False)
            del buffer[:chunk_size]
            index += 1
    yield _seal_chunk(aes, prefix, index, bytes(buffer), last=True)


def _seal_chunk(aes: AESGCM, prefix: bytes, index: int, block: bytes, *, last: bool) -> bytes:
    nonce = prefix + struct.pack(">Q", index)
    return aes.encrypt(nonce, block, _chunk_aad(index, last))


def _read_header(fh: BinaryIO, ring: Keyring) -> tuple[str, bytes, int, bytes, bytes]:
    magic = fh.read(len(FILE_MAGIC))
    if magic != FILE_MAGIC:
        raise DecryptionError("not an encrypted file")
    wrapped_len, chunk_size = struct.unpack(">HI", fh.read(6))
    wrapped = fh.read(wrapped_len)
    prefix = fh.read(4)
    key_id, data_key = ring.unwrap(wrapped)
    return key_id, data_key, chunk_size, prefix, wrapped


def decrypt_stream(fh: BinaryIO, ring: Keyring | None = None) -> Iterator[bytes]:
    ring = ring or keyring()
    _, data_key, chunk_size, prefix, _ = _read_header(fh, ring)
    aes = AESGCM(data_key)
    sealed_size = chunk_size + 16
    index = 0
    current = fh.read(sealed_size)
    while True:
        following = fh.read(sealed_size)
        last = not following
        try:
            yield aes.decrypt(prefix + struct.pack(">Q", index), current, _chunk_aad(index, last))
        except InvalidTag as exc:
            raise DecryptionError(f"file chunk {index} was altered, reordered or truncated") from exc
        if last:
            return
        current, index = following, index + 1


def file_key_id(fh: BinaryIO, ring: Keyring | None = None) -> str:
    return _read_header(fh, ring or keyring())[0]


def rewrap_stream(fh: BinaryIO, ring: Keyring | None = None) -> Iterator[bytes]:
    """Re-wrap the file's data key under the newest key; the chunks are copied as they are."""
    ring = ring or keyring()
    _, data_key, chunk_size, prefix, _ = _read_header(fh, ring)
    wrapped = ring.wrap(data_key)
    yield FILE_MAGIC + struct.pack(">HI", len(wrapped), chunk_size) + wrapped + prefix
    while block := fh.read(1024 * 1024):
        yield block
