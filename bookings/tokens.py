"""Manage-link tokens and booking references. The token is 128 random bits, shown once and kept
only as a SHA-256 hash, so a copy of the database cannot be used to change anyone's booking."""

import hashlib
import secrets

# No 0/O, 1/I/L: a reference is read aloud on the phone and typed from an SMS.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6
TOKEN_BYTES = 16


def new_manage_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
