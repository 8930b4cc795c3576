"""Google's certificate endpoint is fetched once per max-age, and again for an unknown kid."""

import json

from werkzeug.wrappers import Request, Response

from shared.web.auth import HttpCertSource, TokenVerifier
from tests.support.servers import serve_wsgi
from tests.support.tokens import PROJECT_ID, new_signer


class CertEndpoint:
    def __init__(self, *signers) -> None:
        self.signers = list(signers)
        self.hits = 0

    @Request.application
    def __call__(self, request: Request) -> Response:
        self.hits += 1
        body = json.dumps({s.kid: s.cert_pem for s in self.signers})
        return Response(body, mimetype="application/json", headers={"Cache-Control": "max-age=600"})


def test_certificates_are_cached_for_max_age_and_refreshed_on_rotation():
    old, new = new_signer(), new_signer()
    endpoint = CertEndpoint(old)
    with serve_wsgi(endpoint) as url:
        verifier = TokenVerifier(PROJECT_ID, HttpCertSource(url), leeway=5)
        for _ in range(5):
            assert verifier.verify(old.token("alice")).uid == "alice"
        assert endpoint.hits == 1
        endpoint.signers.append(new)  # Google rotates in a new key
        assert verifier.verify(new.token("bob")).uid == "bob"
        assert endpoint.hits == 2
