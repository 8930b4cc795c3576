"""`./dev token UID [--claims JSON] [--anonymous]`: print an ID token the dev server accepts."""

import argparse
import json
from pathlib import Path

from shared import config
from shared.dev.keys import ensure_dev_key, sign_id_token


def main() -> None:
    parser = argparse.ArgumentParser(prog="./dev token", description=__doc__)
    parser.add_argument("uid")
    parser.add_argument("--claims", default="{}", help="custom claims, e.g. '{\"admin\": true}'")
    parser.add_argument("--anonymous", action="store_true", help="a guest (anonymous) token")
    parser.add_argument("--lifetime", type=int, default=3600, help="seconds")
    args = parser.parse_args()
    settings = config.platform()
    kid, key_pem, _ = ensure_dev_key(Path(settings.dev_auth_dir))
    claims = json.loads(args.claims)
    if args.anonymous:
        claims["firebase"] = {"identities": {}, "sign_in_provider": "anonymous"}
    print(
        sign_id_token(key_pem, kid, settings.firebase_project_id, args.uid, claims, args.lifetime)
    )


if __name__ == "__main__":
    main()
