"""The Firestore documents an app may read, as `firestore.rules` allows them.

A small reader of the rules' structure (nested `match` blocks and their `allow` lines), enough
for our rules file: a path is readable where some `allow` grants get, list or read on a
condition other than `false`. The comment lines just above a `match` describe it.
"""

import re
from pathlib import Path

from pydantic import BaseModel

TOKEN = re.compile(
    r"(?P<comment>//[^\n]*)|(?P<match>match\s+(?P<path>\S+)\s*\{)|(?P<function>function\s+\w+\s*\([^)]*\)\s*\{)"
    r"|(?P<allow>allow\s+(?P<ops>[\w\s,]+?)\s*:\s*if\s+(?P<cond>[^;]+);)|(?P<open>\{)|(?P<close>\})"
    r"|(?P<blank>\n\s*\n)"
)
READS = {"read": ("get", "list"), "get": ("get",), "list": ("list",)}


class ReadableDocument(BaseModel):
    path: str
    operations: list[str]
    condition: str
    description: str


def _path(stack: list[str | None]) -> str:
    # Below /databases/{database}/documents, as the client SDKs name documents.
    return "/".join(p.strip("/") for p in stack if p and "{database}" not in p)


FUNCTION = re.compile(r"function\s+(\w+\([^)]*\))\s*\{\s*return\s+([^;]+);\s*\}")


def rule_functions(rules: Path) -> dict[str, str]:
    """The helper functions the conditions call (`ownsDoc()`: what a query must filter on)."""
    return {
        name: " ".join(body.split()) for name, body in sorted(FUNCTION.findall(rules.read_text()))
    }


def readable_documents(rules: Path) -> list[ReadableDocument]:
    """Every path of `rules` that a client may read, with how and on what condition."""
    stack: list[str | None] = []  # path segment of each open block (None: not a match)
    comments: list[str] = []
    found: dict[str, ReadableDocument] = {}
    described: dict[str, str] = {}
    for token in TOKEN.finditer(rules.read_text()):
        if token.group("comment"):
            text = token.group("comment")[2:].strip()
            if not text.startswith("--"):  # section headers describe no one path
                comments.append(text)
            continue
        if token.group("match"):
            stack.append(token.group("path"))
            described[_path(stack)] = " ".join(comments)
        elif token.group("function") or token.group("open"):
            stack.append(None)
        elif token.group("close"):
            if stack:
                stack.pop()
        elif token.group("allow"):
            condition = " ".join(token.group("cond").split())
            path = _path(stack)
            ops = {
                op for word in re.split(r"[\s,]+", token.group("ops")) for op in READS.get(word, ())
            }
            if ops and condition != "false":
                doc = found.setdefault(
                    path,
                    ReadableDocument(
                        path=path,
                        operations=[],
                        condition=condition,
                        description=described.get(path, ""),
                    ),
                )
                doc.operations = sorted(set(doc.operations) | ops)
        comments = []
    return [found[p] for p in sorted(found)]
