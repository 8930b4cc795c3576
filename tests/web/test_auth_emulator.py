"""The Auth emulator fixture: users signed up over REST are seen by firebase-admin."""

import pytest
from firebase_admin import auth

from shared.firebase import admin_app
from tests.support.auth_emulator import AuthEmulator


def test_firebase_admin_reads_users_the_emulator_signed_up(
    auth_emulator: AuthEmulator, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    uid, token = auth_emulator.sign_up()
    assert token.count(".") == 2
    assert auth.get_user(uid, app=admin_app()).uid == uid
