"""The response playbook: checklists, what to do next, what not to do, how to decide, who is on call.

Guide, "2. Declaration" and "4. Resolution" (the checklists:
:func:`checklist`), "3. Response" (the response priorities, in order:
:func:`next_steps`; the "Do NOT" list: :func:`response_findings`; the
decision framework: :func:`choose_option`) and "On-Call Responsibilities" /
"Tools and Access" (:func:`check_readiness`, and the shift hand-off:
:func:`hand_off`). Each reads the policy's playbook data and an incident as
of a moment; none changes the incident.
"""

from ._checklists import Checklist, ChecklistItem, checklist
from ._decision import Decision, Option, RankedOption, Risk, SetAside, choose_option
from ._findings import RESPONSE_RULES, ResponseFinding, response_findings
from ._next_steps import NextStep, Stage, next_steps
from ._on_call import HandoffEntry, OnCallProfile, Readiness, ShiftHandoff, check_readiness, hand_off

__all__ = [
    "RESPONSE_RULES",
    "Checklist",
    "ChecklistItem",
    "Decision",
    "HandoffEntry",
    "NextStep",
    "OnCallProfile",
    "Option",
    "RankedOption",
    "Readiness",
    "ResponseFinding",
    "Risk",
    "SetAside",
    "ShiftHandoff",
    "Stage",
    "check_readiness",
    "checklist",
    "choose_option",
    "hand_off",
    "next_steps",
    "response_findings",
]
