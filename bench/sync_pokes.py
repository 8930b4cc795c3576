"""Pokes and the integrity check: what a poke adds to sync_push (store operations and latency,
with pokes off and on against a local FCM v1 stand-in), and sync_check entries per second."""

import json
import time

from bench.harness import Bench, scenario
from bench.sync import _entry, _register, entitle
from shared.dev.servers import serve_wsgi
from shared.devices.models import RegisterDevice
from shared.devices.registry import register_device
from shared.sync.check import range_digest
from tests.purchases.play_fakes import ServiceAccount
from tests.sync.fcm_standin import FcmServer

PUSHES = 200


@scenario("sync_pokes")
def sync_pokes(bench: Bench) -> None:
    token = entitle(bench, "bench-pokes")
    _register(bench, token, "phone")
    for device in ("laptop", "tablet"):
        register_device(
            "bench-pokes",
            RegisterDevice(device_id=device, name=device, platform="android", fcm_token=device),
        )
    fcm = FcmServer(ServiceAccount.new())
    with serve_wsgi(fcm) as url:
        bench.configure(
            fcm_api_base_url=url,
            fcm_service_account_json=json.dumps(fcm.account.info(f"{url}/token")),
            sync_poke_coalesce_seconds="0",  # every push pokes: the cost of one poke each
        )

        def push(tag: str):
            def op(i: int) -> None:
                data = {"deviceId": "phone", "entries": [_entry(f"{tag}-{i}", "phone")]}
                bench.api.result("sync_push", data, token=token)

            return op

        bench.configure(sync_pokes="off")
        off = bench.measure("sync_push 1 entry, pokes off", 1, PUSHES, push("off"))
        bench.configure(sync_pokes="fcm")
        on = bench.measure("sync_push 1 entry, 2 pokes each", 1, PUSHES, push("on"))
        assert len(fcm.messages) == 2 * PUSHES
        bench.note(
            f"a poke per push adds {(on.reads - off.reads) / PUSHES:.2f} reads, "
            f"{(on.writes - off.writes) / PUSHES:.2f} writes, p50 "
            f"{on.percentile(50) - off.percentile(50):+.2f} ms (2 FCM requests each)"
        )
        bench.configure(sync_poke_coalesce_seconds="5")
        time.sleep(5.1)  # a quiet window: the burst's first push sends
        fcm.messages.clear()
        burst = bench.measure("sync_push 1 entry, coalesced", 1, PUSHES, push("burst"))
        bench.note(
            f"coalesced burst of {PUSHES}: {len(fcm.messages)} FCM messages, "
            f"{(burst.reads - off.reads) / PUSHES:+.2f} reads/push vs off"
        )


@scenario("sync_check")
def sync_check(bench: Bench) -> None:
    total = 10_000
    token = entitle(bench, "bench-check")
    _register(bench, token, "phone")
    ids = sorted(f"e{i:05d}" for i in range(total))
    for start in range(0, total, 500):
        data = {
            "deviceId": "phone",
            "entries": [_entry(i, "phone") for i in ids[start : start + 500]],
        }
        bench.api.result("sync_push", data, token=token)
    chunks = [ids[s : s + 100] for s in range(0, total, 100)]
    ranges = [
        {
            "upTo": c[-1] if k < len(chunks) - 1 else None,
            "digest": range_digest([(i, 1) for i in c]),
        }
        for k, c in enumerate(chunks)
    ]
    listing = [{"upTo": None, "entries": [{"id": i, "version": 1} for i in ids[-1000:]]}]

    def by_digest(_: int) -> None:
        after, pending = None, ranges
        while pending:
            data = {"deviceId": "phone", "after": after, "ranges": pending[:500]}
            answer = bench.api.result("sync_check", data, token=token)
            after, pending = answer["checkedUpTo"], pending[len(answer["ranges"]) :]

    def by_listing(_: int) -> None:
        data = {"deviceId": "phone", "after": ids[-1001], "ranges": listing}
        bench.api.result("sync_check", data, token=token)

    digests = bench.measure(f"sync_check {total} entries by digests", 1, 5, by_digest)
    bench.note(
        f"digests: {5 * total / digests.seconds:,.0f} entries/s, "
        f"{digests.reads / (5 * total):.2f} reads per entry"
    )
    listed = bench.measure("sync_check 1,000 entries listed", 1, 20, by_listing)
    bench.note(f"listings: {20 * 1000 / listed.seconds:,.0f} entries/s")
