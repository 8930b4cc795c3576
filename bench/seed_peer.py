"""Sync throughput against the seed's own sync server (`../shared/peers/seed_sync_server.py`,
FastAPI + SQLite, run with uvicorn in a subprocess): 10,000 entries pushed in pages of 500 and
pulled in pages of 1,000 (the peer's fixed page; ours is configured to the same), one HTTP
client for both, in one run. Prints entries/s of each and ours / the peer's (goal: >= 1.0).

The two sides' requests interleave page by page (ours, the peer's, the peer's, ours, ...), each
timed on its own, so a machine that speeds up or slows down mid-run weighs on both alike; a
round is a new user on both sides, and the figure is the median of the rounds' ratios
(SEED_ROUNDS, 5).

Each server runs in a process of its own, so neither shares the client's interpreter (and its
GIL): the peer under uvicorn, ours as the dev server (`python -m shared.dev.server`) on the
bench's SQLite file. The peer pages by whole-second `updated_at`, so every entry gets its own
second. Set PEER_DIR to the folder holding seed_sync_server.py when it is not at
../shared/peers.
"""

import base64
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import jwt

from bench.harness import Bench, scenario
from bench.sync import entitle

TOTAL, PUSH_PAGE, PULL_PAGE = 10_000, 500, 1_000
ROUNDS = int(os.environ.get("SEED_ROUNDS", "5"))
PEER_SECRET = "a-secret-for-the-benchmark-only-0123456789"
BASE_SECOND = 1_767_225_600  # 2026-01-01
_DONE = object()


def _peer_dir() -> Path:
    default = Path(__file__).resolve().parents[2] / "shared" / "peers"
    return Path(os.environ.get("PEER_DIR", default))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _process(command: list[str], env: dict[str, str], ready_path: str) -> Iterator[str]:
    """A server process on a free port (PORT and the command's own flag); its base URL once
    `ready_path` answers."""
    port = _free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(command, env={**os.environ, **env, "PORT": str(port)})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + ready_path, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def _peer() -> Iterator[str]:
    """The seed's server on a free port, with its own data folder; its base URL."""
    with tempfile.TemporaryDirectory(prefix="peer-") as data:
        command = [sys.executable, "-m", "uvicorn", "seed_sync_server:app"]
        command += ["--app-dir", str(_peer_dir()), "--port", "{port}", "--log-level", "warning"]
        with _process(command, {"PEER_DATA": data, "JWT_SECRET": PEER_SECRET}, "/docs") as url:
            yield url


def _ours() -> AbstractContextManager[str]:
    """Our dev server in its own process, on the bench's settings and SQLite file."""
    return _process([sys.executable, "-m", "shared.dev.server"], {"DEV_SCHEDULER": "off"}, "/")


def _ciphertexts() -> list[str]:
    return [base64.b64encode(os.urandom(200)).decode() for _ in range(TOTAL)]


def _interleaved(ours: Iterator[None], peer: Iterator[None]) -> tuple[float, float]:
    """Run two sequences of requests (each step of an iterator is one request) alternately,
    ours first on even steps and the peer's first on odd ones; the seconds each side took."""
    took = {"ours": 0.0, "peer": 0.0}
    sides = [("ours", ours), ("peer", peer)]
    for step in itertools.count():
        running = False
        for side, requests in sides if step % 2 == 0 else sides[::-1]:
            started = time.perf_counter()
            if next(requests, _DONE) is not _DONE:
                took[side] += time.perf_counter() - started
                running = True
        if not running:
            return took["ours"], took["peer"]
    raise AssertionError("unreachable")


@scenario("sync_vs_seed")
def sync_vs_seed(bench: Bench) -> None:
    if not (_peer_dir() / "seed_sync_server.py").exists():
        bench.note(f"skipped: no seed_sync_server.py in {_peer_dir()} (set PEER_DIR)")
        return
    bench.configure(sync_max_pull_limit=str(PULL_PAGE))
    texts = _ciphertexts()
    client = httpx.Client(timeout=120)  # the one client both servers are called with
    ratios: dict[str, list[float]] = {"push": [], "pull": []}
    with _ours() as ours_url, _peer() as peer_url:
        for round_ in range(ROUNDS):
            uid = f"seed-compare-{round_}"  # a new user on both sides each round
            ours = _our_sync(bench, client, ours_url, uid, texts)
            peer = _peer_sync(client, peer_url, uid, texts)
            for direction in ("push", "pull"):
                ours_took, peer_took = _interleaved(ours[direction](), peer[direction]())
                ratios[direction].append(peer_took / ours_took)
                bench.note(
                    f"round {round_ + 1} {direction}: ours {TOTAL / ours_took:,.0f}, "
                    f"peer {TOTAL / peer_took:,.0f} entries/s"
                )
    client.close()
    for direction, each in ratios.items():
        shown = ", ".join(f"{r:.2f}" for r in each)
        bench.note(
            f"{direction}: ours / peer = {statistics.median(each):.2f} "
            f"(median of {ROUNDS} rounds: {shown})"
        )


def _our_sync(
    bench: Bench, client: httpx.Client, url: str, uid: str, texts: list[str]
) -> dict[str, Callable[[], Iterator[None]]]:
    """Push and pull of TOTAL entries through our sync_push and sync_pull, as `uid`."""
    auth = {"Authorization": f"Bearer {entitle(bench, uid)}"}
    for device in ("phone", "laptop"):
        data = {"data": {"deviceId": device, "name": device, "platform": "ios"}}
        client.post(f"{url}/device_register", json=data, headers=auth).raise_for_status()

    def push() -> Iterator[None]:
        for start in range(0, TOTAL, PUSH_PAGE):
            entries = [
                {
                    "id": f"e{i}",
                    "ciphertext": texts[i],
                    "clock": {"phone": 1},
                    "updatedAt": "2026-01-01T12:00:00Z",
                }
                for i in range(start, start + PUSH_PAGE)
            ]
            body = {"data": {"deviceId": "phone", "entries": entries}}
            client.post(f"{url}/sync_push", json=body, headers=auth).raise_for_status()
            yield

    def pull() -> Iterator[None]:
        cursor, seen = 0, 0
        while True:
            body = {"data": {"deviceId": "laptop", "cursor": cursor, "limit": PULL_PAGE}}
            response = client.post(f"{url}/sync_pull", json=body, headers=auth)
            page = response.raise_for_status().json()["result"]
            seen += len(page["entries"])
            cursor = page["nextCursor"]
            yield
            if not page["hasMore"]:
                break
        assert seen == TOTAL, seen

    return {"push": push, "pull": pull}


def _peer_sync(
    client: httpx.Client, url: str, uid: str, texts: list[str]
) -> dict[str, Callable[[], Iterator[None]]]:
    """The same push and pull through the peer's /sync/push and /sync/pull, as `uid`."""
    claims = {"sub": uid, "device_id": "phone"}
    auth = {"Authorization": "Bearer " + jwt.encode(claims, PEER_SECRET, "HS256")}
    client.post(f"{url}/test/grant", json={"user_id": uid}).raise_for_status()

    def push() -> Iterator[None]:
        for start in range(0, TOTAL, PUSH_PAGE):
            entries = [
                {
                    "id": f"e{i}",
                    "device_id": "phone",
                    "encrypted_data": texts[i],
                    "vector_clock": {"phone": 1},
                    "created_at": BASE_SECOND + i,
                    "updated_at": BASE_SECOND + i,
                }
                for i in range(start, start + PUSH_PAGE)
            ]
            body = {"device_id": "phone", "entries": entries}
            response = client.post(f"{url}/sync/push", json=body, headers=auth)
            assert len(response.raise_for_status().json()["accepted"]) == PUSH_PAGE
            yield

    def pull() -> Iterator[None]:
        last, seen = None, 0
        while True:
            body = {"device_id": "laptop", "last_sync_at": last}
            response = client.post(f"{url}/sync/pull", json=body, headers=auth)
            page = response.raise_for_status().json()
            seen += len(page["entries"])
            yield
            if not page["has_more"]:
                break
            last = page["entries"][-1]["updated_at"]
        assert seen == TOTAL, seen

    return {"push": push, "pull": pull}
