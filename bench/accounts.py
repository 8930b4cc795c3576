"""Account deletion: users with 1,000 sync entries, 3 devices and entitlements deleted over
HTTP (batches of 400 deletes), and the cost of a repeated deletion (one read, nothing more)."""

from bench.harness import Bench, scenario
from shared import collections, wiring

USERS = 12
ENTRIES = 1000


def _seed(uid: str) -> None:
    store = wiring.store()
    for start in range(0, ENTRIES, 400):
        batch = store.batch()
        for i in range(start, min(start + 400, ENTRIES)):
            batch.set(f"{collections.sync_entries(uid)}/e{i}", {"seq": i, "deleted": False})
        batch.commit()
    batch = store.batch()
    for device in ("phone", "tablet", "desktop"):
        batch.set(f"{collections.devices(uid)}/{device}", {"name": device})
    batch.set(f"{collections.entitlements(uid)}/sync", {"addOn": "sync"})
    batch.set(f"{collections.SYNC_STATE}/{uid}", {"seq": ENTRIES})
    batch.commit()


@scenario("accounts")
def run(bench: Bench) -> None:
    uids = [f"bench_delete_{i}" for i in range(USERS)]
    for uid in uids:
        _seed(uid)
    tokens = [bench.api.token(uid) for uid in uids]

    def delete(i: int) -> None:
        bench.api.result("delete_account", {"confirm": True}, token=tokens[i])

    bench.measure(f"delete_account ({ENTRIES} entries each)", clients=4, total=USERS, op=delete)
    bench.measure("delete_account again (stored answer)", clients=4, total=USERS, op=delete)
