"""Key pairs and self-signed certificates for tokens signed locally (dev server and tests)."""

import hashlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def new_signing_key(common_name: str = "dev-token-signer") -> tuple[str, str, str]:
    """(kid, private key PEM, self-signed certificate PEM) for a fresh RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    kid = hashlib.sha1(cert_pem.encode()).hexdigest()
    return kid, key_pem, cert_pem


def ensure_dev_key(directory: Path) -> tuple[str, str, str]:
    """The dev signing key kept under `directory`, created on first use."""
    key_file, cert_file = directory / "key.pem", directory / "cert.pem"
    if not key_file.exists() or not cert_file.exists():
        directory.mkdir(parents=True, exist_ok=True)
        _, key_pem, cert_pem = new_signing_key()
        key_file.write_text(key_pem)
        key_file.chmod(0o600)
        cert_file.write_text(cert_pem)
    cert_pem = cert_file.read_text()
    return hashlib.sha1(cert_pem.encode()).hexdigest(), key_file.read_text(), cert_pem


def sign_id_token(
    private_key_pem: str,
    kid: str,
    project_id: str,
    uid: str,
    claims: dict[str, Any] | None = None,
    lifetime: int = 3600,
    now: float | None = None,
) -> str:
    """A Firebase-shaped ID token (RS256) for `uid` with extra custom `claims`."""
    issued = int(now if now is not None else time.time())
    payload = {
        "iss": f"https://securetoken.google.com/{project_id}",
        "aud": project_id,
        "auth_time": issued,
        "user_id": uid,
        "sub": uid,
        "iat": issued,
        "exp": issued + lifetime,
        "firebase": {"identities": {}, "sign_in_provider": "custom"},
        **(claims or {}),
    }
    return jwt.encode(payload, private_key_pem, algorithm="RS256", headers={"kid": kid})
