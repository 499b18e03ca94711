"""A stock SOAP client that no one at Weft wrote (python3-zeep) reading usage through the
published AccountingService WSDL.

usage: zeep_accounting.py BASE_URL CERT KEY CA_BUNDLE
Asks getUsage grouped by site and listUsageRecords (limit 5), and prints what it saw as JSON.
A fault prints {"fault": CODE}.
"""
import json
import sys

import requests
from zeep import Client
from zeep.exceptions import Fault
from zeep.transports import Transport


def main():
    base_url, cert, key, ca_bundle = sys.argv[1:5]
    session = requests.Session()
    session.cert = (cert, key)
    session.verify = ca_bundle
    session.trust_env = False
    client = Client(f"{base_url}/wsrf/services/AccountingService?wsdl", transport=Transport(session=session))
    usage = client.service.getUsage(groupBy="site")
    records = client.service.listUsageRecords(limit=5) or []
    try:
        client.service.listUsageRecords(limit=0)
        fault = None
    except Fault as error:
        codes = [node.text for node in error.detail.iter() if str(node.tag).endswith("}code") or node.tag == "code"]
        fault = codes[0] if codes else error.message
    print(json.dumps({
        "scope": usage.scope,
        "sites": [[total.name, total.jobs] for total in usage.total],
        "records": [[record.owner, record.state, record.endedAt.isoformat()] for record in records],
        "fault": fault,
    }))


if __name__ == "__main__":
    main()
