"""A stock SOAP client (python3-zeep + python3-xmlsec) that authenticates by WS-Security alone.

usage: zeep_signed_client.py BASE_URL CERT KEY CA_BUNDLE
Connects WITHOUT a TLS client certificate; every request carries a wsu:Timestamp and zeep's
BinarySignature (RSA-SHA256, SHA-256 digests, exclusive c14n) over Body and Timestamp. Creates a
job, polls it until it ends, and prints the final status as JSON (owner included).
"""
import json
import sys
import time
from datetime import datetime, timedelta, timezone

import requests
import xmlsec
from zeep import Client
from zeep.transports import Transport
from zeep.wsse.signature import BinarySignature
from zeep.wsse.utils import WSU, ensure_id, get_security_header


def iso(moment):
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Timestamp:
    """zeep signs a wsu:Timestamp only if one is already in the Security header: add it first."""

    def apply(self, envelope, headers):
        now = datetime.now(timezone.utc)
        timestamp = WSU.Timestamp(WSU.Created(iso(now)), WSU.Expires(iso(now + timedelta(minutes=5))))
        ensure_id(timestamp)
        get_security_header(envelope).append(timestamp)
        return envelope, headers

    def verify(self, envelope):
        pass


class RequestSignature(BinarySignature):
    """Signs requests only: Weft's answers are not signed (the server is known by its TLS certificate)."""

    def verify(self, envelope):
        return envelope


class Compose:
    def __init__(self, *parts):
        self.parts = parts

    def apply(self, envelope, headers):
        for part in self.parts:
            envelope, headers = part.apply(envelope, headers)
        return envelope, headers

    def verify(self, envelope):
        for part in self.parts:
            part.verify(envelope)


def main():
    base_url, cert, key, ca_bundle = sys.argv[1:5]
    session = requests.Session()
    session.verify = ca_bundle  # no session.cert: the signature alone says who is calling
    # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override session.verify; the grid's own CA
    # is what must be trusted here, so ignore the environment.
    session.trust_env = False
    transport = Transport(session=session)
    wsse = Compose(
        Timestamp(),
        RequestSignature(
            key, cert, signature_method=xmlsec.Transform.RSA_SHA256, digest_method=xmlsec.Transform.SHA256
        ),
    )

    factory = Client(f"{base_url}/wsrf/services/ManagedJobFactoryService?wsdl", transport=transport, wsse=wsse)
    created = factory.service.createManagedJob(
        jobDescription="&(executable=/bin/echo)(arguments=signed by zeep)"
    )
    job_key = created.managedJobEndpoint.ReferenceParameters.JobKey

    jobs = Client(f"{base_url}/wsrf/services/ManagedJobService?wsdl", transport=transport, wsse=wsse)
    deadline = time.time() + 20
    while True:
        status = jobs.service.getStatus(jobKey=job_key)
        if status.state in ("Done", "Failed") or time.time() > deadline:
            break
        time.sleep(0.1)
    print(json.dumps({"state": status.state, "owner": status.owner, "stdout": status.stdout}))


if __name__ == "__main__":
    main()
