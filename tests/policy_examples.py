"""Example policies that tests in several namespaces share (``tests/`` is on the import path)."""

import attrs

from incident_process import DEFAULT_POLICY
from incident_process.policy import AlertMapping, ComponentMapping, Integrations, StatuspageMapping

#: The guide, with its alerts, its critical endpoint and its status-page components mapped.
MAPPED_POLICY = attrs.evolve(
    DEFAULT_POLICY,
    integrations=Integrations(
        alerts=(
            AlertMapping(alert="HighErrorRate", metric="error_rate"),
            AlertMapping(alert="DatabaseDown", metric="dependency"),
        ),
        critical_endpoints=("checkout",),
        statuspage=StatuspageMapping(
            components=(
                ComponentMapping(endpoint="checkout", component_id="cmp-checkout"),
                ComponentMapping(endpoint="search", component_id="cmp-search"),
            )
        ),
    ),
)
