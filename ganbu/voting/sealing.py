"""The ballot key: sheets sealed to it at cast, opened only at the count with the 监票人's key shares.

Why (docs/decisions/0011-sealed-ballots.md): what is written while a ballot is open must be
unreadable by anyone with full database access, because the row that says "this member voted" or
"this code was used" is written in the same transaction as the sheet and carries the same
transaction id. So the sheet is encrypted before it reaches the database, to a key whose private
half the database never holds.

* When an electronic ballot opens, 16 random bytes (the *seed*) are drawn; the ballot's X25519
  private key is derived from the seed and the ballot's id, and only the public key is stored.
* The seed is split by Shamir's scheme over GF(256) into ``holders`` shares, any ``threshold`` of
  which rebuild it and fewer of which say nothing about it. Each share is printed once on a slip
  for one 监票人 (``1-ABCD-EFGH-…``: the share's number, 26 symbols of value, 2 of check).
* A cast seals its content, receipt and voter category with libsodium's ``SealedBox`` (anonymous
  sender, X25519 + XSalsa20-Poly1305), after padding the plaintext to a length fixed per ballot, so
  neither the bytes nor their number say anything about the choice.
* At the count the 监票人 enter their shares; the seed, and from it the private key, exist only in
  the memory of that request. A wrong key is caught by comparing its public half with the stored one.

This module is pure: no Django, no database. The voting services decide when it is used.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

# The voting code alphabet: 32 symbols without 0/O, 1/I, 5 bits each, easy to read aloud and retype.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SEED_BYTES = 16
VALUE_SYMBOLS = 26  # 130 bits ≥ the seed's 128
CHECK_SYMBOLS = 2  # 10 bits of SHA-256: a mistyped share is caught, and one of another ballot
MAX_HOLDERS = 9  # a share's number is one digit
SEAL_OVERHEAD = 48  # SealedBox: 32-byte ephemeral public key + 16-byte Poly1305 tag
_LENGTH = struct.Struct(">I")
_KEY_CONTEXT = b"ganbu.voting.ballot-key.v1"
_CHECK_CONTEXT = b"ganbu.voting.key-share.v1"


class ShareError(ValueError):
    """A key share that cannot be used: ``reason`` is ``format``, ``check`` or ``duplicate``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeyMismatch(ValueError):
    """The shares are each well formed but together do not rebuild this ballot's key."""


class SealError(ValueError):
    """A sheet too long for the ballot's fixed length, or a sealed sheet that does not open."""


# ---------------------------------------------------------------- GF(256) (the AES field, x^8+x^4+x^3+x+1)

_EXP = [0] * 510
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x ^= (_x << 1) ^ (0x11B if _x & 0x80 else 0)  # multiply by the generator 3
for _i in range(255, 510):
    _EXP[_i] = _EXP[_i - 255]


def _mul(a: int, b: int) -> int:
    """Product in GF(256)."""
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    """Quotient in GF(256); ``b`` is never 0 here (share numbers are distinct and non-zero)."""
    if a == 0:
        return 0
    return _EXP[(_LOG[a] - _LOG[b]) % 255]


def split_secret(secret: bytes, *, holders: int, threshold: int) -> list[tuple[int, bytes]]:
    """Shamir's split of ``secret``, byte by byte, into ``holders`` shares; any ``threshold`` rebuild it.

    Each byte is the constant term of a random polynomial of degree ``threshold - 1`` whose other
    coefficients come from ``secrets``; a share is the polynomials' values at its x.
    """
    if not 1 <= threshold <= holders <= 255:
        raise ValueError("need 1 ≤ threshold ≤ holders ≤ 255")
    coefficients = [[byte, *secrets.token_bytes(threshold - 1)] for byte in secret]
    shares = []
    for x in range(1, holders + 1):
        value = bytearray()
        for poly in coefficients:
            y = 0
            for c in reversed(poly):  # Horner
                y = _mul(y, x) ^ c
            value.append(y)
        shares.append((x, bytes(value)))
    return shares


def combine_shares(shares: Sequence[tuple[int, bytes]]) -> bytes:
    """The secret at x = 0 by Lagrange interpolation over the given shares (distinct x, equal lengths)."""
    xs = [x for x, _ in shares]
    if len(set(xs)) != len(xs) or not shares or 0 in xs:
        raise ValueError("shares need distinct, non-zero numbers")
    length = len(shares[0][1])
    out = bytearray(length)
    for i, (xi, yi) in enumerate(shares):
        weight = 1
        for j, xj in enumerate(xs):
            if i != j:
                weight = _mul(weight, _div(xj, xj ^ xi))  # xj / (xj - xi); minus is xor
        for k in range(length):
            out[k] ^= _mul(yi[k], weight)
    return bytes(out)


# ---------------------------------------------------------------- keys and share slips


def _private_key(ballot_id: int, seed: bytes) -> PrivateKey:
    """The ballot's X25519 private key: SHA-256 of the seed bound to the ballot's id."""
    digest = hashlib.sha256(_KEY_CONTEXT + ballot_id.to_bytes(8, "big") + seed).digest()
    return PrivateKey(digest)


def _check(ballot_id: int, index: int, value: bytes) -> str:
    """Two check symbols of one share, bound to the ballot: a share of another ballot fails too."""
    digest = hashlib.sha256(_CHECK_CONTEXT + ballot_id.to_bytes(8, "big") + bytes([index]) + value).digest()
    bits = int.from_bytes(digest[:2], "big") >> 6
    return ALPHABET[bits >> 5] + ALPHABET[bits & 31]


def _encode(value: bytes) -> str:
    """16 bytes as 26 symbols of the alphabet, most significant first."""
    number = int.from_bytes(value, "big")
    symbols = []
    for _ in range(VALUE_SYMBOLS):
        number, digit = divmod(number, 32)
        symbols.append(ALPHABET[digit])
    return "".join(reversed(symbols))


def _decode(symbols: str) -> bytes:
    """The inverse of ``_encode``; raises ``ShareError('format')`` beyond 128 bits."""
    number = 0
    for symbol in symbols:
        number = number * 32 + ALPHABET.index(symbol)
    if number >> (8 * SEED_BYTES):
        raise ShareError("format")
    return number.to_bytes(SEED_BYTES, "big")


def format_share(ballot_id: int, index: int, value: bytes) -> str:
    """A share as printed on its slip: ``3-ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-ABCD``."""
    body = _encode(value) + _check(ballot_id, index, value)
    return f"{index}-" + "-".join(body[i : i + 4] for i in range(0, len(body), 4))


def parse_share(ballot_id: int, text: str) -> tuple[int, bytes]:
    """(number, value) of a share as typed (any case, dashes or spaces); ``ShareError`` if unusable."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(raw) != 1 + VALUE_SYMBOLS + CHECK_SYMBOLS or not raw[0].isdigit() or raw[0] == "0":
        raise ShareError("format")
    if any(ch not in ALPHABET for ch in raw[1:]):
        raise ShareError("format")
    index = int(raw[0])
    value = _decode(raw[1 : 1 + VALUE_SYMBOLS])
    if raw[1 + VALUE_SYMBOLS :] != _check(ballot_id, index, value):
        raise ShareError("check")
    return index, value


@dataclass(frozen=True)
class BallotKey:
    """A new ballot key: the public key to store (hex) and the share slips to print, never stored."""

    public_key: str
    shares: list[str]


def new_ballot_key(ballot_id: int, *, holders: int, threshold: int) -> BallotKey:
    """Draw a seed, derive the ballot's key pair and split the seed among ``holders`` 监票人."""
    if not 1 <= threshold <= holders <= MAX_HOLDERS:
        raise ValueError(f"need 1 ≤ threshold ≤ holders ≤ {MAX_HOLDERS}")
    seed = secrets.token_bytes(SEED_BYTES)
    public = _private_key(ballot_id, seed).public_key.encode().hex()
    parts = split_secret(seed, holders=holders, threshold=threshold)
    shares = [format_share(ballot_id, x, y) for x, y in parts]
    return BallotKey(public_key=public, shares=shares)


def recover_private_key(ballot_id: int, public_key: str, shares: Sequence[tuple[int, bytes]]) -> PrivateKey:
    """The ballot's private key rebuilt from parsed shares, in memory only.

    ``KeyMismatch`` if it is not this ballot's key (its public half differs from the stored one).
    """
    if len({x for x, _ in shares}) != len(shares):
        raise ShareError("duplicate")
    key = _private_key(ballot_id, combine_shares(shares))
    if not secrets.compare_digest(key.public_key.encode().hex(), public_key):
        raise KeyMismatch("the shares do not rebuild this ballot's key")
    return key


# ---------------------------------------------------------------- sealing sheets


def seal(public_key: str, payload: Mapping[str, Any], *, size: int) -> bytes:
    """``payload`` as JSON, length-prefixed, zero-padded to ``size`` bytes and sealed to the ballot's key.

    Every sealed sheet of a ballot is therefore ``size + SEAL_OVERHEAD`` bytes long. ``SealError``
    if the payload does not fit (the caller refuses the sheet: nothing is written).
    """
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    if _LENGTH.size + len(body) > size:
        raise SealError("payload longer than the ballot's fixed sheet length")
    plain = _LENGTH.pack(len(body)) + body
    plain += bytes(size - len(plain))
    return bytes(SealedBox(PublicKey(bytes.fromhex(public_key))).encrypt(plain))


def unseal(private_key: PrivateKey, sealed: bytes) -> dict[str, Any]:
    """The payload of one sealed sheet; ``SealError`` if it was not sealed to this key or is damaged."""
    try:
        plain = SealedBox(private_key).decrypt(bytes(sealed))
    except CryptoError:
        raise SealError("sealed sheet does not open with this key") from None
    (length,) = _LENGTH.unpack_from(plain)
    try:
        payload = json.loads(plain[_LENGTH.size : _LENGTH.size + length].decode())
    except (UnicodeDecodeError, ValueError):
        raise SealError("sealed sheet holds no valid payload") from None
    if not isinstance(payload, dict):
        raise SealError("sealed sheet holds no valid payload")
    return payload
