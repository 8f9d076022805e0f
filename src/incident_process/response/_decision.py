"""The guide's decision framework: ranking the options a responder has.

Guide, "3. Response", "Decision Framework":

    When deciding between options:

    | Factor | Consideration |
    | Speed | Which option restores service fastest? |
    | Risk | What could go wrong with each option? |
    | Reversibility | Can we undo this if it doesn't work? |
    | Data | Are we risking data loss or corruption? |

    **When in doubt**: Choose the safest reversible option that stops
    customer impact.

:func:`choose_option` reads that sentence as the ranking rule: only options
that stop customer impact are candidates; among them, the factors are
compared in the policy's order (``response.decision_factors``; by default
data risk, then reversibility, then risk, then speed: the safest, then the
reversible, then the fastest). Nothing is guessed: an option whose effect on
customer impact or any factor is unknown is set aside with what is missing,
and options equal on every factor tie and are said to tie (in name order, so
the ranking never depends on the order they were given in).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import timedelta

import attrs

from incident_process._arguments import check_type
from incident_process.errors import PlaybookError
from incident_process.policy import DECISION_FACTORS, DEFAULT_POLICY, Policy
from incident_process.timing import describe_duration

__all__ = ["Decision", "Option", "RankedOption", "Risk", "SetAside", "choose_option"]


class Risk(enum.Enum):
    """What could go wrong with an option (guide, "Risk"), from least to most."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high."""
        return list(Risk).index(self)


@attrs.frozen(kw_only=True)
class Option:
    """A candidate action, described by the guide's four factors; ``None`` where it is not known.

    Attributes:
        name: What it is (``"roll back the deploy"``).
        stops_impact: Whether it stops customer impact.
        restores_in: How soon it restores service (guide, "Speed").
        risk: What could go wrong (guide, "Risk").
        reversible: Whether it can be undone if it does not work
            (guide, "Reversibility").
        risks_data: Whether it risks data loss or corruption (guide, "Data").
    """

    name: str
    stops_impact: bool | None = None
    restores_in: timedelta | None = None
    risk: Risk | None = None
    reversible: bool | None = None
    risks_data: bool | None = None

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append(f"name: expected non-empty text, got {self.name!r}")
        for field in ("stops_impact", "reversible", "risks_data"):
            value = getattr(self, field)
            if value is not None and not isinstance(value, bool):
                problems.append(f"{field}: expected true, false or None, got {value!r}")
        if self.restores_in is not None and (
            not isinstance(self.restores_in, timedelta) or self.restores_in < timedelta(0)
        ):
            problems.append(f"restores_in: expected a duration of at least 0, got {self.restores_in!r}")
        if self.risk is not None and not isinstance(self.risk, Risk):
            problems.append(f"risk: expected a Risk (low, medium, high), got {self.risk!r}")
        if problems:
            raise PlaybookError(f"Option({self.name!r}): " + "; ".join(problems))


@attrs.frozen(kw_only=True)
class RankedOption:
    """An option's place in the ranking, and why it is there.

    Attributes:
        option: The option.
        place: Its place, from 1; options that tie share a place.
        reason: Why: for the first, what makes it the safest; for the
            others, the first factor on which the option above is better, or
            the tie.
    """

    option: Option
    place: int
    reason: str


@attrs.frozen(kw_only=True)
class SetAside:
    """An option not ranked, and why: it does not stop customer impact, or a factor is unknown.

    Attributes:
        option: The option.
        reason: Why it is not ranked.
    """

    option: Option
    reason: str


@attrs.frozen(kw_only=True)
class Decision:
    """The framework's answer.

    Attributes:
        ranking: The candidates, best first.
        set_aside: The options not ranked, with why.
        chosen: The first candidate; ``None`` when there is none, or when
            two or more tie for first place (the framework cannot tell them
            apart: people decide).
        reason: The choice, in words.
    """

    ranking: tuple[RankedOption, ...]
    set_aside: tuple[SetAside, ...]
    chosen: Option | None
    reason: str


# How each factor compares (lower is better) and says itself.
_FACTORS: dict[str, tuple[str, Callable[[Option], object], Callable[[Option], str]]] = {
    "data": (
        "risks_data",
        lambda o: o.risks_data,
        lambda o: "risks data" if o.risks_data else "no data risk",
    ),
    "reversibility": (
        "reversible",
        lambda o: not o.reversible,
        lambda o: "reversible" if o.reversible else "irreversible",
    ),
    "risk": (
        "risk",
        lambda o: o.risk.rank if o.risk else 0,
        lambda o: f"{o.risk.value if o.risk else '?'} risk",
    ),
    "speed": (
        "restores_in",
        lambda o: o.restores_in,
        lambda o: f"restores service in {_span(o.restores_in)}",
    ),
}


def _span(span: timedelta | None) -> str:
    return "?" if span is None else describe_duration(span)


def _missing(option: Option) -> list[str]:
    return [
        f"{factor} ({field})" for factor, (field, _, _) in _FACTORS.items() if getattr(option, field) is None
    ]


def choose_option(options: Iterable[Option], *, policy: Policy = DEFAULT_POLICY) -> Decision:
    """Rank *options* by the guide's decision framework and choose (see the module docstring).

    >>> from datetime import timedelta
    >>> decision = choose_option([
    ...     Option(name="fail over the database", stops_impact=True, restores_in=timedelta(minutes=5),
    ...            risk=Risk.MEDIUM, reversible=False, risks_data=False),
    ...     Option(name="roll back the deploy", stops_impact=True, restores_in=timedelta(minutes=10),
    ...            risk=Risk.LOW, reversible=True, risks_data=False),
    ... ])
    >>> decision.chosen.name
    'roll back the deploy'
    >>> for ranked in decision.ranking:
    ...     print(ranked.place, ranked.reason)
    1 first: no data risk, reversible, low risk, restores service in 10 minutes
    2 after 'roll back the deploy': irreversible

    Raises:
        PlaybookError: for no options, an item that is not an :class:`Option`
            or two options with the same name.
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    candidates, set_aside = _candidates(_checked(options))
    ranking = _rank(candidates, policy.response.decision_factors)
    top = [ranked.option.name for ranked in ranking if ranked.place == 1]
    if not ranking:
        chosen, reason = None, "no option is known to stop customer impact with every factor known"
    elif len(top) > 1:
        chosen, reason = None, f"{', '.join(map(repr, top))} tie on every factor: the framework cannot choose"
    else:
        chosen = ranking[0].option
        reason = _why(chosen, ranking, policy.response.decision_factors)
    return Decision(ranking=tuple(ranking), set_aside=tuple(set_aside), chosen=chosen, reason=reason)


def _why(chosen: Option, ranking: list[RankedOption], order: tuple[str, ...]) -> str:
    """Why *chosen* is first, in the guide's words where the policy compares as the guide does."""
    said = ranking[0].reason.removeprefix("first: ")
    if order != DECISION_FACTORS:
        return f"{chosen.name!r}: first when comparing {', '.join(order)} in the policy's order ({said})"
    if chosen.reversible:
        return f"{chosen.name!r}: the safest reversible option that stops customer impact ({said})"
    if any(ranked.option.reversible for ranked in ranking):
        # Data risk comes first: every reversible candidate risks data, and this one does not.
        return f"{chosen.name!r}: every reversible option risks data, and this one does not ({said})"
    return f"{chosen.name!r}: no reversible option is known to stop customer impact ({said})"


def _checked(options: Iterable[Option]) -> list[Option]:
    if isinstance(options, str | Option):
        msg = f"options: expected a list of Option values, got {options!r}"
        raise PlaybookError(msg)
    try:
        given: list[object] = list(options)
    except TypeError:
        msg = f"options: expected a list of Option values, got {options!r}"
        raise PlaybookError(msg) from None
    if not given:
        msg = "options: expected at least one Option"
        raise PlaybookError(msg)
    names: set[str] = set()
    for index, option in enumerate(given):
        if not isinstance(option, Option):
            msg = f"options[{index}]: expected an Option, got {option!r}"
            raise PlaybookError(msg)
        if option.name in names:
            msg = f"options[{index}]: a second option named {option.name!r}"
            raise PlaybookError(msg)
        names.add(option.name)
    return given  # type: ignore[return-value] # each item checked above


def _candidates(given: list[Option]) -> tuple[list[Option], list[SetAside]]:
    """The options that stop customer impact with every factor known, and the others with why, by name."""
    candidates, set_aside = [], []
    for option in sorted(given, key=lambda o: o.name):
        missing = _missing(option)
        if option.stops_impact is False:
            set_aside.append(SetAside(option=option, reason="it does not stop customer impact"))
        elif option.stops_impact is None or missing:
            unknown = (["whether it stops customer impact"] if option.stops_impact is None else []) + missing
            set_aside.append(SetAside(option=option, reason=f"not known: {', '.join(unknown)}"))
        else:
            candidates.append(option)
    return candidates, set_aside


def _rank(candidates: list[Option], order: tuple[str, ...]) -> list[RankedOption]:
    """The candidates best first, factor by factor in *order*; equal ones tie, in name order."""

    def key(option: Option) -> tuple[object, ...]:
        return tuple(_FACTORS[factor][1](option) for factor in order)

    ordered = sorted(candidates, key=lambda o: (key(o), o.name))
    ranking: list[RankedOption] = []
    for position, option in enumerate(ordered):
        if position == 0:
            said = ", ".join(_FACTORS[factor][2](option) for factor in order)
            ranking.append(RankedOption(option=option, place=1, reason=f"first: {said}"))
            continue
        above = ordered[position - 1]
        better = next((f for f in order if _FACTORS[f][1](above) != _FACTORS[f][1](option)), None)
        if better is None:
            place, reason = ranking[-1].place, f"tied with {above.name!r} on every factor"
        else:
            place, reason = position + 1, f"after {above.name!r}: {_FACTORS[better][2](option)}"
        ranking.append(RankedOption(option=option, place=place, reason=reason))
    return ranking
