"""Which user a store purchase belongs to, from the account token the app attached to it.

The app passes `account_token(uid)` to the store (StoreKit's appAccountToken, Play's
obfuscatedAccountId): the uid itself when it is a UUID, else uuid5(namespace, uid). A uuid5
cannot be inverted, so `remember_account` stores the token -> uid mapping when the app asks for
its token, and notifications that arrive before the app reports the purchase still find it.
"""

import uuid

from shared import collections, wiring
from shared.models import document_id_problem
from shared.purchases.settings import settings
from shared.store import Reader, Transaction


def account_token(uid: str) -> str:
    """The token the app attaches to purchases made by `uid`."""
    try:
        return str(uuid.UUID(uid))
    except ValueError:
        return str(uuid.uuid5(settings().app_account_namespace, uid))


def normalize_token(token: str | None) -> str | None:
    """A UUID-shaped token in canonical form; other strings unchanged; blank as None."""
    if not token:
        return None
    try:
        return str(uuid.UUID(token))
    except ValueError:
        return token


def account_path(token: str) -> str:
    return f"{collections.APP_ACCOUNTS}/{token}"


def remember_account(uid: str) -> str:
    """Store the token -> uid mapping once; return the token (one read, a write the first time)."""
    token = account_token(uid)

    def body(txn: Transaction) -> None:
        if txn.get(account_path(token)) is None:
            txn.create(account_path(token), {"uid": uid, "createdAt": wiring.now()})

    wiring.store().transaction(body)
    return token


def uid_of_token(reader: Reader, token: str | None) -> str | None:
    """The user an account token belongs to: a stored mapping, or a uid that is the token."""
    token = normalize_token(token)
    if token is None or document_id_problem(token) is not None:
        return None  # set by the app at purchase (obfuscatedAccountId): anything may come
    mapping = reader.get(account_path(token))
    if mapping is not None:
        return mapping["uid"]
    return token if reader.get(collections.user(token)) is not None else None
