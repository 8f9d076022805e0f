"""A writer process for the store tests: run as ``python worker.py COMMAND WHERE ...``.

Commands:

``updates WHERE INCIDENT COUNT TAG``
    *COUNT* updates through ``update()``, each with ``at`` taken before the
    call (as a service stamps a request when it arrives) and the idempotency
    key ``TAG:n``.
``webhook WHERE PAYLOAD INCIDENT``
    Apply an Alertmanager or PagerDuty webhook (a file) as a bot does, with
    the store's ``apply_alert`` (a new incident gets the id *INCIDENT*);
    print the incident's id.
``save-loop WHERE``
    Add incidents and save 2,000 events to each at once, for ever: killed in
    the middle by the test.
"""

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store_examples import opened, responding

from incident_process.integrations import parse_alertmanager, parse_pagerduty


def updates(where, incident_id, count, tag):
    with opened(where) as store:
        for number in range(int(count)):
            at = datetime.now(UTC)

            def post(incident, at=at, number=number):
                return incident.post_update(
                    at=at,
                    status="investigating",
                    text=f"{tag} update {number}",
                    by=tag,
                    idempotency_key=f"{tag}:{number}",
                )

            store.update(incident_id, post, attempts=100)


def webhook(where, payload, incident_id):
    body = Path(payload).read_bytes()
    alerts = (parse_pagerduty(body),) if b'"event"' in body else parse_alertmanager(body)
    with opened(where) as store:
        for alert in alerts:
            applied = store.apply_alert(alert, id=incident_id, attempts=100)
            sys.stdout.write(f"{applied.incident.id}\n")


def save_loop(where):
    with opened(where) as store:
        for number in range(1_000_000):
            incident = responding(f"INC-{number:06}")
            store.add(incident)
            for minute in range(2_000):
                incident = incident.post_update(
                    at=incident.events[-1].at + timedelta(seconds=minute), status="mitigating"
                )
            store.save(incident)
            sys.stdout.write(f"saved {number}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"updates": updates, "webhook": webhook, "save-loop": save_loop}[command](*arguments)
