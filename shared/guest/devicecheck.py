"""Apple's DeviceCheck API: two bits per physical device that survive reinstalls.

`POST {base}/v1/query_two_bits` and `/v1/update_two_bits` with a JSON body (`device_token`,
`transaction_id`, `timestamp` in ms, and the bits to set), authorized by an ES256 JWT
(`kid` = key id, `iss` = team id, `iat`) signed with the team's .p8 key. A device whose bits
were never set answers 200 with the text "Failed to find bit state".
"""

import threading
import time
import uuid
from dataclasses import dataclass

import httpx
import jwt

from shared import http, wiring
from shared.errors import AppError
from shared.guest.settings import GuestSettings, settings

# Apple refuses tokens older than an hour; a fresh one every 20 minutes is what it asks for.
_TOKEN_LIFETIME = 20 * 60


@dataclass(frozen=True)
class TwoBits:
    bit0: bool = False
    bit1: bool = False
    last_update_time: str | None = None


class DeviceCheckClient:
    def __init__(self, s: GuestSettings) -> None:
        self._settings = s
        self._http = http.client(
            s.devicecheck_base_url.rstrip("/"), timeout=s.devicecheck_timeout_seconds
        )
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def _authorization(self) -> str:
        with self._lock:
            if self._token is None or time.time() - self._token[1] > _TOKEN_LIFETIME:
                s, issued = self._settings, time.time()
                token = jwt.encode(
                    {"iss": s.devicecheck_team_id, "iat": int(issued)},
                    s.private_key_pem(),
                    algorithm="ES256",
                    headers={"kid": s.devicecheck_key_id},
                )
                self._token = (token, issued)
            return f"Bearer {self._token[0]}"

    def _post(self, path: str, body: dict) -> httpx.Response:
        payload = {
            **body,
            "transaction_id": str(uuid.uuid4()),
            "timestamp": int(time.time() * 1000),
        }
        headers = {"Authorization": self._authorization()}
        try:
            response = http.send_with_retry(
                lambda: self._http.post(path, json=payload, headers=headers),
                self._settings.retry_policy,
            )
        except httpx.TimeoutException as e:
            raise AppError("ERR_5001") from e
        except httpx.TransportError as e:
            raise AppError("ERR_5002") from e
        if response.status_code == 400:
            raise AppError("ERR_4503")  # a malformed or foreign device token
        if response.status_code in (401, 403):
            raise AppError("ERR_6003")  # our key, key id or team id is wrong
        if response.status_code >= 300:
            raise AppError("ERR_5002")
        return response

    def query_two_bits(self, device_token: str) -> TwoBits:
        response = self._post("/v1/query_two_bits", {"device_token": device_token})
        try:
            body = response.json()
        except ValueError:
            return TwoBits()  # "Failed to find bit state": never set for this device
        if not isinstance(body, dict):
            raise AppError("ERR_5002")
        return TwoBits(
            bit0=body.get("bit0") is True,
            bit1=body.get("bit1") is True,
            last_update_time=body.get("last_update_time"),
        )

    def update_two_bits(self, device_token: str, bits: TwoBits) -> None:
        body = {"device_token": device_token, "bit0": bits.bit0, "bit1": bits.bit1}
        self._post("/v1/update_two_bits", body)


def client() -> DeviceCheckClient:
    return wiring.part("devicecheck_client", lambda: DeviceCheckClient(settings()))
