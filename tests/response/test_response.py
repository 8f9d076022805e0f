"""The response playbook: checklists, next steps, the "Do NOT" list, escalation."""

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    DEFAULT_POLICY,
    CalendarError,
    CommandRefusedError,
    Incident,
    Phase,
    PlaybookError,
    Role,
    Severity,
)
from incident_process.response import RESPONSE_RULES, Stage, checklist, next_steps, response_findings

T0 = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def enforcing(declaration=True, resolution=True):
    return attrs.evolve(
        DEFAULT_POLICY,
        declaration=attrs.evolve(DEFAULT_POLICY.declaration, enforce_checklist=declaration),
        resolution=attrs.evolve(DEFAULT_POLICY.resolution, enforce_checklist=resolution),
    )


def detected(policy=DEFAULT_POLICY, source="automated_alert"):
    return Incident.detect(id="INC-1", title="Checkout errors", source=source, at=T0, policy=policy)


def declared(severity="SEV2", policy=DEFAULT_POLICY):
    incident = detected(policy).acknowledge(at=at(1), by="ana")
    return incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity=severity)


def responding(severity="SEV2", policy=DEFAULT_POLICY):
    return declared(severity, policy).start_response(at=at(3))


def all_declaration_steps(incident, minute=3):
    for step in ("confirm_criteria", "create_channel", "notify_stakeholders"):
        incident = incident.complete_step("declaration", step, at=at(minute), by="ana")
    return incident.post_update(at=at(minute), status="investigating", audience="status_page")


def resolved(severity="SEV2", policy=DEFAULT_POLICY):
    incident = all_declaration_steps(responding(severity, policy))
    incident = incident.record_action("api_gateway.rollback", at=at(5), by="bo")
    incident = incident.post_update(at=at(10), status="mitigating")
    incident = incident.post_update(at=at(35), status="mitigating")
    return incident.resolve(at=at(55), last_error_at=at(20))


def done(incident, name):
    return {item.step.id for item in checklist(incident, name).items if item.done}


# --- the guide's checklists, row by row ------------------------------------------------------

DECLARATION_ROWS = [
    ("confirm_criteria", "Confirm incident criteria are met"),
    ("assign_severity", "Assign initial severity level"),
    ("create_channel", "Create incident channel: #incident-YYYY-MM-DD-brief-name"),
    ("page_on_call", "Page on-call if not already engaged"),
    ("post_status_page", "Post initial status to status page"),
    ("notify_stakeholders", "Notify stakeholders via @incident-notify Slack group"),
]
RESOLUTION_ROWS = [
    ("confirm_metrics_stable", "Confirm metrics are stable"),
    ("communicate_resolution", "Communicate resolution to stakeholders"),
    ("status_page_resolved", 'Update status page to "Resolved"'),
    ("archive_channel", "Close incident channel (archive after 24h)"),
    ("schedule_review", "Schedule post-incident review"),
]


@pytest.mark.parametrize(("position", "row"), list(enumerate(DECLARATION_ROWS)))
def test_the_declaration_checklist_is_the_guides(position, row):
    """Each declaration step is the guide's row, in the guide's order, due before resolving."""
    step = DEFAULT_POLICY.declaration.checklist[position]
    assert (step.id, step.text) == row
    assert step.before == "resolve"


@pytest.mark.parametrize(("position", "row"), list(enumerate(RESOLUTION_ROWS)))
def test_the_resolution_checklist_is_the_guides(position, row):
    """Each resolution step is the guide's row, in the guide's order."""
    step = DEFAULT_POLICY.resolution.checklist[position]
    assert (step.id, step.text) == row


def test_the_guides_checklists_are_reported_by_default_not_enforced():
    """By default neither checklist is enforced: open steps are reported, never refused."""
    assert DEFAULT_POLICY.declaration.enforce_checklist is False
    assert DEFAULT_POLICY.resolution.enforce_checklist is False


# --- each step: open, then done by its event (or by completing it) -----------------------------

DERIVED = [
    (
        "declaration",
        "assign_severity",
        lambda i: i.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity=2),
    ),
    ("declaration", "page_on_call", lambda i: i.acknowledge(at=at(1), by="ana")),
    (
        "declaration",
        "post_status_page",
        lambda i: i.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity=2).post_update(
            at=at(3), status="investigating", audience="status_page"
        ),
    ),
]


@pytest.mark.parametrize(("name", "step", "command"), DERIVED)
def test_a_declaration_step_is_done_by_its_event(name, step, command):
    """Assigning severity, paging and posting the status page are done by the event that does them."""
    incident = detected()
    assert step not in done(incident, name)
    incident = command(incident)
    [item] = [item for item in checklist(incident, name).items if item.step.id == step]
    assert item.done
    assert item.event_id == incident.events[-1].id


def test_an_internal_update_does_not_post_the_status_page():
    """An internal update does not post the initial status to the status page."""
    incident = declared().post_update(at=at(3), status="investigating")
    assert "post_status_page" not in done(incident, "declaration")


@pytest.mark.parametrize("step", ["confirm_criteria", "create_channel", "notify_stakeholders"])
def test_a_manual_step_is_done_when_completed(step):
    """A step no event does is done when completed, recording when, by whom and the event."""
    incident = declared()
    assert step not in done(incident, "declaration")
    incident = incident.complete_step("declaration", step, at=at(3), by="bo", note="done")
    [item] = [item for item in checklist(incident, "declaration").items if item.step.id == step]
    assert (item.done_at, item.done_by, item.event_id) == (at(3), "bo", incident.events[-1].id)


RESOLUTION_DERIVED = [
    ("confirm_metrics_stable", lambda i: i),
    ("communicate_resolution", lambda i: i.post_update(at=at(61), status="resolved")),
    ("status_page_resolved", lambda i: i.post_update(at=at(61), status="resolved", audience="status_page")),
    ("archive_channel", lambda i: i.archive_channel(at=at(61))),
    ("schedule_review", lambda i: i.start_post_incident(at=at(61))),
]


@pytest.mark.parametrize(("step", "command"), RESOLUTION_DERIVED)
def test_a_resolution_step_is_done_by_its_event(step, command):
    """Each resolution step is done by its event; resolving itself confirms the metrics are stable."""
    before = resolved()
    incident = command(before)
    assert step in done(incident, "resolution")
    if step != "confirm_metrics_stable":  # the resolution itself confirms the metrics
        assert step not in done(before, "resolution")


def test_the_wrong_audience_does_not_complete_a_step():
    """A resolved update to the status page does not communicate the resolution to stakeholders."""
    incident = resolved().post_update(at=at(61), status="resolved", audience="status_page")
    assert "communicate_resolution" not in done(incident, "resolution")


def test_scheduling_the_review_does_not_apply_to_a_sev3():
    """A SEV3 needs no review: that step does not apply, is never open, and cannot be completed."""
    incident = resolved("SEV3")
    [item] = [item for item in checklist(incident, "resolution").items if item.step.id == "schedule_review"]
    assert not item.applies
    assert item not in checklist(incident, "resolution").open
    with pytest.raises(CommandRefusedError, match="does not apply to a SEV3 incident"):
        incident.complete_step("resolution", "schedule_review", at=at(61), by="ana")


def test_a_reopened_incident_starts_the_resolution_checklist_again():
    """Reopening starts the resolution checklist again, but an archived channel stays archived."""
    incident = resolved().post_update(at=at(61), status="resolved").archive_channel(at=at(62))
    assert {"communicate_resolution", "archive_channel"} <= done(incident, "resolution")
    incident = incident.reopen(at=at(63), reason="errors are back")
    assert done(incident, "resolution") == {"archive_channel"}  # a channel is archived once
    assert "create_channel" in done(incident, "declaration")


@pytest.mark.parametrize(
    ("name", "step", "rule", "reason"),
    [
        ("triage", "x", "checklist.known_step", "unknown checklist 'triage'"),
        (
            "declaration",
            "open_channel",
            "checklist.known_step",
            "the declaration checklist has no step 'open_channel'",
        ),
        (
            "declaration",
            "assign_severity",
            "checklist.step_once",
            "declaration.assign_severity was done already",
        ),
        ("declaration", "page_on_call", "checklist.step_once", "was done already (INC-1:2)"),
    ],
)
def test_completing_a_step_that_is_not_open_is_refused(name, step, rule, reason):
    """Completing an unknown checklist or step, or a step already done, is refused under its rule."""
    incident = declared()
    with pytest.raises(CommandRefusedError) as refused:
        incident.complete_step(name, step, at=at(3), by="ana")
    assert refused.value.rule == rule
    assert reason in refused.value.reason


def test_a_step_completed_twice_is_refused_and_changes_nothing():
    """A step completed twice is refused, and the incident is left as it was."""
    incident = declared().complete_step("declaration", "create_channel", at=at(3), by="ana")
    with pytest.raises(CommandRefusedError, match=r"checklist\.step_once"):
        incident.complete_step("declaration", "create_channel", at=at(4), by="bo")
    assert incident.version == 4


def test_a_step_needs_who_did_it():
    """Completing a step needs who did it: blank text is refused."""
    with pytest.raises(CommandRefusedError, match=r"ChecklistStepCompleted\.by: expected non-empty text"):
        declared().complete_step("declaration", "create_channel", at=at(3), by=" ")


def test_an_unknown_checklist_is_named():
    """Asking for a checklist other than declaration or resolution names the two there are."""
    with pytest.raises(PlaybookError, match="checklist: expected one of 'declaration', 'resolution'"):
        checklist(declared(), "triage")


def test_a_dismissed_incident_completes_no_step():
    """A dismissed incident takes no more commands, so it completes no step."""
    incident = detected().dismiss(at=at(1), reason="false_alarm")
    with pytest.raises(CommandRefusedError, match="takes no more commands"):
        incident.complete_step("declaration", "confirm_criteria", at=at(2), by="ana")


# --- enforcement, per the policy -----------------------------------------------------------------


def test_an_enforcing_policy_refuses_to_resolve_with_declaration_steps_open():
    """Enforced, open declaration steps block resolving, each named; once done, the incident resolves."""
    incident = responding(policy=enforcing()).record_action("x", at=at(4), by="bo")
    with pytest.raises(CommandRefusedError) as refused:
        incident.resolve(at=at(40), last_error_at=at(20))
    assert refused.value.rule == "checklist.required_steps"
    assert refused.value.reason == (
        "checklist steps required before resolve are open: declaration.confirm_criteria "
        "(Confirm incident criteria are met); declaration.create_channel (Create incident channel: "
        "#incident-YYYY-MM-DD-brief-name); declaration.post_status_page (Post initial status to status "
        "page); declaration.notify_stakeholders (Notify stakeholders via @incident-notify Slack group)"
    )
    finished = all_declaration_steps(incident, minute=5)
    assert finished.resolve(at=at(40), last_error_at=at(20)).phase is Phase.RESOLVED


def test_an_enforcing_policy_refuses_to_close_with_resolution_steps_open():
    """Enforced, open resolution steps block closing; archiving the channel is not required first."""
    incident = resolved(policy=enforcing()).start_post_incident(at=at(61))
    with pytest.raises(
        CommandRefusedError, match=r"before close are open: resolution\.communicate_resolution"
    ):
        incident.close(at=at(70))
    incident = incident.post_update(at=at(62), status="resolved").post_update(
        at=at(62), status="resolved", audience="status_page"
    )
    assert incident.close(at=at(70)).phase is Phase.CLOSED  # archiving may come after closing


def test_enforcement_is_per_checklist():
    """Each checklist is enforced on its own: a lax declaration checklist never blocks resolving."""
    incident = resolved(policy=enforcing(declaration=False, resolution=True))
    assert incident.phase is Phase.RESOLVED
    lax = responding(policy=enforcing(declaration=False)).resolve(at=at(40), last_error_at=at(20))
    assert lax.phase is Phase.RESOLVED


def test_the_default_policy_reports_what_it_does_not_refuse():
    """The default policy resolves with declaration steps open, reporting each at the resolve event."""
    incident = responding().resolve(at=at(40), last_error_at=at(20))
    findings = [f for f in response_findings(incident, at(41)) if f.rule == "checklist.required_steps"]
    assert [f.message.split(" (")[0] for f in findings] == [
        "declaration.confirm_criteria",
        "declaration.create_channel",
        "declaration.post_status_page",
        "declaration.notify_stakeholders",
    ]
    assert findings[0].event_id == incident.events[-1].id


def test_a_step_done_late_is_reported_as_late():
    """A required step done after the command it was due before is reported, with when it was done."""
    incident = responding().resolve(at=at(40), last_error_at=at(20))
    incident = incident.complete_step("declaration", "create_channel", at=at(45), by="ana")
    [late] = [f for f in response_findings(incident, at(46)) if "create_channel" in f.message]
    assert "done later, at 2026-08-18T12:45:00+00:00" in late.message


# --- replay ---------------------------------------------------------------------------------------


@given(st.permutations(["confirm_criteria", "create_channel", "notify_stakeholders"]), st.integers(0, 3))
def test_replaying_the_events_gives_the_same_checklists(order, count):
    """An incident rebuilt from its events has the same checklists, whatever steps were done."""
    incident = declared()
    for minute, step in enumerate(order[:count], start=3):
        incident = incident.complete_step("declaration", step, at=at(minute), by="ana")
    rebuilt = Incident.from_events(incident.events)
    assert rebuilt == incident
    assert checklist(rebuilt, "declaration") == checklist(incident, "declaration")


# --- the "Do NOT" list, each rule met and broken --------------------------------------------------


def rules(incident, now=None):
    return [finding.rule for finding in response_findings(incident, now or incident.events[-1].at)]


def test_root_cause_before_any_mitigation_skips_mitigation():
    """A root cause identified before any mitigation breaks 'Do NOT: Skip mitigation to find root cause'."""
    incident = responding().identify_root_cause("bad-deploy", at=at(5))
    [finding] = [f for f in response_findings(incident, at(6)) if f.rule == "response.mitigation_skipped"]
    assert finding.event_id == incident.events[-1].id
    assert finding.message.endswith('"Do NOT: Skip mitigation to find root cause"')


@pytest.mark.parametrize(
    "mitigate",
    [
        lambda i: i.record_action("api_gateway.rollback", at=at(4), by="bo"),
        lambda i: i.post_update(at=at(4), status="mitigating"),
        lambda i: i.record_milestone("mitigating", at=at(4)),
    ],
)
def test_root_cause_after_a_mitigation_attempt_is_fine(mitigate):
    """A root cause after an action, a mitigating update or a mitigating milestone skips no mitigation."""
    incident = mitigate(responding()).identify_root_cause("bad-deploy", at=at(5))
    assert "response.mitigation_skipped" not in rules(incident)


def test_root_cause_found_after_resolution_is_fine():
    """A root cause found after resolution skips no mitigation."""
    incident = resolved().identify_root_cause("bad-deploy", at=at(65))
    assert "response.mitigation_skipped" not in rules(incident)


@pytest.mark.parametrize(
    "mitigating",
    [
        lambda i: i.post_update(at=at(6), status="mitigating"),
        lambda i: i.record_milestone("mitigating", at=at(6)),
    ],
)
def test_mitigating_without_a_recorded_change_is_undocumented(mitigating):
    """Mitigating with no action recorded is an undocumented change, found at the time of mitigating."""
    incident = mitigating(responding())
    [finding] = [f for f in response_findings(incident, at(7)) if f.rule == "response.undocumented_change"]
    assert finding.at == at(6)


def test_mitigating_after_a_recorded_change_is_documented():
    """Mitigating after an action is recorded is a documented change."""
    incident = responding().record_action("api_gateway.rollback", at=at(5), by="bo")
    incident = incident.post_update(at=at(6), status="mitigating")
    assert "response.undocumented_change" not in rules(incident)


def test_a_gap_beyond_the_cadence_is_going_dark():
    """No update past the cadence is going dark, found once, then naming when the next update came."""
    incident = responding("SEV1").post_update(at=at(10), status="investigating")
    assert "response.went_dark" not in rules(incident, at(20))
    assert rules(incident, at(26)).count("response.went_dark") == 1  # due at 12:25, nothing since 12:10
    incident = incident.post_update(at=at(40), status="identified")
    [dark] = [f for f in response_findings(incident, at(41)) if f.rule == "response.went_dark"]
    assert "the next came at 2026-08-18T12:40:00+00:00" in dark.message


@pytest.mark.parametrize(
    "blaming",
    [
        lambda i: i.identify_root_cause("config", at=at(5), summary="caused by @bo pushing a bad config"),
        lambda i: i.change_severity("SEV1", at=at(5), reason="it was bo's fault"),
        lambda i: i.record_action("roll back what an engineer accidentally deployed", at=at(5), by="cy"),
    ],
)
def test_blame_in_any_recorded_text_is_reported(blaming):
    """Blame in a root cause, a severity reason or an action breaks 'Do NOT: Blame individuals'."""
    incident = blaming(responding().assign_role(Role.TECHNICAL_LEAD, "bo", at=at(4)))
    [finding] = [f for f in response_findings(incident, at(6)) if f.rule == "response.blame"]
    assert finding.event_id == incident.events[-1].id
    assert finding.message.endswith('"Do NOT: Blame individuals"')


@pytest.mark.parametrize(
    "summary", ["A config change removed a route", "Timeouts caused by max pool size being too small"]
)
def test_blameless_text_is_fine(summary):
    """Text about systems is no blame, even when a word of it is a responder's name."""
    incident = responding().assign_role(Role.SCRIBE, "max", at=at(4))
    incident = incident.identify_root_cause("config", at=at(5), summary=summary)
    assert "response.blame" not in rules(incident)


def test_a_clean_response_has_no_findings():
    """A response that follows the playbook and posts its resolution everywhere has no findings."""
    incident = (
        resolved()
        .post_update(at=at(61), status="resolved")
        .post_update(at=at(61), status="resolved", audience="status_page")
    )
    assert response_findings(incident, at(62)) == ()


def test_findings_count_only_events_up_to_now():
    """Findings count only the events up to now: none before the rule is broken, none before detection."""
    incident = responding().identify_root_cause("bad-deploy", at=at(5))
    assert "response.mitigation_skipped" not in rules(incident, at(4))
    assert response_findings(incident, T0 - timedelta(minutes=1)) == ()


def test_every_rule_is_described():
    """RESPONSE_RULES describes exactly the rules applied: the four Do NOTs and the required steps."""
    assert set(RESPONSE_RULES) == {
        "response.mitigation_skipped",
        "response.undocumented_change",
        "response.went_dark",
        "response.blame",
        "checklist.required_steps",
    }


# --- next steps ---------------------------------------------------------------------------------


def test_next_steps_follow_the_guides_order():
    """Next steps are the open declaration steps, then the guide's priorities in order, each duty once."""
    incident = responding("SEV2")
    steps = next_steps(incident, at(4))
    assert [(step.stage, step.priority) for step in steps] == [
        (Stage.DECLARATION, None),
        (Stage.DECLARATION, None),
        (Stage.DECLARATION, None),
        (Stage.DECLARATION, None),
        (Stage.RESPONSE, "mitigate"),
        (Stage.RESPONSE, "communicate"),
        (Stage.RESPONSE, "investigate"),
        (Stage.RESPONSE, "fix"),
        (Stage.RESPONSE, "verify"),
    ]
    post = next(step for step in steps if step.rule == "declaration.checklist.post_status_page")
    assert (post.due_at, post.overdue) == (at(12), False)  # its timed duty, shown once as the step
    assert not any(step.rule == "communication.status_page.first_update_within" for step in steps)
    assert steps[-1].what == "Verify: Confirm resolution; resolve once no new error reports for 15 minutes"


@pytest.mark.parametrize(
    ("command", "gone"),
    [
        (lambda i: i.record_action("api_gateway.rollback", at=at(5), by="bo"), "mitigate"),
        (lambda i: i.identify_root_cause("x", at=at(5)), "investigate"),
        (
            lambda i: (
                i.record_action("a", at=at(5), by="bo")
                .identify_root_cause("x", at=at(6))
                .record_action("fix", at=at(7), by="bo")
            ),
            "fix",
        ),
    ],
)
def test_a_done_priority_is_no_longer_listed(command, gone):
    """A priority once done (mitigated, root cause found, fixed) is no longer a next step."""
    incident = command(responding())
    assert gone not in {step.priority for step in next_steps(incident, at(8))}


def test_an_unacknowledged_page_comes_first_once():
    """Paging on-call is due with the acknowledgement: one step, at detection, with its due time."""
    steps = next_steps(detected(), at(6))
    assert (steps[0].rule, steps[0].stage, steps[0].due_at, steps[0].overdue) == (
        "declaration.checklist.page_on_call",
        Stage.DETECTION,
        at(5),
        True,
    )
    assert not any(step.rule == "detection.responses[0]" for step in steps)
    assert {step.stage for step in steps} == {Stage.DETECTION, Stage.DECLARATION}


def test_a_step_done_by_hand_takes_its_duty_with_it():
    """A step completed by hand takes its timed duty out of the next steps with it."""
    incident = declared().complete_step("declaration", "post_status_page", at=at(3), by="ana")
    rules = {step.rule for step in next_steps(incident, at(4))}
    assert "declaration.checklist.post_status_page" not in rules
    assert "communication.status_page.first_update_within" not in rules


def test_a_closed_incident_lists_no_declaration_step():
    """A closed incident's next steps are at most resolution and post-incident ones."""
    incident = responding("SEV3").resolve(at=at(40), last_error_at=at(5)).close(at=at(41))
    assert {step.stage for step in next_steps(incident, at(42))} <= {Stage.RESOLUTION, Stage.POST_INCIDENT}


def test_escalating_meets_the_escalation_duty():
    """Escalating meets the duty to escalate to that level; the level after it is the next step."""
    incident = detected().escalate(at=at(6), by="ana")
    rules = [step.rule for step in next_steps(incident, at(25))]
    assert "escalation.levels[1]" not in rules
    assert "escalation.levels[2]" in rules
    [duty] = [duty for duty in incident.obligations(at(25)) if duty.rule == "escalation.levels[1]"]
    assert (duty.status.value, duty.met_at) == ("met", at(6))


def test_the_next_level_follows_the_highest_reached_on_the_current_path():
    """The next level is above the highest reached, on the current severity's path: none left is refused."""
    from incident_process.policy import Escalation, EscalationLevel

    path = Escalation(
        levels=(
            EscalationLevel(who="Engineer", window=timedelta(minutes=5)),
            EscalationLevel(who="Lead", window=timedelta(minutes=15), severities=(Severity.SEV1,)),
            EscalationLevel(who="Manager"),
        )
    )
    policy = attrs.evolve(DEFAULT_POLICY, escalation=path)
    incident = responding("SEV2", policy=policy).escalate(at=at(10), by="ana")
    assert incident.events[-1].to == "Manager"
    incident = incident.change_severity("SEV1", at=at(11), reason="worse")
    assert incident.next_escalation() is None
    with pytest.raises(CommandRefusedError, match="left above Manager"):
        incident.escalate(at=at(12), by="ana")


def test_before_a_severity_only_the_levels_for_every_severity():
    """Before a severity is set, escalation climbs only the levels that are for every severity."""
    incident = detected().escalate(at=at(1), by="x").escalate(at=at(2), by="x")
    assert incident.events[-1].to == "Engineering Manager"
    assert incident.next_escalation() is None


def test_after_resolution_the_resolution_checklist_and_the_post_incident_deadlines():
    """After resolution the next steps are the open resolution steps and the post-incident deadlines."""
    steps = next_steps(resolved(), at(61))
    assert [step.rule for step in steps if step.stage is Stage.RESOLUTION] == [
        "resolution.checklist.communicate_resolution",
        "resolution.checklist.status_page_resolved",
        "resolution.checklist.archive_channel",
        "resolution.checklist.schedule_review",
    ]
    archive = next(step for step in steps if step.rule == "resolution.checklist.archive_channel")
    assert archive.due_at == at(55) + timedelta(hours=24)
    assert {step.rule for step in steps if step.stage is Stage.POST_INCIDENT} == {
        "post_incident.review_within",
        "post_incident.document_within",
    }


def test_a_dismissed_or_undetected_incident_owes_nothing():
    """A dismissed incident, or one asked about before its detection, has no next steps."""
    assert next_steps(detected().dismiss(at=at(1), reason="false_alarm"), at(2)) == ()
    assert next_steps(detected(), T0 - timedelta(seconds=1)) == ()


def test_now_must_be_aware():
    """next_steps and response_findings refuse a naive now."""
    with pytest.raises(CalendarError, match="now: expected a timezone-aware datetime"):
        next_steps(detected(), datetime(2026, 8, 18, 12, 0))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(CalendarError):
        response_findings(detected(), datetime(2026, 8, 18, 12, 0))  # noqa: DTZ001


COMMANDS = [
    lambda i, m: i.acknowledge(at=at(m), by="ana"),
    lambda i, m: i.declare(at=at(m), by="ana", declarer_role="on_call_engineer", severity="SEV2"),
    lambda i, m: i.start_response(at=at(m)),
    lambda i, m: i.complete_step("declaration", "create_channel", at=at(m), by="ana"),
    lambda i, m: i.complete_step("declaration", "confirm_criteria", at=at(m), by="ana"),
    lambda i, m: i.complete_step("declaration", "post_status_page", at=at(m), by="ana"),
    lambda i, m: i.reopen(at=at(m), reason="back"),
    lambda i, m: i.close(at=at(m)),
    lambda i, m: i.post_update(at=at(m), status="investigating", audience="status_page"),
    lambda i, m: i.post_update(at=at(m), status="mitigating"),
    lambda i, m: i.record_action("api_gateway.rollback", at=at(m), by="bo"),
    lambda i, m: i.identify_root_cause("x", at=at(m)),
    lambda i, m: i.resolve(at=at(m), last_error_at=at(m - 20)),
    lambda i, m: i.post_update(at=at(m), status="resolved"),
    lambda i, m: i.archive_channel(at=at(m)),
    lambda i, m: i.start_post_incident(at=at(m)),
    lambda i, m: i.escalate(at=at(m), by="ana"),
]


@given(
    st.lists(st.tuples(st.sampled_from(range(len(COMMANDS))), st.integers(1, 30)), max_size=14),
    st.integers(0, 600),
)
def test_next_steps_never_list_a_step_already_done(plan, later):
    """Whatever the commands, no next step is a step done, a duty met, or a priority already done."""
    incident, minute = detected(), 0
    for command, gap in plan:
        minute += gap
        try:
            incident = COMMANDS[command](incident, minute)
        except CommandRefusedError:
            continue
    now = incident.events[-1].at + timedelta(minutes=later)
    steps = next_steps(incident, now)
    done_rules = {
        f"{name}.checklist.{item.step.id}"
        for name in ("declaration", "resolution")
        for item in checklist(incident, name).items
        if item.done
    }
    met = {(duty.rule, duty.due_at) for duty in incident.obligations(now) if duty.status.value == "met"}
    for step in steps:
        assert step.rule not in done_rules
        assert step.due_at is None or (step.rule, step.due_at) not in met
    priorities = {step.priority for step in steps if step.rule.startswith("response.priorities.")}
    if incident.root_cause is not None:
        assert "investigate" not in priorities
    if any(event.kind == "action_taken" for event in incident.events):
        assert "mitigate" not in priorities


# --- escalation: "Follow escalation path if unable to resolve" -----------------------------------


def test_escalation_goes_one_level_at_a_time():
    """Escalation goes one level at a time, 'unable to resolve' by default, up to the top and no further."""
    incident = responding("SEV1")
    assert incident.next_escalation().who == "On-call Lead"
    incident = incident.escalate(at=at(10), by="ana")
    assert (incident.events[-1].to, incident.events[-1].reason) == ("On-call Lead", "unable to resolve")
    incident = incident.escalate(at=at(20), by="ana", to="Engineering Manager")
    incident = incident.escalate(at=at(30), by="ana")
    assert incident.events[-1].to == "VP Engineering"
    assert incident.next_escalation() is None
    with pytest.raises(
        CommandRefusedError, match="no level of the escalation path is left above VP Engineering"
    ):
        incident.escalate(at=at(40), by="ana")


def test_vp_engineering_is_for_sev1_only():
    """A SEV2 escalates no higher than the Engineering Manager: VP Engineering is for SEV1 only."""
    incident = responding("SEV2").escalate(at=at(10), by="ana").escalate(at=at(20), by="ana")
    with pytest.raises(CommandRefusedError, match="left above Engineering Manager"):
        incident.escalate(at=at(30), by="ana")


def test_escalating_past_a_level_is_refused():
    """Escalating past the next level is refused, naming the next level."""
    with pytest.raises(CommandRefusedError) as refused:
        responding().escalate(at=at(10), by="ana", to="Engineering Manager")
    assert refused.value.rule == "escalation.next_level"
    assert refused.value.reason == "the next level is On-call Lead, not Engineering Manager"


def test_a_resolved_incident_is_not_escalated():
    """A resolved incident is not escalated."""
    with pytest.raises(CommandRefusedError, match="escalate is not allowed when resolved"):
        resolved().escalate(at=at(70), by="ana")


# --- the data the policy checks against ----------------------------------------------------------
