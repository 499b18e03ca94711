"""A stock SOAP client (python3-zeep, from the published WSDL) submitting a JSDL 1.0 document.

usage: zeep_jsdl_client.py BASE_URL CERT KEY CA_BUNDLE JSDL_FILE
Creates the job with the JSDL text as its jobDescription, polls until it ends, prints JSON.
"""
import json
import sys
import time

import requests
from zeep import Client
from zeep.transports import Transport


def main():
    base_url, cert, key, ca_bundle, jsdl_file = sys.argv[1:6]
    session = requests.Session()
    session.cert = (cert, key)
    session.verify = ca_bundle
    session.trust_env = False  # the grid's own CA is what must be trusted here
    transport = Transport(session=session)
    with open(jsdl_file, encoding="utf-8") as handle:
        jsdl = handle.read()
    factory = Client(f"{base_url}/wsrf/services/ManagedJobFactoryService?wsdl", transport=transport)
    created = factory.service.createManagedJob(jobDescription=jsdl)
    job_key = created.managedJobEndpoint.ReferenceParameters.JobKey
    jobs = Client(f"{base_url}/wsrf/services/ManagedJobService?wsdl", transport=transport)
    deadline = time.time() + 20
    while True:
        status = jobs.service.getStatus(jobKey=job_key)
        if status.state in ("Done", "Failed") or time.time() > deadline:
            break
        time.sleep(0.1)
    print(json.dumps({"state": status.state, "site": status.site, "stdout": status.stdout}))


if __name__ == "__main__":
    main()
