"""incident-process: a company's incident-response guide as executable, tested policy.

The package is one namespace per domain of the guide, each with its own
``__all__``:

- :mod:`~incident_process.policy`: the guide as data (every number and
  table), read from and written to TOML;
- :mod:`~incident_process.vocabulary`: the words every domain shares
  (severities, roles, phases, statuses);
- :mod:`~incident_process.errors`: the one error tree;
- :mod:`~incident_process.timing`: durations and business days;
- :mod:`~incident_process.events`: what happened, one event per command;
- :mod:`~incident_process.lifecycle`: the incident, its state machine and
  rules, what it owes, and its records;
- :mod:`~incident_process.detection`: criteria, alert levels, SLOs,
  severity, scenarios and runbooks;
- :mod:`~incident_process.comms`: messages, channels, stakeholders, the
  external-text linter;
- :mod:`~incident_process.response`: checklists, next steps, the "Do NOT"
  list, decisions, on-call;
- :mod:`~incident_process.postincident`: the report and its checker, the
  review, the quarterly review;
- :mod:`~incident_process.integrations`: Alertmanager, PagerDuty and
  Prometheus in; Slack and Statuspage out;
- :mod:`~incident_process.store`: where a service keeps its incidents
  (SQLite, PostgreSQL); the only namespace that does I/O;
- :mod:`~incident_process.cli`: the ``incident-process`` command.

This module re-exports the names other tools are promised (the contract),
the core a newcomer needs (the policy, the incident, severities, roles,
errors) and the namespaces. The policy, its errors and the vocabulary load
with the package; every other namespace loads on first use, so a tool that
only reads policies pays only for those.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Final

from . import errors, policy, timing, vocabulary
from .errors import (
    CalendarError,
    CommandRefusedError,
    ConflictError,
    DetectionError,
    ExternalTextError,
    IncidentProcessError,
    InvalidEventError,
    MessageError,
    MissingExtraError,
    PayloadError,
    PlaybookError,
    PolicyError,
    Problem,
    RecordError,
    ReplayError,
    ReviewError,
    SampleError,
    SeverityError,
    SignatureError,
    StoreError,
    UnknownIncidentError,
    UnknownMetricError,
)
from .policy import DEFAULT_POLICY, Policy, dump_policy, load_policy, loads_policy
from .timing import BusinessCalendar
from .vocabulary import DetectionSource, Phase, Role, Severity

if TYPE_CHECKING:
    from . import cli, comms, detection, events, integrations, lifecycle, postincident, response, store
    from .comms import (
        Finding,
        channel_name,
        channel_name_for,
        lint_external,
        render_declaration,
        render_resolution,
        render_update,
        slack_escape,
        stakeholders,
    )
    from .detection import AlertLevel, Breach, alert_level, assess, match_scenarios, sustained_breaches
    from .lifecycle import (
        Incident,
        Obligation,
        decode_event,
        dump_record,
        encode_event,
        load_record,
        loads_record,
        upcoming,
    )
    from .postincident import parse_action_items, quarterly_review, render_postmortem, validate_postmortem

__all__ = [
    "DEFAULT_POLICY",
    "AlertLevel",
    "Breach",
    "BusinessCalendar",
    "CalendarError",
    "CommandRefusedError",
    "ConflictError",
    "DetectionError",
    "DetectionSource",
    "ExternalTextError",
    "Finding",
    "Incident",
    "IncidentProcessError",
    "InvalidEventError",
    "MessageError",
    "MissingExtraError",
    "Obligation",
    "PayloadError",
    "Phase",
    "PlaybookError",
    "Policy",
    "PolicyError",
    "Problem",
    "RecordError",
    "ReplayError",
    "ReviewError",
    "Role",
    "SampleError",
    "Severity",
    "SeverityError",
    "SignatureError",
    "StoreError",
    "UnknownIncidentError",
    "UnknownMetricError",
    "alert_level",
    "assess",
    "channel_name",
    "channel_name_for",
    "cli",
    "comms",
    "decode_event",
    "detection",
    "dump_policy",
    "dump_record",
    "encode_event",
    "errors",
    "events",
    "integrations",
    "lifecycle",
    "lint_external",
    "load_policy",
    "load_record",
    "loads_policy",
    "loads_record",
    "match_scenarios",
    "parse_action_items",
    "policy",
    "postincident",
    "quarterly_review",
    "render_declaration",
    "render_postmortem",
    "render_resolution",
    "render_update",
    "response",
    "slack_escape",
    "stakeholders",
    "store",
    "sustained_breaches",
    "timing",
    "upcoming",
    "validate_postmortem",
    "vocabulary",
]

#: The namespaces that load on first use, each with the names this module
#: re-exports from it.
_LAZY: Final[dict[str, tuple[str, ...]]] = {
    "cli": (),
    "comms": (
        "Finding",
        "channel_name",
        "channel_name_for",
        "lint_external",
        "render_declaration",
        "render_resolution",
        "render_update",
        "slack_escape",
        "stakeholders",
    ),
    "detection": ("AlertLevel", "Breach", "alert_level", "assess", "match_scenarios", "sustained_breaches"),
    "events": (),
    "integrations": (),
    "lifecycle": (
        "Incident",
        "Obligation",
        "decode_event",
        "dump_record",
        "encode_event",
        "upcoming",
        "load_record",
        "loads_record",
    ),
    "postincident": ("parse_action_items", "quarterly_review", "render_postmortem", "validate_postmortem"),
    "response": (),
    "store": (),
}
_NAMESPACE_OF: Final = {name: namespace for namespace, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return import_module(f".{name}", __name__)  # importing sets it as this module's attribute
    namespace = _NAMESPACE_OF.get(name)
    if namespace is not None:
        value = getattr(import_module(f".{namespace}", __name__), name)
        globals()[name] = value  # the next look-up is a plain attribute
        return value
    if name == "__version__":
        from importlib.metadata import version

        return version("incident-process")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
