"""``incident-process demo`` under any valid policy (issue 19, defect 9).

The demo walks its example (detection, declaration, response, resolution,
post-incident) under whatever policy ``policy check`` accepts, its times and
measured values taken from the policy's own numbers. Before the fix a SEV2
quiet period of 20 minutes ended in ``MessageError: missing fields end,
follow_up, total_minutes`` (the walk's resolve came 16 minutes after the last
error, was refused, and the resolution message was rendered for an unresolved
incident), a SEV2 error-rate threshold of 15% in ``SeverityError`` (the
example's 12% was classified by nothing), and every policy of the project's
own valid-policy strategy crashed it.
"""

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, Severity, dump_policy, loads_policy
from incident_process.cli import main
from incident_process.cli._demo import classified_examples, demo_text, example_incident
from incident_process.cli._walkthrough import _rate_above
from strategies import policies

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("incident-process")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [shutil.which("incident-process") or "incident-process"]

#: The classification of the guide, with SEV2's error-rate threshold at 15% instead of 10%.
THRESHOLD_15 = """
[[classification]]
severity = "SEV1"
when_any = ["complete_outage", "data_breach"]

[[classification]]
severity = "SEV2"
when_any = ["critical_endpoint_down", "significant_functionality_impaired"]
error_rate_above = 0.15

[[classification]]
severity = "SEV3"
when_any = ["limited_impact"]
"""

QUIET_20 = '[resolution.quiet_period]\nSEV2 = "20m"\n'

#: Every phase of the guide's lifecycle the example passes through, as the story shows it.
PHASES = ("-> detected", "-> declared", "-> responding", "-> resolved", "-> post_incident", "-> closed")

#: The refusals the example shows on purpose; any other refusal means the walk lost its way.
MEANT_REFUSALS = {"declaration.who_may_declare", "resolution.quiet_period", "post_incident.required"}

#: The story of the guide's policy, as README.md and docs/cli.md show it; the fix keeps it.
GUIDE_STORY = [
    "- Sun 09:01 impact began 6 minutes before the alert: milestone_recorded -> detected",
    "- Sun 09:03 ana acknowledges the page: acknowledged -> detected",
    (
        "- an intern tries to declare: REFUSED (declaration.who_may_declare): declarer role 'intern' may not "
        "declare; only 'on_call_engineer', 'support_lead', 'engineering_manager' may"
    ),
    "- Sun 09:04 ana, on call, declares it: declared -> declared [roles must: SEV2 must fill technical_lead]",
    (
        "- Sun 09:05 the response starts: response_started -> responding [roles must: SEV2 must fill "
        "technical_lead]"
    ),
    "- Sun 09:06 bo becomes Technical Lead: role_assigned -> responding",
    "- Sun 09:09 first status-page update: update_posted -> responding",
    "- Sun 09:20 bad deploy identified: update_posted -> responding",
    "- Sun 09:24 rollback under way: update_posted -> responding",
    (
        "- resolve 10 minutes after the last error: REFUSED (resolution.quiet_period): SEV2 needs no new "
        "error reports for 15 minutes; the last was 10 minutes before"
    ),
    "- Sun 09:46 resolve 16 minutes after the last error: resolved -> resolved",
    (
        "- close straight away: REFUSED (post_incident.required): a SEV2 incident needs its post-incident "
        "process before it closes"
    ),
    "- Sun 09:50 final status-page update: update_posted -> resolved",
    "- Sun 10:00 start the post-incident process: post_incident_started -> post_incident",
    "- Tue 10:00 the review, facilitated by eve: review_held -> post_incident",
    "- Tue 11:00 an action item for bo: action_item_added -> post_incident",
    "- Wed 09:00 the document is published: document_published -> post_incident",
    "- Wed 09:30 close: closed -> closed",
    "- Thu 09:00 archive the channel: channel_archived -> closed",
    "- Fri 15:00 bo completes the action item: action_item_completed -> closed",
]


def _story(text):
    return text.split("## An incident, step by step:", 1)[1].split("\nWho held which role:", 1)[0]


def assert_walks_every_phase(text):
    """The output has every section, walks every phase, refuses only on purpose, and closes."""
    story = _story(text)
    for phase in PHASES:
        assert phase in story, (phase, story)
    refused = set(re.findall(r"REFUSED \(([a-z_.]+)\)", story))
    assert {"declaration.who_may_declare", "resolution.quiet_period"} <= refused <= MEANT_REFUSALS, story
    for heading in (
        "## Example incidents, classified",
        "## The response playbook",
        "## From an alert to the status page",
        "## Kept in the embedded store",
    ):
        assert heading in text
    assert "INCIDENT DECLARED - " in text
    assert "INCIDENT RESOLVED - " in text
    assert re.search(r"Replaying its \d+ events rebuilds the same incident: True\.", text)
    # A day after the last step every duty is met or missed: nothing is left overdue.
    assert "overdue" not in text.rsplit("What it owed", 1)[1].split("Time to detect", 1)[0]


def demo(policy, folder):
    """The demo, in-process, written to a StringIO, its store in *folder*."""
    folder.mkdir(exist_ok=True)
    out = io.StringIO()
    out.write(demo_text(policy, folder=str(folder)))
    return out.getvalue()


@settings(
    max_examples=40,  # each example is a whole policy and a whole demo: about 6 s in all, unloaded
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(policy=policies)
def test_the_demo_walks_its_example_under_every_valid_policy(policy, tmp_path):
    """``demo --policy P`` for generated valid policies: exit 0, every phase walked, nothing raised."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        path = Path(folder) / "policy.toml"
        path.write_text(dump_policy(policy), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["demo", "--policy", str(path)])
    assert (code, err.getvalue()) == (0, "")
    assert_walks_every_phase(out.getvalue())


def test_a_sev2_quiet_period_of_20_minutes(tmp_path):
    """Was ``MessageError: missing fields end, follow_up, total_minutes``: now resolved after 21 minutes."""
    policy = loads_policy(QUIET_20)
    text = demo(policy, tmp_path)
    assert_walks_every_phase(text)
    story = _story(text)
    refused = "- resolve 15 minutes after the last error: REFUSED (resolution.quiet_period): SEV2 needs no "
    assert refused in story
    assert "- Sun 09:51 resolve 21 minutes after the last error: resolved -> resolved" in story
    assert "Duration: 2026-03-08 08:54 UTC to 2026-03-08 09:51 UTC (57 minutes)" in text
    assert "Follow-up: post-incident review scheduled by 2026-03-11" in text
    assert "- resolved at 09:52 without saying when the last error was" in text
    assert (tmp_path / "incidents.db").is_file()


def test_a_sev2_error_rate_threshold_of_15_percent(tmp_path):
    """Was ``SeverityError``: the example's error rate is now 2 points above the threshold, 17%."""
    policy = loads_policy(THRESHOLD_15)
    text = demo(policy, tmp_path)
    assert_walks_every_phase(text)
    assert (
        "- Checkout endpoint returning errors to 17% of requests\n"
        "  -> SEV2 Major: Significant functionality impaired (error rate 17% > 15%)"
    ) in text
    assert "Impact: Checkout fails for 17% of requests" in text
    assert "Customer impact: 17% of checkouts failed for 52 minutes" in text
    assert "This policy classifies" not in text


def test_the_command_line_with_both_policies_in_a_file(tmp_path):
    """The README's main job, as a newcomer runs it, under a policy with both of the issue's numbers."""
    path = tmp_path / "ours.toml"
    path.write_text(QUIET_20 + THRESHOLD_15, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own console script
        [*COMMAND, "demo", "--policy", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert_walks_every_phase(result.stdout)
    assert "resolve 21 minutes after the last error: resolved -> resolved" in result.stdout
    assert "(error rate 17% > 15%)" in result.stdout


def test_the_guides_story_is_unchanged():
    """Under the guide's policy (and the example policy's numbers) the story is today's, line for line."""
    _, story = example_incident(DEFAULT_POLICY)
    assert story == GUIDE_STORY
    _, example = example_incident(loads_policy((ROOT / "examples" / "policy.toml").read_text()))
    assert example == GUIDE_STORY


def test_a_severity_without_a_required_review_has_a_follow_up_line(tmp_path):
    """The resolution template's follow-up comes from the review deadline; without one, the demo says so.

    The second cause of the MessageError: ``render_resolution`` gives
    ``follow_up`` only for a severity whose post-incident process is required.
    """
    policy = attrs.evolve(
        DEFAULT_POLICY,
        post_incident=attrs.evolve(DEFAULT_POLICY.post_incident, required_for=(Severity.SEV1,)),
    )
    text = demo(policy, tmp_path)
    assert_walks_every_phase(text)
    assert "Follow-up: post-incident review optional for SEV2; one was held" in text
    assert "- close straight away: allowed, as this policy makes the post-incident process optional" in text


def test_no_sev2_impact_walks_the_nearest_severity_and_says_so(tmp_path):
    """SEV1 pages at 5%, above SEV2's 10% and on SEV2's flags: no impact is SEV2, so the example is SEV1."""
    policy = loads_policy(
        """
[[classification]]
severity = "SEV1"
when_any = ["critical_endpoint_down", "significant_functionality_impaired"]
error_rate_above = 0.05
[[classification]]
severity = "SEV2"
when_any = ["critical_endpoint_down"]
error_rate_above = 0.10
"""
    )
    text = demo(policy, tmp_path)
    assert_walks_every_phase(text)
    assert (
        "This policy classifies no impact as SEV2, the example's severity; the example is walked as SEV1 "
        "Critical: Complete outage or data breach (error rate 7% > 5%)."
    ) in text
    assert "INCIDENT DECLARED - SEV1" in text
    assert "-> not classified: no severity rule of this policy matches it (limited_impact)" in text


def test_a_classification_that_matches_nothing(tmp_path):
    """A rule above 100% classifies no impact: the examples say so and the example is declared by hand."""
    policy = loads_policy('[[classification]]\nseverity = "SEV3"\nerror_rate_above = 1.0\n')
    text = demo(policy, tmp_path)
    assert_walks_every_phase(text)
    assert text.count("-> not classified: no severity rule of this policy matches it") == 3
    assert "ana declares the example SEV2 without a classification." in text
    assert [found for _, found, _ in classified_examples(policy)] == [None, None, None]


def test_the_longest_and_shortest_windows_a_policy_may_give(tmp_path):
    """A year-long quiet period and cadence, Sunday-only business days; then one-second windows."""
    longest = loads_policy(
        """
zone = "Pacific/Chatham"
calendar.weekdays = [6]
resolution.quiet_period = { SEV1 = "8784h", SEV2 = "8784h", SEV3 = "8784h" }
resolution.archive_channel_after = "8784h"
resolution.enforce_checklist = true
declaration.enforce_checklist = true
declaration.who_may_declare = ["intern", "intern1"]
communication.update_cadence = { SEV1 = "8784h", SEV2 = "8784h", SEV3 = "8784h" }
communication.status_page.first_update_within = "8784h"
post_incident.review_within = "366 business days"
post_incident.document_within = "366 business days"
"""
    )
    text = demo(longest, tmp_path / "longest")
    assert_walks_every_phase(text)
    assert "- sam, as intern2, tries to declare: REFUSED (declaration.who_may_declare)" in text
    assert "- Tue 2027-03-09 09:31 resolve 8784 hours 1 minute after the last error: resolved" in text
    assert "ana does declaration.confirm_criteria, required before resolve" in text
    shortest = loads_policy(
        """
zone = "Australia/Lord_Howe"
resolution.quiet_period = { SEV1 = "1s", SEV2 = "1s", SEV3 = "1s" }
communication.update_cadence = { SEV1 = "1s", SEV2 = "1s", SEV3 = "1s" }
communication.status_page.first_update_within = "1s"
post_incident.review_within = "1 business day"
post_incident.document_within = "1 business day"
[[detection.responses]]
source = "automated_alert"
duty = "acknowledge"
within = "0s"
"""
    )
    text = demo(shortest, tmp_path / "shortest")
    assert_walks_every_phase(text)
    assert "- resolve at the last error: REFUSED (resolution.quiet_period)" in text
    assert "met at Mon 12:00: within 1 business day of resolution" in text


@given(low=st.floats(0, 1), high=st.floats(0, 1))
def test_the_example_error_rate_is_above_its_threshold_and_at_most_the_ceiling(low, high):
    """The example's error rate exceeds the threshold it stands for and stays under the graver ones."""
    rate = _rate_above(low, high)
    if low < high:
        assert rate is not None
        assert low < rate <= high
    else:
        assert rate is None
