"""The device registry on the SQLite store: idempotent registration, the per-user maximum,
capabilities, heartbeats and online computed when read."""

from concurrent.futures import ThreadPoolExecutor

from shared.devices.models import (
    Capabilities,
    DeviceRef,
    Heartbeat,
    ListDevices,
    RegisterDevice,
    RenameDevice,
)
from shared.devices.registry import (
    heartbeat_device,
    list_devices,
    register_device,
    registry_path,
    remove_device,
    rename_device,
)
from shared.errors import AppError
from tests.support.store import assert_refused
from tests.sync.helpers import configure

UID = "gina"


def register(device_id: str, uid: str = UID, **capabilities):
    request = RegisterDevice(
        device_id=device_id,
        name=f"{device_id} name",
        platform="android",
        capabilities=Capabilities(**capabilities),
    )
    return register_device(uid, request)


def test_registration_is_idempotent_per_device_id(store, clock):
    first = register("phone")
    clock.advance(seconds=5)
    again = register("phone", can_run_inference=True, models=["llama-3-8b"])
    assert again.registered_at == first.registered_at
    assert again.capabilities.models == ["llama-3-8b"]
    assert [d.device_id for d in list_devices(UID, ListDevices()).devices] == ["phone"]
    assert store.get(registry_path(UID)) == {"count": 1}


def test_the_maximum_per_user_is_enforced_and_removal_frees_a_slot(store, clock, monkeypatch):
    configure(monkeypatch, devices_max_per_user="2")
    register("a")
    register("b")
    assert_refused(store, "ERR_4411", lambda: register("c"))
    register("a")  # re-registering an existing device is always fine
    remove_device(UID, DeviceRef(device_id="a"))
    register("c")
    assert {d.device_id for d in list_devices(UID, ListDevices()).devices} == {"b", "c"}


def test_concurrent_registrations_never_exceed_the_maximum(store, clock, monkeypatch):
    configure(monkeypatch, devices_max_per_user="3")

    def attempt(i: int) -> bool:
        try:
            register(f"d{i}")
            return True
        except AppError:
            return False

    with ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(attempt, range(12)))
    assert accepted == 3
    assert len(list_devices(UID, ListDevices()).devices) == 3
    assert store.get(registry_path(UID)) == {"count": 3}


def test_rename_and_remove(store, clock):
    register("phone")
    assert rename_device(UID, RenameDevice(device_id="phone", name="Work phone")).name == (
        "Work phone"
    )
    assert list_devices(UID, ListDevices()).devices[0].name == "Work phone"
    assert remove_device(UID, DeviceRef(device_id="phone")).removed
    assert list_devices(UID, ListDevices()).devices == []
    assert store.get(registry_path(UID)) == {"count": 0}


def test_online_is_computed_from_the_last_heartbeat_when_read(store, clock):
    register("phone")
    register("laptop")
    clock.advance(seconds=61)
    assert not any(d.online for d in list_devices(UID, ListDevices()).devices)
    ack = heartbeat_device(UID, Heartbeat(device_id="laptop"))
    assert ack.online and ack.last_seen_at == clock()
    online = list_devices(UID, ListDevices(online_only=True)).devices
    assert [d.device_id for d in online] == ["laptop"]
    clock.advance(seconds=60)
    assert list_devices(UID, ListDevices(online_only=True)).devices[0].online  # 60 s: still
    clock.advance(seconds=1)
    assert list_devices(UID, ListDevices(online_only=True)).devices == []


def test_devices_able_to_run_inference_are_listed_with_their_models(store, clock):
    register("phone")
    register("desktop", can_run_inference=True, models=["llama-3-8b", "whisper-small"])
    heartbeat_device(
        UID,
        Heartbeat(
            device_id="phone", capabilities=Capabilities(can_run_inference=True, models=["tiny"])
        ),
    )
    register("tablet")
    able = list_devices(UID, ListDevices(can_run_inference=True)).devices
    assert {d.device_id: d.capabilities.models for d in able} == {
        "desktop": ["llama-3-8b", "whisper-small"],
        "phone": ["tiny"],
    }
    assert [
        d.device_id for d in list_devices(UID, ListDevices(can_run_inference=False)).devices
    ] == ["tablet"]


def test_unknown_and_other_users_devices_are_not_found(store, clock):
    register("theirs", uid="henry")
    for call in (
        lambda: rename_device(UID, RenameDevice(device_id="theirs", name="mine now")),
        lambda: remove_device(UID, DeviceRef(device_id="theirs")),
        lambda: heartbeat_device(UID, Heartbeat(device_id="theirs")),
        lambda: remove_device(UID, DeviceRef(device_id="never")),
    ):
        assert_refused(store, "ERR_4410", call)
    assert list_devices(UID, ListDevices()).devices == []
