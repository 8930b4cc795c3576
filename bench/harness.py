"""The benchmark harness: a fresh dev server per scenario, concurrent clients, printed figures.

A scenario is a function registered with `@scenario(name)` in a module of this package. It gets
a `Bench` whose `api` calls the functions over real HTTP (a dev server in this process, on a
temporary SQLite store wrapped in a counting store), whose `store` seeds data directly, and
whose `measure` runs an operation on N client threads and prints throughput, latency
percentiles and store reads/writes/deletes per operation.
"""

import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared import config, wiring
from shared.dev.keys import ensure_dev_key
from shared.dev.server import create_app
from shared.store.counting import CountingStore
from shared.store.sqlite import SqliteStore
from tests.support.api import Api
from tests.support.servers import serve_wsgi
from tests.support.tokens import TokenSigner

SCENARIOS: dict[str, Callable[["Bench"], None]] = {}


def scenario(name: str) -> Callable[[Callable[["Bench"], None]], Callable[["Bench"], None]]:
    def register(fn: Callable[["Bench"], None]) -> Callable[["Bench"], None]:
        SCENARIOS[name] = fn
        return fn

    return register


@dataclass
class Result:
    label: str
    clients: int
    ops: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    reads: int
    writes: int
    deletes: int
    # The store operations per call the design needs (reads, writes + deletes), if stated.
    minimum: tuple[float, float] | None = None

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(p) - 1]

    @property
    def per_second(self) -> float:
        return self.ops / self.seconds if self.seconds else float("nan")

    def row(self) -> str:
        n = max(self.ops, 1)
        return (
            f"{self.label:<38} {self.clients:>3} {self.ops:>6} {self.errors:>4} "
            f"{self.per_second:>9.1f} {self.percentile(50):>8.2f} {self.percentile(95):>8.2f} "
            f"{self.percentile(99):>8.2f} {self.reads / n:>8.2f} {self.writes / n:>8.2f} "
            f"{self.deletes / n:>8.2f}{self._against_minimum(n)}"
        )

    def _against_minimum(self, n: int) -> str:
        """The design minimum and the measured / minimum ratio (goal: at most 1.25)."""
        if self.minimum is None:
            return ""
        reads, writes = self.minimum
        measured = ((self.reads / n, reads), ((self.writes + self.deletes) / n, writes))
        # Where the design needs none, an occasional operation (e.g. once a minute) counts
        # as its fraction of a call above 1.
        ratio = max(got / want if want else 1 + got for got, want in measured)
        return f"   min {reads:g}r/{writes:g}w ×{ratio:.2f}"


HEADER = (
    f"{'scenario':<38} {'cli':>3} {'ops':>6} {'err':>4} {'ops/s':>9} {'p50 ms':>8} "
    f"{'p95 ms':>8} {'p99 ms':>8} {'reads/op':>8} {'writes/op':>8} {'dels/op':>8}"
)


class Bench:
    """What a scenario works with (see the module docstring)."""

    def __init__(self, api: Api, store: CountingStore) -> None:
        self.api = api
        self.store = store
        self.results: list[Result] = []

    def configure(self, **env: str) -> None:
        """Set environment settings for the functions (before the requests that read them)."""
        os.environ.update({k.upper(): v for k, v in env.items()})
        config.reset()

    def measure(
        self,
        label: str,
        clients: int,
        total: int,
        op: Callable[[int], Any],
        minimum: tuple[float, float] | None = None,
    ) -> Result:
        """Run `op(i)` for i in range(total) on `clients` threads; print and return figures.

        An op that raises counts as an error (its latency is still recorded). `minimum` is the
        (reads, writes + deletes) per call that the design needs; the row shows measured /
        minimum beside it.
        """
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()

        def timed(i: int) -> None:
            nonlocal errors
            started = time.perf_counter()
            failed = False
            try:
                op(i)
            except Exception:
                failed = True
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += failed

        before = self.store.counts.as_dict()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(timed, range(total)))
        seconds = time.perf_counter() - started
        after = self.store.counts.as_dict()
        result = Result(
            label,
            clients,
            total,
            errors,
            seconds,
            sorted(latencies),
            after["reads"] - before["reads"],
            after["writes"] - before["writes"],
            after["deletes"] - before["deletes"],
            minimum,
        )
        print(result.row(), flush=True)
        self.results.append(result)
        return result

    def note(self, text: str) -> None:
        """Print a figure that is not a latency table row (e.g. entries per second)."""
        print(f"  {text}", flush=True)


@contextmanager
def fresh_server() -> Iterator[Bench]:
    """A dev server in this process on a new SQLite file, counting store operations."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        os.environ.update(
            {
                "APP_ENV": "dev",
                "FIREBASE_PROJECT_ID": "demo-bench",
                "STORE_BACKEND": "sqlite",
                "SQLITE_PATH": str(Path(tmp) / "store.sqlite3"),
                "DEV_AUTH_DIR": str(Path(tmp) / "dev_auth"),
                "LOG_LEVEL": "WARNING",
            }
        )
        wiring.reset()
        store = CountingStore(SqliteStore(os.environ["SQLITE_PATH"]))
        wiring.use(store=store)
        kid, key_pem, cert_pem = ensure_dev_key(Path(os.environ["DEV_AUTH_DIR"]))
        signer = TokenSigner(kid, key_pem, cert_pem, project_id="demo-bench")
        try:
            with serve_wsgi(create_app()) as url:
                api = Api(url, signer)
                yield Bench(api, store)
                api.http.close()
        finally:
            wiring.reset()
            os.environ.clear()
            os.environ.update(saved)
