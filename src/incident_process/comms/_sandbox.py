"""The sandbox message templates run in: bounded work, and every failure a :class:`MessageError`.

Issue 19, defect 6: an organisation's template (see :class:`MessageTemplates`)
is code the library runs, so what it may do is bounded, and whatever goes
wrong in it is reported as a :class:`~incident_process.errors.MessageError`
naming the template and the line, never as a raw exception.

Bounds (constants in :mod:`._metering`; each refused with a :class:`MessageError`
at the line that crossed it):

* A template file is at most ``MAX_TEMPLATE_BYTES`` (16 KiB), UTF-8, a
  regular file (a FIFO or device is not read); it has at most
  ``MAX_TEMPLATE_NODES`` (2,000) expressions and statements, nested at most
  ``MAX_TEMPLATE_NESTING`` (48) deep, loops, macros and call blocks
  ``MAX_TEMPLATE_LOOPS`` (8) deep: compiling it costs little.
* One render makes at most ``MAX_TEMPLATE_CHARACTERS`` (1,000,000)
  characters, its output and every text, list or number it computes on the
  way counted together. An operation that would make more (``"x" * 10**9``,
  ``"x"|center(10**9)``, ``2 ** 10**9``, a format width of a billion) is
  refused *before* it runs; what a filter, method or comparison reads counts
  too, so nothing costly is repeated for free.
* One render runs at most ``MAX_TEMPLATE_STEPS`` (50,000) steps: each loop
  iteration costs the size of the loop's body, each call (a macro, a method,
  ``caller()``) and each filter two steps plus its body and one a container
  item it reads, each template included or imported ten plus its size.
  Nested ``range(100000)`` loops stop at once.
* ``range()`` gives at most ``MAX_TEMPLATE_RANGE`` (10,000) numbers;
  ``lipsum``, and the ``striptags`` and ``urlize`` filters (whose cost grows
  with the square of the text) are left out; text has no ``encode`` (codecs
  such as punycode are quadratic); ``sum`` adds numbers only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from incident_process._limits import (
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATE_LOOPS,
    MAX_TEMPLATE_NESTING,
    MAX_TEMPLATE_NODES,
    Refused,
    read_regular_file,
)
from incident_process.errors import MessageError

from ._metering import (
    ATTRIBUTES_REFUSED,
    BUDGET,
    CHARACTERS,
    FILTERS_LEFT_OUT,
    GLOBALS_LEFT_OUT,
    ITEMS,
    LOAD,
    PRIVATE_FILTERS,
    SCAN,
    STEPS,
    TEXT,
    VALUE,
    Budget,
    after,
    before_binop,
    before_call,
    bounded_range,
    metered_filter,
    metered_test,
    size,
)

__all__ = ["check_shape", "failure", "render_bounded", "sandbox"]


# --- the environment --------------------------------------------------------------------------


@functools.cache
def _sandbox_class() -> type[Any]:  # noqa: C901 - the classes need jinja2, which is imported when first used
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.sandbox import SandboxedEnvironment

    def private(name: str, node: nodes.Node, lineno: int) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=lineno)

    def charge(name: str, count: int, lineno: int) -> nodes.ExprStmt:
        return nodes.ExprStmt(private(name, nodes.Const(count, lineno=lineno), lineno), lineno=lineno)

    def cost(body: list[nodes.Node]) -> int:
        return sum(1 + sum(1 for _ in node.find_all(nodes.Node)) for node in body)

    def statements(body: list[nodes.Node]) -> list[nodes.Node]:
        """*body* with the literal text of each output counted before it is written."""
        counted: list[nodes.Node] = []
        for node in body:
            if isinstance(node, nodes.Output):
                literal = sum(len(part.data) for part in node.nodes if isinstance(part, nodes.TemplateData))
                if literal:
                    counted.append(charge(CHARACTERS, literal, node.lineno))
            counted.append(node)
        return counted

    def meter(node: nodes.Node, line: int) -> nodes.Node:  # noqa: C901 - one case a node
        """Add the metering to *node* and everything under it (see the module docstring).

        The template's shape has been checked (:func:`check_shape`), so this recursion is shallow.
        """
        line = node.lineno or line  # an operand has no line of its own
        for field, value in node.iter_fields():
            if isinstance(value, nodes.Node):
                setattr(node, field, meter(value, line))
            elif isinstance(value, list):
                items = [meter(item, line) if isinstance(item, nodes.Node) else item for item in value]
                is_body = field in {"body", "else_"} and not isinstance(node, nodes.Output)
                setattr(node, field, statements(items) if is_body else items)
        if isinstance(node, nodes.For):
            node.iter = private(ITEMS, node.iter, line)
            node.body.insert(0, charge(STEPS, cost(node.body), line))
        elif isinstance(node, nodes.Macro | nodes.CallBlock | nodes.Block):
            node.body.insert(0, charge(STEPS, cost(node.body), line))
        elif isinstance(node, nodes.Concat):
            node.nodes = [private(TEXT, child, line) for child in node.nodes]
        elif isinstance(node, nodes.Compare):
            node.expr = private(SCAN, node.expr, line)
            for operand in node.ops:
                operand.expr = private(SCAN, operand.expr, line)
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            node.template = private(LOAD, node.template, line)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Slice):
            return private(VALUE, node, line)
        return node

    class MeteredGenerator(CodeGenerator):
        """Jinja's code generator, metering the template first (see :func:`meter`)."""

        def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:  # noqa: N802 - Jinja's name
            check_shape(node, self.name, self.filename)
            metered = meter(node, 1)
            assert isinstance(metered, nodes.Template)  # noqa: S101 - meter returns a template as it is
            metered.body.insert(0, charge(STEPS, cost(metered.body), 1))
            super().visit_Template(metered, frame)

    class BoundedSandbox(SandboxedEnvironment):
        """Jinja's sandbox with every operation that can cost much counted (see the module docstring)."""

        code_generator_class = MeteredGenerator
        intercepted_binops = frozenset({"+", "*", "**", "%"})

        def __init__(self, **options: Any) -> None:  # noqa: ANN401 - Jinja's options
            super().__init__(optimized=False, **options)
            for name in GLOBALS_LEFT_OUT:
                self.globals.pop(name, None)
            self.globals["range"] = bounded_range
            self.filters = {
                name: metered_filter(name, function)
                for name, function in self.filters.items()
                if name not in FILTERS_LEFT_OUT
            }
            tests: Mapping[str, Callable[..., object]] = self.tests  # type: ignore[assignment] # Jinja types them as "function"
            self.tests = {name: metered_test(function) for name, function in tests.items()}
            self.filters.update(PRIVATE_FILTERS)

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:  # noqa: ANN401 - any object
            if attr in ATTRIBUTES_REFUSED and isinstance(obj, str | bytes):
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:  # noqa: ANN401
            budget = before_binop(operator, left, right)
            result = super().call_binop(context, operator, left, right)
            after(budget, result)
            return result

        def call(__self, __context: Any, __obj: Any, /, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401, N805 - Jinja's signature
            budget, args, kwargs = before_call(__obj, args, kwargs)
            result = super().call(__context, __obj, *args, **kwargs)
            after(budget, result)
            return result

    return BoundedSandbox


def check_shape(tree: Any, name: str | None, filename: str | None) -> None:  # noqa: ANN401 - a jinja2 node
    """Refuse a parsed template with too many nodes, or nested too deep (before any costly work on it).

    Raises:
        jinja2.TemplateSyntaxError: naming the line.
    """
    import jinja2
    from jinja2 import nodes

    count = 0
    pending: list[tuple[nodes.Node, int, int, int]] = [(tree, 0, 0, 1)]
    while pending:
        node, depth, loops, line = pending.pop()
        count += 1
        line = node.lineno or line  # an operand has no line of its own
        loops += isinstance(node, nodes.For | nodes.Macro | nodes.CallBlock)
        problem = None
        if count > MAX_TEMPLATE_NODES:
            problem = f"more than {MAX_TEMPLATE_NODES:,} expressions and statements"
        elif depth > MAX_TEMPLATE_NESTING:
            problem = f"nested more than {MAX_TEMPLATE_NESTING} deep"
        elif loops > MAX_TEMPLATE_LOOPS:
            problem = f"loops, macros and call blocks nested more than {MAX_TEMPLATE_LOOPS} deep"
        if problem is not None:
            raise jinja2.TemplateSyntaxError(problem, line, name, filename)
        pending.extend((child, depth + 1, loops, line) for child in node.iter_child_nodes())


class _DirectoryLoader:
    """Templates from an organisation's directory: regular UTF-8 files of at most MAX_TEMPLATE_BYTES."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def loader(self) -> Any:  # noqa: ANN401 - a jinja2 loader
        import jinja2
        from jinja2.loaders import split_template_path

        directory = self.directory

        class Loader(jinja2.BaseLoader):
            def get_source(
                self,
                environment: jinja2.Environment,  # noqa: ARG002 - Jinja's signature
                template: str,
            ) -> tuple[str, str, Callable[[], bool]]:
                path = directory.joinpath(*split_template_path(template))
                try:
                    data = read_regular_file(str(path), MAX_TEMPLATE_BYTES)
                except FileNotFoundError:
                    raise jinja2.TemplateNotFound(template) from None
                except (Refused, OSError) as error:
                    msg = f"template {path}: {error}"
                    raise MessageError(msg) from None
                try:
                    source = data.decode("utf-8")
                except UnicodeDecodeError as error:
                    line = data.count(b"\n", 0, error.start) + 1
                    msg = f"template {path}, line {line}: not UTF-8 text (byte {data[error.start]:#04x})"
                    raise MessageError(msg) from None
                return source, str(path), lambda: True

        return Loader()


def sandbox(directory: Path | None, finalize: Callable[[object], str]) -> Any:  # noqa: ANN401 - a jinja2 environment
    """The bounded sandbox for *directory*'s templates, then the shipped ones; *finalize* writes values.

    Every template, shipped or not, runs in it.
    """
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if directory is not None:
        loaders.append(_DirectoryLoader(directory).loader())
    loaders.append(jinja2.PackageLoader("incident_process", "templates"))

    @jinja2.pass_context
    def metered_finalize(context: object, value: object) -> str:  # noqa: ARG001 - Jinja passes the context
        budget = BUDGET.get() or Budget()
        if (
            type(value) is not str and type(value) is not int
        ):  # short as shown; anything else is counted first
            budget.afford(size(value, budget.characters), "this value")
        text = finalize(value)
        budget.characters -= len(text)
        if budget.characters < 0:
            budget.charge(0)
        return text

    return _sandbox_class()(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        finalize=metered_finalize,
        autoescape=False,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def render_bounded(template: Any, context: Any) -> str:  # noqa: ANN401 - jinja2 objects
    """Render *template* in *context* within the budget of one render (see the module docstring)."""
    token = BUDGET.set(Budget())
    try:
        return "".join(template.root_render_func(context))
    finally:
        BUDGET.reset(token)


# --- what went wrong, and where -----------------------------------------------------------------


def _where(error: BaseException) -> tuple[str | None, int | None]:
    """The template and line of the innermost template code in *error*'s traceback."""
    import jinja2
    from jinja2 import nodes
    from jinja2.parser import Parser

    if isinstance(error, jinja2.TemplateSyntaxError):
        return error.filename or error.name, error.lineno
    name: str | None = None
    line: int | None = None
    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template):
            name = template.filename or template.name
            line = template.get_corresponding_lineno(traceback.tb_lineno)
        else:
            parser = frame.f_locals.get("self")
            node = frame.f_locals.get("node")
            if isinstance(parser, Parser):
                name, line = parser.filename or parser.name, parser.stream.current.lineno
            elif isinstance(node, nodes.Node) and node.lineno:
                line = node.lineno
        traceback = traceback.tb_next
    return name, line


def _what(error: BaseException) -> str:
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        return error.message or type(error).__name__
    if isinstance(error, jinja2.TemplateNotFound):
        return f"no template named {error.name!r}"
    if isinstance(error, jinja2.TemplateError | Refused | MessageError):
        return str(error)
    if isinstance(error, MemoryError):
        return "out of memory (MemoryError)"
    if isinstance(error, RecursionError):
        return "calls or includes nested too deep (RecursionError)"
    text = str(error)
    return f"{text} ({type(error).__name__})" if text else type(error).__name__


def failure(kind: str, fallback: str, error: BaseException) -> MessageError:
    """The :class:`MessageError` for *error* in the *kind* template: which template, which line, what."""
    name, line = _where(error)
    where = name or fallback
    if line is not None:
        where = f"{where}, line {line}"
    return MessageError(f"{kind} template {where}: {_what(error)}")
