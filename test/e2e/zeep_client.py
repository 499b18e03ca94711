"""A stock SOAP client that no one at Weft wrote (python3-zeep) using the published WSDL.

usage: zeep_client.py BASE_URL CERT KEY CA_BUNDLE
Creates a job from RSL, polls its status until it ends, lists the sites through the
IndexService, and prints what it saw as JSON.
"""
import json
import sys
import time

import requests
from zeep import Client
from zeep.transports import Transport


def main():
    base_url, cert, key, ca_bundle = sys.argv[1:5]
    session = requests.Session()
    session.cert = (cert, key)
    session.verify = ca_bundle
    # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override session.verify; the grid's own CA
    # is what must be trusted here, so ignore the environment.
    session.trust_env = False
    transport = Transport(session=session)

    factory = Client(f"{base_url}/wsrf/services/ManagedJobFactoryService?wsdl", transport=transport)
    created = factory.service.createManagedJob(
        jobDescription="&(executable=/bin/echo)(arguments=hello from zeep)"
    )
    job_key = created.managedJobEndpoint.ReferenceParameters.JobKey

    jobs = Client(f"{base_url}/wsrf/services/ManagedJobService?wsdl", transport=transport)
    deadline = time.time() + 20
    while True:
        status = jobs.service.getStatus(jobKey=job_key)
        if status.state in ("Done", "Failed") or time.time() > deadline:
            break
        time.sleep(0.1)
    index = Client(f"{base_url}/wsrf/services/IndexService?wsdl", transport=transport)
    sites = index.service.querySites(filter="(objectClass=MdsHost)") or []
    print(json.dumps({
        "sites": sorted(site.name for site in sites),
        "address": created.managedJobEndpoint.Address,
        "jobContact": created.jobContact,
        "state": status.state,
        "exitCode": status.exitCode,
        "stdout": status.stdout,
        "history": [entry.state for entry in status.history.entry],
    }))


if __name__ == "__main__":
    main()
