"""Random command sequences against the lifecycle's laws (a Hypothesis state machine)."""

from datetime import UTC, datetime, timedelta

import hypothesis
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from incident_process import (
    DEFAULT_POLICY,
    CommandRefusedError,
    DetectionSource,
    Incident,
    Phase,
    Role,
    Severity,
)
from incident_process.events import PostIncidentStarted
from incident_process.lifecycle._history import ARRIVALS, Arrival
from incident_process.lifecycle._machine import TRANSITIONS
from incident_process.vocabulary import (
    DismissalReason,
    Milestone,
    ObligationKind,
    ObligationStatus,
    UpdateStatus,
)
from strategies import policies

PEOPLE = st.sampled_from(["ana", "bo", "cy"])
DECLARERS = st.sampled_from(["on_call_engineer", "support_lead", "engineering_manager", "intern"])
STEPS = st.integers(min_value=-120, max_value=3600).map(lambda s: timedelta(seconds=s))
KEYS = st.none() | st.sampled_from(["k1", "k2", "k3"])


class IncidentLifecycle(RuleBasedStateMachine):
    """Drive one incident with random commands; check every law after every step."""

    def __init__(self):
        super().__init__()
        self.incident = None
        self.now = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
        self.accepted = 0

    @initialize(
        policy=st.one_of(st.just(DEFAULT_POLICY), policies), source=st.sampled_from(list(DetectionSource))
    )
    def detect(self, policy, source):
        self.incident = Incident.detect(id="INC-7", title="Errors", source=source, at=self.now, policy=policy)

    def _run(self, step, command, *args, **kwargs):
        """Run one command at now+step; check the refusal or the single appended event."""
        at = self.now + step
        before = self.incident
        events_before = before.events
        try:
            after = getattr(before, command)(*args, at=at, **kwargs)
        except CommandRefusedError as refusal:
            assert refusal.phase == before.phase.value
            assert refusal.rule
            hypothesis.event(f"refused {command} by {refusal.rule}")
            assert before.events == events_before  # a refused command changes nothing
            return
        if after is before:  # an idempotent repeat
            return
        assert after.version == before.version + 1
        assert after.events[:-1] == before.events
        event = after.events[-1]
        if event.at < before.last_event_at:  # a late fact: placed where it happened, the phase kept
            assert ARRIVALS[type(event)] is Arrival.FACT
            assert after.phase is before.phase
            hypothesis.event(f"late {command}")
        else:
            target, _ = TRANSITIONS[before.phase, event.command]
            assert after.phase is target
        self.incident = after
        self.now = max(self.now, at)
        self.accepted += 1

    @rule(
        step=st.integers(0, 3600).map(lambda s: timedelta(seconds=s)),
        severity=st.sampled_from(list(Severity)),
    )
    def advance(self, step, severity):
        """Take the next step of the guide's happy path, with arguments that can pass."""
        incident, policy = self.incident, self.incident.policy
        if incident.phase is Phase.DETECTED:
            declarer = policy.declaration.who_may_declare[0]
            self._run(step, "declare", by="ana", declarer_role=declarer, severity=severity)
        elif incident.phase is Phase.DECLARED:
            self._run(step, "start_response")
        elif incident.phase is Phase.RESPONDING:
            quiet = policy.resolution.quiet_period[incident.severity]
            self._run(quiet + step, "resolve", last_error_at=self.now + step)
        elif incident.phase is Phase.RESOLVED and incident.severity in policy.post_incident.required_for:
            self._run(step, "start_post_incident")
        elif incident.phase in {Phase.RESOLVED, Phase.POST_INCIDENT}:
            self._run(step, "close")

    @rule(step=STEPS, by=PEOPLE, key=KEYS)
    def acknowledge(self, step, by, key):
        self._run(step, "acknowledge", by=by, idempotency_key=key)

    @rule(step=STEPS, by=PEOPLE, role=DECLARERS, severity=st.sampled_from([*Severity, "sev2", 3, "SEV9"]))
    def declare(self, step, by, role, severity):
        self._run(step, "declare", by=by, declarer_role=role, severity=severity)

    @rule(step=STEPS)
    def start_response(self, step):
        self._run(step, "start_response")

    @rule(step=STEPS, role=st.sampled_from(list(Role)), person=PEOPLE, key=KEYS)
    def assign_role(self, step, role, person, key):
        self._run(step, "assign_role", role, person, idempotency_key=key)

    @rule(step=STEPS, role=st.sampled_from(list(Role)), person=PEOPLE)
    def hand_off_role(self, step, role, person):
        self._run(step, "hand_off_role", role, person)

    @rule(step=STEPS, severity=st.sampled_from(list(Severity)))
    def change_severity(self, step, severity):
        self._run(step, "change_severity", severity, reason="impact grew")

    @rule(
        step=STEPS,
        status=st.sampled_from(list(UpdateStatus)),
        audience=st.sampled_from(["internal", "status_page"]),
    )
    def post_update(self, step, status, audience):
        self._run(step, "post_update", status=status, audience=audience)

    @rule(step=STEPS, by=PEOPLE, text=st.sampled_from(["We are aware.", "Fixed."]))
    def post_update_with_text(self, step, by, text):
        self._run(step, "post_update", status="investigating", text=text, by=by)

    @rule(step=STEPS, by=st.none() | PEOPLE)
    def record_errors_stopped(self, step, by):
        self._run(step, "record_errors_stopped", by=by)

    @rule(step=STEPS)
    def resolve_from_when_the_errors_stopped(self, step):
        """Without last_error_at: the latest "errors stopped" fact, else refused (last_error_known)."""
        self._run(step, "resolve")

    @rule(step=STEPS, milestone=st.sampled_from(list(Milestone)), earlier=st.integers(0, 7200))
    def record_milestone(self, step, milestone, earlier):
        at = self.now + step
        self._run(step, "record_milestone", milestone, occurred_at=at - timedelta(seconds=earlier))

    @rule(step=STEPS, quiet=st.integers(0, 3600))
    def resolve(self, step, quiet):
        at = self.now + step
        self._run(step, "resolve", last_error_at=at - timedelta(seconds=quiet))

    @rule(step=STEPS)
    def reopen(self, step):
        self._run(step, "reopen", reason="errors are back")

    @rule(step=STEPS)
    def start_post_incident(self, step):
        self._run(step, "start_post_incident")

    @rule(step=STEPS)
    def close(self, step):
        self._run(step, "close")

    @rule(step=STEPS, reason=st.sampled_from(list(DismissalReason)))
    def dismiss(self, step, reason):
        duplicate_of = "INC-1" if reason is DismissalReason.DUPLICATE else None
        self._run(step, "dismiss", reason=reason, duplicate_of=duplicate_of)

    @rule(
        step=STEPS,
        action=st.sampled_from(["database.failover_to_read_replica", "api_gateway.rollback", "scaled up"]),
        by=PEOPLE,
        approver=st.none() | PEOPLE,
    )
    def record_action(self, step, action, by, approver):
        self._run(step, "record_action", action, by=by, approved_by=approver)

    @rule(step=STEPS)
    def archive_channel(self, step):
        self._run(step, "archive_channel")

    @rule(step=STEPS, facilitator=PEOPLE)
    def hold_review(self, step, facilitator):
        self._run(step, "hold_review", facilitator=facilitator)

    @rule(step=STEPS)
    def publish_document(self, step):
        self._run(step, "publish_document", location="postmortems/INC-7.md")

    @rule(step=STEPS, item=st.sampled_from(["A1", "A2"]), owner=PEOPLE, days=st.integers(0, 30))
    def add_action_item(self, step, item, owner, days):
        due = (self.now + timedelta(days=days)).date()
        self._run(step, "add_action_item", item, "fix it", owner=owner, due=due)

    @rule(step=STEPS, item=st.sampled_from(["A1", "A2"]))
    def complete_action_item(self, step, item):
        self._run(step, "complete_action_item", item)

    @rule(
        step=STEPS,
        checklist=st.sampled_from(["declaration", "resolution", "triage"]),
        item=st.sampled_from(
            ["confirm_criteria", "create_channel", "communicate_resolution", "schedule_review", "x"]
        ),
        by=PEOPLE,
    )
    def complete_step(self, step, checklist, item, by):
        self._run(step, "complete_step", checklist, item, by=by)

    @rule(step=STEPS, by=PEOPLE, to=st.none() | st.sampled_from(["On-call Lead", "VP Engineering"]))
    def escalate(self, step, by, to):
        self._run(step, "escalate", by=by, to=to)

    @rule(naive=st.datetimes(min_value=datetime(2026, 3, 8), max_value=datetime(2026, 3, 9)))  # noqa: DTZ001
    def naive_time_is_refused(self, naive):
        before = self.incident
        try:
            before.start_response(at=naive)
        except CommandRefusedError as refusal:
            assert refusal.rule == "time.timezone_aware"
        else:
            raise AssertionError("a naive time was accepted")
        assert self.incident is before

    @precondition(lambda self: any(e.idempotency_key for e in self.incident.events))
    @rule(data=st.data())
    def repeating_a_key_changes_nothing(self, data):
        keyed = [e for e in self.incident.events if e.idempotency_key]
        event = data.draw(st.sampled_from(keyed))
        if event.command == "acknowledge":
            again = self.incident.acknowledge(at=event.at, by=event.by, idempotency_key=event.idempotency_key)
            assert again is self.incident
            try:
                self.incident.acknowledge(
                    at=event.at, by=event.by + "x", idempotency_key=event.idempotency_key
                )
            except CommandRefusedError as refusal:
                assert refusal.rule == "idempotency.key_reused"
            else:
                raise AssertionError("a reused key with other content was accepted")

    @invariant()
    def replay_equals_state(self):
        rebuilt = Incident.from_events(self.incident.events, policy=self.incident.policy)
        assert rebuilt == self.incident
        assert rebuilt.phase is self.incident.phase
        assert rebuilt.severity == self.incident.severity
        assert rebuilt.role_tenures() == self.incident.role_tenures()
        assert rebuilt.milestones() == self.incident.milestones()

    @invariant()
    def the_timeline_is_the_events_in_time_order(self):
        incident = self.incident
        times = [event.at for event in incident.timeline]
        assert times == sorted(times)
        assert sorted(incident.timeline, key=lambda e: e.id) == sorted(incident.events, key=lambda e: e.id)
        decisions = [e for e in incident.events if ARRIVALS[type(e)] is Arrival.DECISION]
        assert [e.at for e in decisions] == sorted(e.at for e in decisions)

    @invariant()
    def required_post_incident_before_close(self):
        incident = self.incident
        if incident.phase is Phase.CLOSED and not any(
            isinstance(e, PostIncidentStarted) for e in incident.events
        ):
            assert incident.severity not in incident.policy.post_incident.required_for

    @invariant()
    def phases_follow_the_table(self):
        """In the order things happened, every event is a transition of the lifecycle."""
        phase = Phase.DETECTED
        for event in self.incident.timeline[1:]:
            phase, _ = TRANSITIONS[phase, event.command]
        assert phase is self.incident.phase
        assert self.incident.version == len(self.incident.events) == self.accepted + 1
        hypothesis.event(f"reached {phase.value}")

    @invariant()
    def obligations_are_consistent(self):
        """Every status agrees with its times, as of an hour after the last step."""
        now = self.now + timedelta(hours=1)
        for duty in self.incident.obligations(now):
            assert duty.owed_from <= duty.due_at or duty.kind is ObligationKind.ESCALATE
            if duty.status is ObligationStatus.MET:
                assert duty.met_at is not None
                assert duty.met_at <= duty.due_at
            elif duty.status is ObligationStatus.PENDING:
                assert (duty.met_at, now <= duty.due_at) == (None, True)
            elif duty.status is ObligationStatus.OVERDUE:
                assert (duty.met_at, duty.due_at < now) == (None, True)
            else:
                assert duty.met_at is None or duty.met_at > duty.due_at

    @invariant()
    def ids_count_up(self):
        assert [e.id for e in self.incident.events] == [
            f"INC-7:{n}" for n in range(1, self.incident.version + 1)
        ]


TestIncidentLifecycle = IncidentLifecycle.TestCase
