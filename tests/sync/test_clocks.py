"""Vector clocks and the conflict rule, as pure functions."""

import itertools
import random
from datetime import timedelta

from shared.sync.clocks import Order, Version, compare, decide, merge
from tests.sync.helpers import T0


def version(text, clock, device="a", minutes=0, deleted=False) -> Version:
    return Version(
        "e1", None if deleted else text, deleted, clock, T0 + timedelta(minutes=minutes), device
    )


def test_compare_orders_clocks_with_absent_counters_as_zero():
    assert compare({"a": 1}, {"a": 1}) == Order.EQUAL
    assert compare({"a": 2}, {"a": 1}) == Order.AFTER
    assert compare({"a": 1}, {"a": 1, "b": 1}) == Order.BEFORE
    assert compare({"a": 2}, {"a": 1, "b": 1}) == Order.CONCURRENT
    assert merge({"a": 2}, {"a": 1, "b": 3}) == {"a": 2, "b": 3}


def test_a_dominating_version_is_accepted_and_a_dominated_one_is_stale():
    stored = version("x", {"a": 1})
    assert decide(stored, version("y", {"a": 2})).status == "accepted"
    assert decide(stored, version("y", {"a": 1})).status == "stale"
    assert decide(version("x", {"a": 3}), version("y", {"a": 2})).status == "stale"
    assert decide(None, version("y", {"a": 1})).write == version("y", {"a": 1})


def test_resending_the_stored_version_is_an_accepted_no_op():
    stored = version("x", {"a": 2, "b": 1})
    for sent in (version("x", {"a": 2, "b": 1}), version("x", {"a": 2})):
        decision = decide(stored, sent)
        assert (decision.status, decision.duplicate, decision.write) == ("accepted", True, None)


def test_concurrent_versions_resolve_the_same_way_whichever_is_stored():
    rng = random.Random(7)
    for _ in range(500):
        a = version(
            rng.choice("pq"),
            {"a": rng.randint(1, 3), "b": rng.randint(0, 2)},
            "a",
            rng.randint(0, 2),
            rng.random() < 0.2,
        )
        b = version(
            rng.choice("pq"),
            {"a": rng.randint(0, 2), "b": rng.randint(1, 3)},
            "b",
            rng.randint(0, 2),
            rng.random() < 0.2,
        )
        if compare(a.clock, b.clock) != Order.CONCURRENT:
            continue
        one, two = decide(a, b), decide(b, a)
        assert one.status == two.status == "conflict"
        assert one.write == two.write  # same content and the merged clock
        assert one.write.clock == merge(a.clock, b.clock)
        assert one.loser == two.loser


def test_last_writer_wins_by_updated_at_then_device_id():
    later = version("late", {"a": 1}, "a", minutes=5)
    earlier = version("early", {"b": 1}, "z", minutes=1)
    assert decide(later, earlier).winner == "stored"
    assert decide(earlier, later).winner == "incoming"
    tie_a, tie_b = version("1", {"a": 1}, "a"), version("2", {"b": 1}, "b")
    for first, second in itertools.permutations([tie_a, tie_b]):
        assert decide(first, second).write.ciphertext == "2"
