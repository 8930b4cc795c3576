"""Devices and the relay end to end over HTTP on the dev server."""

import base64
import os

from tests.support.store import all_documents

UID = "maya"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def register(api, device_id: str, uid: str = UID, **capabilities) -> dict:
    data = {"deviceId": device_id, "name": device_id, "platform": "macos"}
    if capabilities:
        data["capabilities"] = capabilities
    return api.result("device_register", data, uid=uid)


def test_register_list_rename_heartbeat_and_remove(api, clock):
    first = register(api, "desktop", canRunInference=True, models=["llama-3-8b"])
    assert first["online"] and first["capabilities"]["models"] == ["llama-3-8b"]
    assert (
        register(api, "desktop", canRunInference=True, models=["llama-3-8b"])["registeredAt"]
        == (first["registeredAt"])
    )
    register(api, "phone")
    able = api.result("device_list", {"canRunInference": True}, uid=UID)["devices"]
    assert [d["deviceId"] for d in able] == ["desktop"]
    renamed = api.result("device_rename", {"deviceId": "phone", "name": "Pixel"}, uid=UID)
    assert renamed["name"] == "Pixel"
    clock.advance(seconds=61)
    api.result("device_heartbeat", {"deviceId": "desktop"}, uid=UID)
    online = api.result("device_list", {"onlineOnly": True}, uid=UID)["devices"]
    assert [d["deviceId"] for d in online] == ["desktop"]
    assert api.result("device_remove", {"deviceId": "phone"}, uid=UID)["removed"]
    assert api.error("device_rename", {"deviceId": "phone", "name": "x"}, uid=UID)[:2] == (
        404,
        "ERR_4410",
    )


def test_the_relay_flow_over_http(api, clock):
    register(api, "phone")
    register(api, "desktop", canRunInference=True, models=["llama"])
    request = {
        "ciphertext": b64(b"prompt"),
        "nonce": b64(os.urandom(24)),
        "mac": b64(os.urandom(16)),
    }
    created = api.result(
        "relay_create", {"sourceDeviceId": "phone", "targetDeviceId": "desktop", **request}, uid=UID
    )
    relay_id = created["relayId"]
    claimed = api.result("relay_poll", {"deviceId": "desktop"}, uid=UID)["requests"]
    assert [(r["relayId"], r["ciphertext"]) for r in claimed] == [(relay_id, request["ciphertext"])]
    assert api.result("relay_poll", {"deviceId": "desktop"}, uid=UID)["requests"] == []
    response = {
        "ciphertext": b64(b"answer"),
        "nonce": b64(os.urandom(24)),
        "mac": b64(os.urandom(16)),
    }
    api.result("relay_respond", {"deviceId": "desktop", "relayId": relay_id, **response}, uid=UID)
    status = api.result("relay_status", {"deviceId": "phone", "relayId": relay_id}, uid=UID)
    assert status["status"] == "done" and status["response"] == response
    # The nonce cannot be used again, and nobody else can read the relay.
    again = {
        "sourceDeviceId": "phone",
        "targetDeviceId": "desktop",
        **request,
        "ciphertext": b64(b"x"),
    }
    assert api.error("relay_create", again, uid=UID)[:2] == (409, "ERR_4422")
    register(api, "other-phone", uid="ned")
    assert api.error("relay_status", {"deviceId": "other-phone", "relayId": relay_id}, uid="ned")[
        :2
    ] == (404, "ERR_4420")


def test_relay_bad_input_over_http_writes_nothing(api, clock, store):
    register(api, "phone")
    register(api, "desktop")
    before = all_documents(store)
    base = {"sourceDeviceId": "phone", "targetDeviceId": "desktop", "mac": b64(os.urandom(16))}
    cases = [
        ({**base, "ciphertext": "not base64", "nonce": b64(os.urandom(24))}, 400, "ERR_4403"),
        ({**base, "ciphertext": b64(b"x"), "nonce": b64(b"tiny")}, 400, "ERR_4426"),
        (
            {
                **base,
                "targetDeviceId": "nope",
                "ciphertext": b64(b"x"),
                "nonce": b64(os.urandom(24)),
            },
            404,
            "ERR_4410",
        ),
    ]
    for data, status, code in cases:
        assert api.error("relay_create", data, uid=UID)[:2] == (status, code)
    clock.advance(seconds=61)
    offline = {**base, "ciphertext": b64(b"x"), "nonce": b64(os.urandom(24))}
    assert api.error("relay_create", offline, uid=UID)[:2] == (400, "ERR_4421")
    assert all_documents(store) == before


def test_device_list_shows_each_devices_sign_in_and_last_seen(api, clock):
    import time

    phone_sign_in = int(time.time()) - 3600
    token = api.signer.token(UID, {"auth_time": phone_sign_in})
    data = {"deviceId": "phone", "name": "phone", "platform": "ios"}
    api.result("device_register", data, token=token)
    register(api, "desktop")
    clock.advance(seconds=30)
    api.result("device_heartbeat", {"deviceId": "desktop"}, uid=UID)
    devices = {d["deviceId"]: d for d in api.result("device_list", None, uid=UID)["devices"]}
    assert devices["phone"]["signedInAt"].startswith(
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(phone_sign_in))
    )
    assert devices["desktop"]["signedInAt"] > devices["phone"]["signedInAt"]
    assert devices["desktop"]["lastSeenAt"] > devices["phone"]["lastSeenAt"]
