"""The decision framework, on-call readiness, the shift hand-off, and the playbook's policy data."""

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    DEFAULT_POLICY,
    Incident,
    PlaybookError,
    PolicyError,
    Role,
    dump_policy,
    loads_policy,
)
from incident_process.policy import ChecklistStep, Response
from incident_process.response import (
    OnCallProfile,
    Option,
    Risk,
    check_readiness,
    choose_option,
    hand_off,
    next_steps,
)

T0 = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)


def minutes(n):
    return timedelta(minutes=n)


def option(name, *, speed=10, risk=Risk.LOW, reversible=True, data=False, stops=True):
    return Option(
        name=name,
        stops_impact=stops,
        restores_in=None if speed is None else minutes(speed),
        risk=risk,
        reversible=reversible,
        risks_data=data,
    )


# --- choose_option --------------------------------------------------------------------------


def test_the_safest_reversible_option_that_stops_impact_is_chosen():
    """Options that stop impact rank by data risk, reversibility, risk, then speed; the rest are set aside."""
    decision = choose_option(
        [
            option("restore from backup", speed=60, risk=Risk.HIGH, reversible=False, data=True),
            option("fail over", speed=5, risk=Risk.MEDIUM, reversible=False),
            option("roll back", speed=10),
            option("disable the feature", speed=2, stops=False),
        ]
    )
    assert decision.chosen.name == "roll back"
    assert [(r.place, r.option.name) for r in decision.ranking] == [
        (1, "roll back"),
        (2, "fail over"),
        (3, "restore from backup"),
    ]
    assert decision.ranking[1].reason == "after 'roll back': irreversible"
    assert decision.ranking[2].reason == "after 'fail over': risks data"
    assert [(s.option.name, s.reason) for s in decision.set_aside] == [
        ("disable the feature", "it does not stop customer impact")
    ]
    assert decision.reason == (
        "'roll back': the safest reversible option that stops customer impact "
        "(no data risk, reversible, low risk, restores service in 10 minutes)"
    )


def test_among_equally_safe_options_the_fastest_wins():
    """Among options equally safe, the one that restores service soonest wins."""
    decision = choose_option([option("scale up", speed=20), option("roll back", speed=10)])
    assert decision.chosen.name == "roll back"
    assert decision.ranking[1].reason == "after 'roll back': restores service in 20 minutes"


def test_a_tie_is_explained_and_not_broken():
    """Options equal on every factor share a place, and the framework chooses none of them."""
    decision = choose_option([option("b"), option("a"), option("c", speed=30)])
    assert decision.chosen is None
    assert [(r.place, r.option.name) for r in decision.ranking] == [(1, "a"), (1, "b"), (3, "c")]
    assert decision.ranking[1].reason == "tied with 'a' on every factor"
    assert decision.reason == "'a', 'b' tie on every factor: the framework cannot choose"


def test_missing_factors_are_named_not_guessed():
    """An option with a factor not known is set aside, naming each one, rather than guessed."""
    decision = choose_option(
        [
            Option(name="restart", stops_impact=True, restores_in=minutes(5)),
            Option(name="wait"),
            option("roll back"),
        ]
    )
    assert decision.chosen.name == "roll back"
    assert {s.option.name: s.reason for s in decision.set_aside} == {
        "restart": "not known: data (risks_data), reversibility (reversible), risk (risk)",
        "wait": "not known: whether it stops customer impact, data (risks_data), reversibility (reversible), "
        "risk (risk), speed (restores_in)",
    }


def test_nothing_to_choose_is_said():
    """When no option is known to stop customer impact, nothing is chosen, and the reason says so."""
    decision = choose_option([option("hope", stops=False)])
    assert decision.ranking == ()
    assert decision.chosen is None
    assert decision.reason == "no option is known to stop customer impact with every factor known"


def test_an_irreversible_choice_says_why():
    """An irreversible choice says why: no reversible option stops impact, or each one risks data."""
    decision = choose_option([option("fail over", reversible=False)])
    assert decision.reason.startswith("'fail over': no reversible option is known to stop customer impact (")
    decision = choose_option([option("fail over", reversible=False), option("restore", data=True)])
    assert decision.reason.startswith(
        "'fail over': every reversible option risks data, and this one does not ("
    )


def test_the_policy_orders_the_factors():
    """The policy's decision factors set the order options are compared in, and the reason names it."""
    fast_first = attrs.evolve(
        DEFAULT_POLICY, response=Response(decision_factors=("speed", "data", "reversibility", "risk"))
    )
    options = [option("fail over", speed=5, reversible=False), option("roll back", speed=10)]
    assert choose_option(options).chosen.name == "roll back"
    decision = choose_option(options, policy=fast_first)
    assert decision.chosen.name == "fail over"
    assert decision.reason.startswith(
        "'fail over': first when comparing speed, data, reversibility, risk in the policy's order ("
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "options: expected at least one Option"),
        ([option("a"), option("a")], r"options\[1\]: a second option named 'a'"),
        (["roll back"], r"options\[0\]: expected an Option, got 'roll back'"),
        (None, "options: expected a list of Option values, got None"),
        ("roll back", "options: expected a list of Option values, got 'roll back'"),
        (option("a"), "options: expected a list of Option values, got Option"),
    ],
)
def test_bad_option_lists_are_refused(options, message):
    """An empty list, a repeated name, an item that is not an Option, or no list at all is refused."""
    with pytest.raises(PlaybookError, match=message):
        choose_option(options)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "name: expected non-empty text"),
        ({"name": "x", "reversible": "yes"}, "reversible: expected true, false or None, got 'yes'"),
        ({"name": "x", "restores_in": minutes(-1)}, "restores_in: expected a duration of at least 0"),
        ({"name": "x", "restores_in": 5}, "restores_in: expected a duration of at least 0, got 5"),
        ({"name": "x", "risk": "low"}, "risk: expected a Risk"),
    ],
)
def test_a_bad_option_names_its_field(fields, message):
    """An Option with a bad name, reversibility, duration or risk is refused, naming the field."""
    with pytest.raises(PlaybookError, match=message):
        Option(**fields)


options = st.builds(
    Option,
    name=st.text(min_size=1, max_size=8).filter(str.strip),
    stops_impact=st.booleans() | st.none(),
    restores_in=st.integers(0, 120).map(minutes) | st.none(),
    risk=st.sampled_from(list(Risk)) | st.none(),
    reversible=st.booleans() | st.none(),
    risks_data=st.booleans() | st.none(),
)
option_lists = st.lists(options, min_size=1, max_size=8, unique_by=lambda o: o.name)


@given(option_lists)
def test_an_irreversible_option_never_ranks_above_a_reversible_one_as_fast_and_no_riskier(given_options):
    """An irreversible option ranks below a reversible one that is as fast and no riskier."""
    ranking = choose_option(given_options).ranking
    place = {ranked.option.name: ranked.place for ranked in ranking}
    for above in ranking:
        for below in ranking:
            a, b = above.option, below.option
            if (
                not a.reversible
                and b.reversible
                and b.restores_in <= a.restores_in
                and b.risk.rank <= a.risk.rank
                and b.risks_data <= a.risks_data
            ):
                assert place[a.name] > place[b.name]


@given(option_lists, st.randoms())
def test_the_ranking_does_not_depend_on_the_order_given(given_options, random):
    """The decision is the same whatever order the options are given in."""
    shuffled = list(given_options)
    random.shuffle(shuffled)
    assert choose_option(shuffled) == choose_option(given_options)


@given(option_lists)
def test_every_option_is_ranked_or_set_aside_once(given_options):
    """Each option is ranked or set aside, once; only options that stop impact are ranked."""
    decision = choose_option(given_options)
    names = [r.option.name for r in decision.ranking] + [s.option.name for s in decision.set_aside]
    assert sorted(names) == sorted(o.name for o in given_options)
    assert all(r.option.stops_impact for r in decision.ranking)


# --- on-call readiness ------------------------------------------------------------------------

EVERYTHING = OnCallProfile(
    person="ana",
    confirmed={
        "paging_profile_current",
        "laptop_and_internet",
        "runbooks_and_dashboards",
        "recent_deployments",
    },
    access={
        "pagerduty",
        "slack",
        "dashboards",
        "production_read_only",
        "deployment_pipeline",
        "status_page_admin",
    },
)


def test_a_person_with_everything_is_ready():
    """A person with every access and every duty confirmed is ready to be on call."""
    readiness = check_readiness(EVERYTHING)
    assert readiness.ready
    assert str(readiness) == "ana is ready to be on call"


@pytest.mark.parametrize(
    ("access", "text"),
    [
        ("pagerduty", "PagerDuty account with on-call rotation"),
        ("slack", "Slack with access to incident channels"),
        ("dashboards", "Dashboard access (Grafana, Datadog, etc.)"),
        ("production_read_only", "Production read-only access"),
        ("deployment_pipeline", "Deployment pipeline access"),
        ("status_page_admin", "Status page admin access"),
    ],
)
def test_each_missing_access_is_reported(access, text):
    """Each missing access makes a person not ready, and is reported by the guide's words."""
    readiness = check_readiness(attrs.evolve(EVERYTHING, access=EVERYTHING.access - {access}))
    assert not readiness.ready
    assert [item.text for item in readiness.missing_access] == [text]
    assert f"- access: {text}" in str(readiness)


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ("paging_profile_current", "Ensure PagerDuty profile is current"),
        ("laptop_and_internet", "Have laptop and internet access available"),
        ("runbooks_and_dashboards", "Know how to access runbooks and dashboards"),
        ("recent_deployments", "Be familiar with recent deployments"),
    ],
)
def test_each_unconfirmed_duty_is_reported(item, text):
    """Each before-incident duty not confirmed is reported by the guide's words."""
    readiness = check_readiness(attrs.evolve(EVERYTHING, confirmed=EVERYTHING.confirmed - {item}))
    assert [missing.text for missing in readiness.missing] == [text]
    assert f"- before incident: {text}" in str(readiness)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: check_readiness(attrs.evolve(EVERYTHING, access={"pager_duty"})),
            "access: unknown items 'pager_duty'",
        ),
        (lambda: OnCallProfile(person="ana", access="pagerduty"), "got the string 'pagerduty'"),
        (lambda: OnCallProfile(person="ana", access=5), "expected a set of item ids, got 5"),
        (lambda: OnCallProfile(person="ana", access=[1]), "item ids are text"),
        (lambda: OnCallProfile(person=" "), "person: expected non-empty text"),
    ],
)
def test_bad_profiles_are_refused(build, message):
    """A profile with unknown items, items that are not a set of text, or no person is refused."""
    with pytest.raises(PlaybookError, match=message):
        build()


# --- the shift hand-off ----------------------------------------------------------------------


def open_incident(number, *, commander="ana"):
    incident = Incident.detect(
        id=f"INC-{number}", title=f"Incident {number}", source="automated_alert", at=T0
    )
    incident = incident.acknowledge(at=T0 + minutes(1), by=commander)
    incident = incident.declare(
        at=T0 + minutes(2), by=commander, declarer_role="on_call_engineer", severity=2
    )
    return incident.start_response(at=T0 + minutes(3)).assign_role(
        Role.TECHNICAL_LEAD, "bo", at=T0 + minutes(4)
    )


def test_a_hand_off_carries_the_open_incidents_and_their_context():
    """A hand-off carries each open incident's roles, note, next steps and late duties; closed ones apart."""
    closed = Incident.detect(id="INC-3", title="Done", source="automated_alert", at=T0).dismiss(
        at=T0 + minutes(1), reason="false_alarm"
    )
    handoff = hand_off(
        [open_incident(1), open_incident(2, commander="cy"), closed],
        from_person="ana",
        to_person="dee",
        at=T0 + minutes(60),
        notes={"INC-1": "rollback in progress"},
    )
    assert handoff.channel == "#oncall-handoff"
    assert [entry.incident_id for entry in handoff.entries] == ["INC-1", "INC-2"]
    first, second = handoff.entries
    assert first.roles == (Role.INCIDENT_COMMANDER,)
    assert second.roles == ()
    assert first.note == "rollback in progress"
    owed = next_steps(open_incident(1), T0 + minutes(60))
    assert first.next_steps == tuple(step for step in owed if not step.overdue)
    assert {duty.detail for duty in first.late} >= {"first status-page update", "update 1"}
    assert handoff.not_carried == ("INC-3",)
    text = handoff.render()
    assert text.splitlines()[0] == "Shift hand-off 2026-08-18 13:00 UTC: ana to dee"
    assert "- ana holds incident_commander: hand off to dee" in text
    assert "- note: rollback in progress" in text
    assert "Not carried (closed or dismissed): INC-3" in text


def test_a_quiet_shift_says_so():
    """A hand-off with no open incident says so."""
    assert "No open incidents." in hand_off([], from_person="ana", to_person="bo", at=T0).render()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"at": datetime(2026, 8, 18, 12, 0)}, "at: expected a timezone-aware datetime"),  # noqa: DTZ001
        ({"to_person": "ana"}, "to_person: the shift is handed to someone else"),
        ({"from_person": ""}, "from_person: expected non-empty text"),
        ({"notes": {"INC-9": "x"}}, "notes: no incident 'INC-9' among those handed off"),
    ],
)
def test_a_bad_hand_off_is_refused(kwargs, message):
    """A hand-off at a naive time, to oneself, from nobody or with notes on unknown incidents is refused."""
    arguments = {"from_person": "ana", "to_person": "bo", "at": T0, **kwargs}
    with pytest.raises(PlaybookError, match=message):
        hand_off([open_incident(1)], **arguments)


def test_a_hand_off_takes_each_incident_as_it_was_at_the_hand_off():
    """A hand-off takes each incident as it was at the hand-off, not as later events left it."""
    later_closed = open_incident(1).resolve(at=T0 + minutes(90), last_error_at=T0 + minutes(60))
    handoff = hand_off([later_closed], from_person="ana", to_person="bo", at=T0 + minutes(30))
    [entry] = handoff.entries
    assert entry.phase.value == "responding"
    assert all(not step.overdue for step in entry.next_steps)
    assert all(step.due_at is None or step.due_at > T0 + minutes(30) for step in entry.next_steps)
    assert "- next: internal update 1, due 2026-08-18 12:32 UTC" in handoff.render()


@pytest.mark.parametrize(
    ("incidents", "message"),
    [
        (lambda: [open_incident(1), open_incident(1)], r"incidents\[1\]: INC-1 is given twice"),
        (lambda: [open_incident(1)], r"incidents\[0\]: INC-1 was detected after the hand-off"),
    ],
)
def test_a_hand_off_of_incidents_that_cannot_be_carried_is_refused(incidents, message):
    """An incident given twice, or detected after the hand-off, is refused."""
    at = T0 + minutes(60) if "twice" in message else T0 - minutes(1)
    with pytest.raises(PlaybookError, match=message):
        hand_off(incidents(), from_person="ana", to_person="bo", at=at)


def test_only_incidents_are_handed_off():
    """Only a list of incidents is handed off: text, None or a single Incident is refused."""
    with pytest.raises(PlaybookError, match=r"incidents\[0\]: expected an Incident, got str"):
        hand_off(["INC-1"], from_person="ana", to_person="bo", at=T0)
    with pytest.raises(PlaybookError, match="incidents: expected a list of incidents, got None"):
        hand_off(None, from_person="ana", to_person="bo", at=T0)
    with pytest.raises(PlaybookError, match=r"got one Incident; pass \[incident\]"):
        hand_off(open_incident(1), from_person="ana", to_person="bo", at=T0 + minutes(10))


# --- the playbook in the policy ------------------------------------------------------------------


def test_the_response_priorities_are_the_guides():
    """The response priorities are the guide's five, in order; shifts are handed off in #oncall-handoff."""
    assert [(p.id, p.title, p.description) for p in DEFAULT_POLICY.response.priorities] == [
        ("mitigate", "Mitigate", "Stop the bleeding (rollback, disable feature, scale up)"),
        ("communicate", "Communicate", "Keep stakeholders informed"),
        ("investigate", "Investigate", "Find root cause"),
        ("fix", "Fix", "Implement proper solution"),
        ("verify", "Verify", "Confirm resolution"),
    ]
    assert DEFAULT_POLICY.on_call.handoff_channel == "#oncall-handoff"


def test_the_playbook_round_trips_through_a_policy_file():
    """Checklists, decision factors and the hand-off channel are read from TOML, and round-trip."""
    policy = loads_policy(
        """
        [declaration]
        enforce_checklist = true
        [[declaration.checklist]]
        id = "open_bridge"
        text = "Open the conference bridge"
        before = "resolve"
        [[declaration.checklist]]
        id = "status"
        text = "Post initial status"
        done_by = "update_posted"
        where = ["audience=status_page"]
        deadline = "first_status_page_update"
        [response]
        decision_factors = ["data", "risk", "reversibility", "speed"]
        [on_call]
        handoff_channel = "#sre-handoff"
        """
    )
    assert [step.id for step in policy.declaration.checklist] == ["open_bridge", "status"]
    assert policy.declaration.enforce_checklist
    assert loads_policy(dump_policy(policy)) == policy


STEP = '[[declaration.checklist]]\nid = "a"\ntext = "A"\n'


@pytest.mark.parametrize(
    ("toml", "path", "message"),
    [
        (
            '[[declaration.checklist]]\nid = "a"\ntext = "A"\ndone_by = "deployed"',
            "declaration.checklist[0].done_by",
            "unknown event 'deployed'",
        ),
        (
            STEP + 'done_by = "update_posted"\nwhere = ["channel=x"]',
            "declaration.checklist[0].where[0]",
            "update_posted has no field 'channel' (its fields: status, audience, text, by)",
        ),
        (
            '[[declaration.checklist]]\nid = "a"\ntext = "A"\nwhere = ["audience=status_page"]',
            "declaration.checklist[0].where[0]",
            "a condition needs the event it is about, in done_by",
        ),
        (
            STEP + 'done_by = "update_posted"\nwhere = ["audience=statuspage"]',
            "declaration.checklist[0].where[0]",
            "update_posted.audience is one of 'internal', 'status_page', got 'statuspage'",
        ),
        (
            STEP + 'done_by = "update_posted"\nwhere = ["audience"]',
            "declaration.checklist[0].where[0]",
            "expected 'field=value', got 'audience'",
        ),
        (
            '[[resolution.checklist]]\nid = "a"\ntext = "A"\nbefore = "archive"',
            "resolution.checklist[0].before",
            "expected one of 'resolve', 'close'",
        ),
        (
            '[[resolution.checklist]]\nid = "a"\ntext = "A"\ndeadline = "soon"',
            "resolution.checklist[0].deadline",
            "expected one of 'acknowledge'",
        ),
        (
            '[[resolution.checklist]]\nid = "A b"\ntext = "A"',
            "resolution.checklist[0].id",
            "expected a lower-case identifier",
        ),
        (
            '[[resolution.checklist]]\nid = "a"\ntext = "A"\n[[resolution.checklist]]\nid = "a"\ntext = "B"',
            "resolution.checklist[1].id",
            "repeats checklist[0].id ('a')",
        ),
        (
            '[response]\ndecision_factors = ["speed", "speed", "data", "risk"]',
            "response.decision_factors[1]",
            "repeats",
        ),
        (
            '[response]\ndecision_factors = ["speed", "cost", "data", "risk"]',
            "response.decision_factors[1]",
            "expected one of 'data'",
        ),
        (
            '[declaration]\nenforce_checklist = "yes"',
            "declaration.enforce_checklist",
            "expected true or false",
        ),
        (
            (
                '[[on_call.required_access]]\nid = "vpn"\ntext = "VPN"\n'
                '[[on_call.required_access]]\nid = "vpn"\ntext = "VPN 2"'
            ),
            "on_call.required_access[1].id",
            "repeats required_access[0].id ('vpn')",
        ),
    ],
)
def test_a_bad_playbook_names_the_key(toml, path, message):
    """A bad checklist step, decision factor, enforcement flag or access item names its key."""
    with pytest.raises(PolicyError) as error:
        loads_policy(toml)
    assert (path, True) in [(p.path, p.message.startswith(message)) for p in error.value.problems]


def test_a_factor_that_is_not_a_name_is_named():
    """Hypothesis found: a list among the factors raised TypeError."""
    with pytest.raises(PolicyError) as error:
        loads_policy('[response]\ndecision_factors = [["speed"], "data", "reversibility", "risk"]')
    assert [problem.path for problem in error.value.problems] == ["response.decision_factors[0]"]
    with pytest.raises(
        PolicyError, match="decision_factors: expected each of data, reversibility, risk, speed"
    ):
        Response(decision_factors=("data", "risk", "speed"))


def test_the_priorities_are_each_of_the_five_once():
    """The response priorities are each of the guide's five, once: four are refused."""
    with pytest.raises(PolicyError, match="priorities: expected each of mitigate, communicate"):
        Response(priorities=DEFAULT_POLICY.response.priorities[:4])


def test_a_checklist_step_value_checks_its_fields():
    """A ChecklistStep built in code checks its fields: an unknown severity is refused."""
    with pytest.raises(PolicyError, match=r"severities\[0\]"):
        ChecklistStep(id="a", text="A", severities=("SEV4",))


def test_the_policy_tables_show_the_playbook():
    """The policy tables show each checklist step's enforcement, the priorities, factors and on-call setup."""
    from incident_process.policy import render_policy

    text = render_policy(
        attrs.evolve(
            DEFAULT_POLICY, resolution=attrs.evolve(DEFAULT_POLICY.resolution, enforce_checklist=True)
        )
    )
    assert (
        "| 2. Assign initial severity level | declared | resolve (reported if open) | SEV1, SEV2, SEV3 |"
        in text
    )
    assert (
        "| 5. Schedule post-incident review | post incident started | close (refused if open) | SEV1, SEV2 |"
        in text
    )
    assert "1. Mitigate: Stop the bleeding (rollback, disable feature, scale up)" in text
    assert "Options are compared by data, reversibility, risk, speed, in that order." in text
    assert "- Access: Status page admin access" in text
    assert "- Shift hand-off in `#oncall-handoff`" in text


def test_a_hand_off_is_in_its_incidents_policy_and_zone():
    """The incidents' own policy (channel, zone) unless one is given; the header in the policy's zone."""
    import attrs

    from incident_process import DEFAULT_POLICY

    berlin = attrs.evolve(
        DEFAULT_POLICY,
        zone="Europe/Berlin",
        on_call=attrs.evolve(DEFAULT_POLICY.on_call, handoff_channel="#schichtwechsel"),
    )
    incident = Incident.detect(id="INC-7", title="x", source="automated_alert", at=T0, policy=berlin)
    incident = incident.declare(at=T0 + minutes(2), by="ana", declarer_role="on_call_engineer", severity=2)
    handoff = hand_off([incident], from_person="ana", to_person="bo", at=T0 + minutes(60))
    assert handoff.channel == "#schichtwechsel"
    assert handoff.render().splitlines()[0] == "Shift hand-off 2026-08-18 15:00 CEST: ana to bo"
    assert hand_off([incident], from_person="ana", to_person="bo", at=T0, policy=DEFAULT_POLICY).channel == (
        "#oncall-handoff"
    )
