"""What a message template's operations cost, counted against the budget of one render (issue 19).

The budget (:class:`Budget`) is the characters a render may still make and
the steps it may still run; :mod:`._sandbox` calls these functions from
Jinja's hooks (operators, calls, filters, tests, the values written) and
from the private filters it adds to every template (each loop iteration,
each body run, each literal text written, each template loaded). An
operation that would make more than what is left is refused *before* it
runs, with :class:`~incident_process._limits.Refused`, which the render
reports as a :class:`~incident_process.errors.MessageError` at the line.
"""

from __future__ import annotations

import contextvars
import functools
import re
import string
import types
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from incident_process._limits import (
    MAX_TEMPLATE_BITS,
    MAX_TEMPLATE_CHARACTERS,
    MAX_TEMPLATE_RANGE,
    MAX_TEMPLATE_STEPS,
    Refused,
)

__all__ = [
    "ATTRIBUTES_REFUSED",
    "BUDGET",
    "CHARACTERS",
    "FILTERS_LEFT_OUT",
    "GLOBALS_LEFT_OUT",
    "ITEMS",
    "LOAD",
    "PRIVATE_FILTERS",
    "SCAN",
    "STEPS",
    "TEXT",
    "VALUE",
    "Budget",
    "after",
    "before_binop",
    "before_call",
    "bounded_range",
    "current",
    "metered_filter",
    "metered_test",
    "size",
]


FILTERS_LEFT_OUT = frozenset({"striptags", "urlize"})
GLOBALS_LEFT_OUT = frozenset({"lipsum"})
ATTRIBUTES_REFUSED = frozenset({"encode", "decode", "maketrans", "translate"})
#: Methods of a list, dict or set that cost the same whatever the container holds.
_CHEAP_METHODS = frozenset(
    {"append", "pop", "popitem", "clear", "get", "keys", "values", "items", "setdefault", "add", "discard"}
)
#: Steps a call (a macro, a method, ``caller()``) or a filter costs: about twice a node's time.
_CALL_STEPS = 2
#: Steps loading a template costs (``include``, ``import``, ``extends``), besides running its nodes.
_LOAD_STEPS = 10
_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_NUMBER = re.compile(r"\d+")
_SEQUENCES = (str, list, tuple)


class Budget:
    """What one render may still do: characters and steps."""

    __slots__ = ("characters", "steps")

    def __init__(self) -> None:
        self.characters = MAX_TEMPLATE_CHARACTERS
        self.steps = MAX_TEMPLATE_STEPS

    def step(self, count: int) -> None:
        self.steps -= count
        if self.steps < 0:
            msg = f"the template ran over {MAX_TEMPLATE_STEPS:,} steps (loop iterations and calls)"
            raise Refused(msg)

    def afford(self, count: int, what: str) -> None:
        """Refuse *what* before it runs if it would make more than the characters left."""
        if count > self.characters:
            msg = (
                f"{what} would make about {count:,} characters: the template's output and computed "
                f"text are limited to {MAX_TEMPLATE_CHARACTERS:,} characters"
            )
            raise Refused(msg)

    def charge(self, count: int) -> None:
        self.characters -= count
        if self.characters < 0:
            msg = f"template output and computed text over {MAX_TEMPLATE_CHARACTERS:,} characters"
            raise Refused(msg)


BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("template_budget", default=None)


def current() -> Budget:
    return BUDGET.get() or Budget()


def size(value: object, limit: int) -> int:  # noqa: C901 - a branch a kind of value, the usual ones inlined
    """About how many characters ``str(value)`` makes, counted no further than just past *limit*.

    Containers count every item, shared or not (a list holding itself twice,
    thirty levels deep, is counted as the billion items its text would
    show), so the count stops as soon as it passes *limit*: it never costs
    more than the characters it allows.
    """
    total = 0
    pending: list[object] = [value]
    while pending and total <= limit:
        item = pending.pop()
        kind = type(item)
        if kind is str:  # the usual cases first, without a call
            total += len(item) + 2  # type: ignore[arg-type] # a str, as checked
        elif kind is int:
            total += item.bit_length() * 3 // 10 + 2  # type: ignore[attr-defined] # an int, as checked
        elif kind is list or kind is tuple:
            total += 2 * len(item) + 2  # type: ignore[arg-type] # a list or tuple, as checked
            if total <= limit:
                pending.extend(item)  # type: ignore[arg-type] # a list or tuple, as checked
        elif isinstance(item, set | frozenset | list | tuple):
            total += 2 * len(item) + 2
            if total <= limit:
                pending.extend(item)
        elif isinstance(item, dict):
            total += 4 * len(item) + 2
            if total <= limit:
                pending.extend(item.keys())
                pending.extend(item.values())
        else:
            attributes = _namespace_attributes(item)
            if attributes is not None:
                pending.append(attributes)
            total += _scalar_size(item)
    return total


def _scalar_size(item: object) -> int:
    """About how many characters ``str(item)`` makes, for anything but a container."""
    if isinstance(item, str | bytes):
        return len(item) + 2
    if isinstance(item, bool) or item is None:
        return 5
    if isinstance(item, int):
        return item.bit_length() * 3 // 10 + 2
    if isinstance(item, range):
        return len(item) * (len(str(max(abs(item.start), abs(item.stop)))) + 3)
    return 16


def _namespace_attributes(value: object) -> dict[str, object] | None:
    """The attributes of a Jinja ``namespace()``, whose text shows them all."""
    if type(value).__name__ != "Namespace":
        return None
    try:
        attributes = object.__getattribute__(value, "_Namespace__attrs")
    except AttributeError:
        return None
    return attributes if isinstance(attributes, dict) else None


def _length(value: object) -> int:
    """The length of a built-in text, sequence or mapping (what it cost to make); 1 for anything else."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset | range):
        return len(value)
    return 1


_CONTAINERS = (list, tuple, dict, set, frozenset, range, KeysView, ValuesView, ItemsView)


def _counted(budget: Budget, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """*values*, each container's items counted as steps and each iterator counting the items it gives.

    A filter or method goes through its input item by item, often in Python
    (``map``, ``groupby``, ``sort(attribute=...)``): each item is a step.
    """
    counted: list[object] = []
    for value in values:
        if isinstance(value, _CONTAINERS):
            budget.step(len(value))
        elif isinstance(value, Iterator):
            value = _items(value)  # noqa: PLW2901 - the same items, counted as they come
        counted.append(value)
    return tuple(counted)


def _charge_arguments(budget: Budget, values: Iterable[object]) -> None:
    for value in values:
        if not isinstance(value, int | float | bool) and value is not None:
            budget.charge(size(value, budget.characters))


# --- operations that can make much more than they are given --------------------------------


def _repeat_problem(left: object, right: object) -> tuple[int, str] | None:
    """The size ``left * right`` would have, for a text or list repeated or a big product."""
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(times, int):
            return len(sequence) * max(times, 0), "repeating"
    if isinstance(left, int) and isinstance(right, int):
        bits = left.bit_length() + right.bit_length()
        if bits > MAX_TEMPLATE_BITS:
            return bits * 3 // 10, "multiplying"
    return None


def _power_problem(base: object, exponent: object) -> str | None:
    if not (isinstance(base, int) and isinstance(exponent, int)) or exponent <= 0 or abs(base) <= 1:
        return None
    if (base.bit_length() - 1) * exponent > MAX_TEMPLATE_BITS:
        return f"a power with {exponent:,} as exponent is over {MAX_TEMPLATE_BITS:,} bits"
    return None


def _percent_size(template: str, arguments: object, limit: int) -> int:
    """About how many characters ``template % arguments`` makes."""
    values = arguments if isinstance(arguments, tuple) else (arguments,)
    if isinstance(arguments, Mapping):
        values = tuple(arguments.values())
    widest = max((value for value in values if isinstance(value, int)), default=0)
    largest = max((size(value, limit) for value in values), default=0)
    made = len(template)
    for match in _WIDTH.finditer(template):
        for number in match.groups():
            if number == "*":
                made += max(widest, 0)
            elif number:
                made += int(number) if len(number) < 19 else limit + 1  # 19 digits: past any limit
        made += largest
    return made


def _format_size(template: str, args: tuple[object, ...], kwargs: Mapping[str, object], limit: int) -> int:
    """About how many characters ``template.format(*args, **kwargs)`` makes."""
    values = (*args, *kwargs.values())
    widest = max((value for value in values if isinstance(value, int)), default=0)
    largest = max((size(value, limit) for value in values), default=0)
    made = len(template)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return made  # str.format says what is wrong
    for _, field, spec, _ in parsed:
        if field is None:
            continue
        made += largest
        for number in _SPEC_NUMBER.findall(spec or ""):
            made += int(number) if len(number) < 19 else limit + 1  # 19 digits: past any limit
        if spec and "{" in spec:
            made += max(widest, 0)
    return made


def _text_method_size(
    method: str, text: str, args: tuple[object, ...], kwargs: Mapping[str, object], limit: int
) -> int | None:
    """About how many characters a method of *text* makes, for the methods that can make many."""
    first = args[0] if args else next(iter(kwargs.values()), None)
    if method in {"center", "ljust", "rjust", "zfill"} and isinstance(first, int):
        return max(first, len(text))
    if method == "expandtabs":
        made = first if isinstance(first, int) else 8
        return len(text) + text.count("\t") * max(made, 0)
    if method == "replace" and len(args) > 1 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        found = text.count(old) if old else len(text) + 1
        return len(text) + found * max(len(new) - len(old), 0)
    if method in {"format", "format_map"}:
        values = dict(first) if method == "format_map" and isinstance(first, Mapping) else kwargs
        return _format_size(text, args if method == "format" else (), values, limit)
    return None


def _join_size(separator: str, items: list[object], limit: int) -> int:
    made = len(separator) * max(len(items) - 1, 0)
    for item in items:
        made += size(item, limit - made)
        if made > limit:
            break
    return made


# --- filters and globals ------------------------------------------------------------------------


def _filter_size(name: str, args: tuple[object, ...], kwargs: Mapping[str, object], limit: int) -> int | None:  # noqa: PLR0911 - one case a filter
    """About how many characters filter *name* makes, for the filters that can make many."""
    value = args[0] if args else None
    rest = args[1:]

    def argument(position: int, keyword: str, default: object) -> object:
        if len(rest) > position:
            return rest[position]
        return kwargs.get(keyword, default)

    text = value if isinstance(value, str) else None
    if name == "center" and text is not None:
        width = argument(0, "width", 80)
        return max(width, len(text)) if isinstance(width, int) else None
    if name == "indent" and text is not None:
        width = argument(0, "width", 4)
        each = width if isinstance(width, int) else len(str(width))
        return len(text) + (text.count("\n") + 1) * max(each, 0)
    if name == "wordwrap" and text is not None:
        # textwrap copies the rest of a long word for each line it cuts: a word's cost is its length
        # squared over the width.
        wrap, width = argument(3, "wrapstring", None), argument(0, "width", 79)
        longest = max(map(len, text.split()), default=0)
        work = len(text) * longest // max(width if isinstance(width, int) else 1, 1)
        return max(len(text) * (1 + (len(wrap) if isinstance(wrap, str) else 1)), work)
    if name == "replace" and text is not None:
        return _text_method_size("replace", text, tuple(rest[:2]), {}, limit)
    if name == "format" and text is not None:
        return _percent_size(text, kwargs or tuple(rest), limit)
    if name in {"batch", "slice"}:
        count = argument(0, "linecount" if name == "batch" else "slices", 1)
        return count if isinstance(count, int) else None
    if name == "join" and isinstance(value, list | tuple | range):
        separator = argument(0, "d", "")
        return _join_size(str(separator), list(value), limit) if isinstance(separator, str) else None
    return None


def metered_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """*function* with its cost counted: its inputs, what it makes, and a refusal before a huge result."""
    # A context, eval context or environment comes first, if the filter asks for one.
    offset = 1 if hasattr(function, "jinja_pass_arg") else 0

    @functools.wraps(function)
    def metered(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - a filter takes and gives anything
        budget = current()
        budget.step(_CALL_STEPS)
        args = (*args[:offset], *_counted(budget, args[offset:]))
        kwargs = dict(zip(kwargs, _counted(budget, tuple(kwargs.values())), strict=True))
        given = args[offset:]
        if name == "join" and given and isinstance(given[0], Iterator):
            given = (list(given[0]), *given[1:])  # the join reads them all anyway; count them first
            args = (*args[:offset], *given)
        start = kwargs.get("start", given[2] if len(given) > 2 else 0)  # sum(value, attribute, start)
        if name == "sum" and not isinstance(start, int | float):
            msg = "sum() adds numbers only here (adding lists or texts costs the square of their length)"
            raise Refused(msg)
        _charge_arguments(budget, (*given, *kwargs.values()))
        made = _filter_size(name, tuple(given), kwargs, budget.characters)
        if made is not None:
            budget.afford(made, f"the {name} filter")
        result = function(*args, **kwargs)
        budget.charge(_length(result))
        return result

    return metered


def metered_test(function: Callable[..., object]) -> Callable[..., object]:
    @functools.wraps(function)
    def metered(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 - a test takes anything
        budget = current()
        budget.step(1)
        _charge_arguments(budget, (*args, *kwargs.values()))
        return function(*args, **kwargs)

    return metered


def bounded_range(*args: int) -> range:
    """``range()`` of at most :data:`MAX_TEMPLATE_RANGE` numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_TEMPLATE_RANGE:
        msg = f"range() of {len(numbers):,} numbers: at most {MAX_TEMPLATE_RANGE:,} are allowed"
        raise Refused(msg)
    return numbers


# --- the private filters the metering adds to every template ----------------------------------

STEPS, LOAD, CHARACTERS, ITEMS, TEXT, SCAN, VALUE = (
    "incident_process.steps",
    "incident_process.load",
    "incident_process.characters",
    "incident_process.items",
    "incident_process.text",
    "incident_process.scan",
    "incident_process.value",
)


def _steps(count: int) -> str:
    current().step(count)
    return ""


def _load(name: object) -> object:
    current().step(_LOAD_STEPS)
    return name


def _characters(count: int) -> str:
    current().charge(count)
    return ""


def _items(iterable: Iterable[object]) -> Iterator[object]:
    budget = current()
    for item in iterable:
        budget.step(1)
        yield item


def _text(value: object) -> object:
    budget = current()
    budget.afford(size(value, budget.characters), "this text")
    text = value if isinstance(value, str) else str(value)
    budget.charge(len(text))
    return text


def _scan(value: object) -> object:
    budget = current()
    if not isinstance(value, int | float | bool) and value is not None:
        budget.charge(size(value, budget.characters))
    return value


def _value(value: object) -> object:
    current().charge(_length(value))
    return value


#: The filters the metering adds to every template, by names no template can write.
PRIVATE_FILTERS: Mapping[str, Callable[..., object]] = {
    STEPS: _steps,
    LOAD: _load,
    CHARACTERS: _characters,
    ITEMS: _items,
    TEXT: _text,
    SCAN: _scan,
    VALUE: _value,
}


# --- operators and calls -------------------------------------------------------------------------


def before_binop(operator: str, left: object, right: object) -> Budget:
    """Refuse ``left <operator> right`` before it runs if its result would be too large."""
    budget = current()
    if operator == "*":
        problem = _repeat_problem(left, right)
        if problem is not None:
            budget.afford(problem[0], problem[1])
    elif operator == "**":
        power = _power_problem(left, right)
        if power is not None:
            raise Refused(power)
    elif operator == "%" and isinstance(left, str):
        budget.afford(_percent_size(left, right, budget.characters), "this % format")
    elif operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        budget.afford(len(left) + len(right), "this +")
    return budget


def after(budget: Budget, result: object) -> None:
    """Count what an operator or call made."""
    if isinstance(result, int) and result.bit_length() > MAX_TEMPLATE_BITS:
        msg = f"a number over {MAX_TEMPLATE_BITS:,} bits"
        raise Refused(msg)
    budget.charge(_length(result))


def before_call(
    function: object, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Budget, tuple[Any, ...], dict[str, Any]]:
    """Count a call and its arguments, refuse one whose result would be too large; the arguments to pass."""
    budget = current()
    budget.step(_CALL_STEPS)
    args = _counted(budget, args)
    kwargs = dict(zip(kwargs, _counted(budget, tuple(kwargs.values())), strict=True))
    _charge_arguments(budget, (*args, *kwargs.values()))
    method = getattr(function, "__wrapped__", function)  # str.format, as the sandbox wraps it
    if not isinstance(method, types.BuiltinMethodType):
        return budget, args, kwargs
    owner, name = method.__self__, method.__name__
    if owner is None or isinstance(owner, types.ModuleType):
        return budget, args, kwargs
    if name not in _CHEAP_METHODS:
        _counted(budget, (owner,))
        budget.charge(size(owner, budget.characters))
    if isinstance(owner, str) and name == "join" and args:
        items = list(args[0])
        budget.afford(_join_size(owner, items, budget.characters), "this join")
        args = (items, *args[1:])
    elif isinstance(owner, str):
        made = _text_method_size(name, owner, args, kwargs, budget.characters)
        if made is not None:
            budget.afford(made, f"str.{name}")
    return budget, args, kwargs
