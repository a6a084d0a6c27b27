"""The sandbox every template runs in, and the limits that stop a runaway letter.

A template pack is data shared between advocates, so a template must be as safe to
open as a document. Three layers, each enough on its own for what it covers:

1. **What a template can reach.** ``PackSandbox`` reads attributes only of plain values
   and of the project's registered value types (``template_types``), and only when the
   attribute's value is one of those too (or a method of the object). A path, a file,
   a module or a class is never readable, whatever a future context holds. Lists and
   dicts stay read-only (Jinja's immutable sandbox refuses ``append``, ``update``...).
2. **How big anything can get.** ``**``, ``*``, ``+`` and ``%`` are intercepted and
   refused when their result would pass ``MAX_TEXT`` characters or ``MAX_INT_BITS``
   bits; so are ``~`` joins, calls whose text arguments or results are too long,
   huge widths in ``format`` and ``%`` strings, and filters given huge numbers.
   Jinja's ``range`` is capped too.
3. **How long a letter can take.** ``time_limit`` covers a whole letter (compiling,
   rendering, reading the Markdown and every writer). The sandbox checks the clock at
   every call, attribute, operator, loop step and printed value; on the main thread a
   watchdog also interrupts pure-Python work the template does not see (a writer
   wrapping a long paragraph). Neither uses Unix signals, so both hold on Windows and
   macOS. Work done in C in one step (a huge multiplication) is stopped by layer 2.
"""

from __future__ import annotations

import _thread
import contextlib
import contextvars
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from jinja2.compiler import CodeGenerator
from jinja2.environment import TemplateModule
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from markupsafe import Markup

from lettergen.errors import TemplateError
from lettergen.template_types import is_template_value

MAX_TEXT = 1_000_000  # characters of any one value a template makes or reads
MAX_INT_BITS = 4_000  # about 1,200 decimal digits: far past any amount or count
MAX_NUMBER_ARGUMENT = 100_000  # a width or count given to a filter or a text method
MAX_RANGE = 100_000  # items of one range()
LETTER_SECONDS = 6.0  # one letter: compile, render, read, every format

# Jinja's own objects a template legitimately looks inside: loop.index, ns.items,
# a macro imported from a partial ({% import ... as m %}{{ m.money(x) }}), caller().
_JINJA_TYPES = (LoopContext, Namespace, TemplateModule, Macro, Markup)

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "lettergen_deadline", default=None)


class LimitExceeded(TemplateError):
    """A letter passed a size or time limit (a runaway template)."""


# --- time ----------------------------------------------------------------------------


def checkpoint() -> None:
    """Stop here if the current letter has run out of time."""
    limit = _deadline.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise LimitExceeded(f"the letter took longer than {limit[1]:g} seconds and was "
                            "stopped (a template that runs away?)")


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Run the body under a time limit; raise ``LimitExceeded`` once it is passed.

    The sandbox calls ``checkpoint`` often. On the main thread a watchdog thread also
    calls ``_thread.interrupt_main`` when time is up, which raises KeyboardInterrupt at
    the next Python instruction of the main thread on every platform; we turn that one
    into ``LimitExceeded`` and let a real Ctrl-C through. Nested limits keep the
    outer, earlier deadline."""
    seconds = LETTER_SECONDS if seconds is None else seconds
    outer = _deadline.get()
    deadline = time.monotonic() + seconds
    if outer is not None and outer[0] < deadline:
        yield
        return
    token = _deadline.set((deadline, seconds))
    on_main = threading.current_thread() is threading.main_thread()
    state = {"active": True, "fired": False}
    lock = threading.Lock()
    done = threading.Event()

    def watch() -> None:
        # Interrupt again every half second, in case a library swallowed the first.
        wait = seconds + 0.25
        while not done.wait(wait):
            with lock:
                if not state["active"]:
                    return
                state["fired"] = True
                _thread.interrupt_main()
            wait = 0.5

    watchdog = threading.Thread(target=watch, daemon=True) if on_main else None
    if watchdog is not None:
        watchdog.start()
    stopped = LimitExceeded(f"the letter took longer than {seconds:g} seconds and was "
                            "stopped (a template that runs away?)")
    try:
        yield
    except KeyboardInterrupt:
        if state["fired"]:
            raise stopped from None
        raise
    finally:
        with lock:
            state["active"] = False
        done.set()
        _deadline.reset(token)
        if state["fired"]:
            _absorb_pending_interrupt()
    if state["fired"]:  # finished just as the watchdog fired: it did run too long
        raise stopped


def _absorb_pending_interrupt() -> None:
    """Let a KeyboardInterrupt the watchdog already requested arrive here, harmlessly."""
    try:
        for _ in range(10_000):
            pass
        time.sleep(0.001)
    except KeyboardInterrupt:
        pass


# --- sizes ---------------------------------------------------------------------------


def _too_big(value: Any) -> str:
    """Why a value is over a limit, or ''."""
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_TEXT:
        return f"a value of {len(value):,} items or characters (the limit is {MAX_TEXT:,})"
    if isinstance(value, int) and not isinstance(value, bool) \
            and value.bit_length() > MAX_INT_BITS:
        return "a number of more than 1,200 digits"
    return ""


def _check_size(value: Any) -> Any:
    why = _too_big(value)
    if why:
        raise LimitExceeded(f"the template made {why} and was stopped")
    return value


_HUGE_FIELD = re.compile(r"\d{6,}")  # a width or precision of a million or more


def _check_format_string(text: str) -> None:
    if _HUGE_FIELD.search(text):
        raise LimitExceeded("the template asked for a field width of a million characters "
                            "or more and was stopped")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _bits(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value.bit_length(), 1)
    return None


def _guarded_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse before computing what would be too big to compute quickly."""
    if operator == "**":
        base, exponent = _bits(left), _bits(right)
        if base is not None and exponent is not None and right > 0 \
                and (base > 1 or abs(left) > 1) and base * right > MAX_INT_BITS:
            raise LimitExceeded(f"the template computed {left} ** {right}, a number too "
                                "large to print, and was stopped")
        if exponent is not None and abs(right) > MAX_NUMBER_ARGUMENT:
            raise LimitExceeded("the template used a power too large and was stopped")
    elif operator == "*":
        for seq, count in ((left, right), (right, left)):
            size, times = _length(seq), _bits(count)
            if size is not None and times is not None and size * max(count, 0) > MAX_TEXT:
                raise LimitExceeded(f"the template repeated a value {count:,} times and "
                                    "was stopped")
        lb, rb = _bits(left), _bits(right)
        if lb is not None and rb is not None and lb + rb > MAX_INT_BITS:
            raise LimitExceeded("the template multiplied numbers too large to print and "
                                "was stopped")
    elif operator == "+":
        a, b = _length(left), _length(right)
        if a is not None and b is not None and a + b > MAX_TEXT:
            raise LimitExceeded("the template joined values into more than "
                                f"{MAX_TEXT:,} characters and was stopped")
    elif operator == "%" and isinstance(left, str):
        _check_format_string(left)


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], numbers: bool) -> None:
    for value in (*args, *kwargs.values()):
        _check_size(value)
        if numbers and isinstance(value, int) and not isinstance(value, bool) \
                and abs(value) > MAX_NUMBER_ARGUMENT:
            raise LimitExceeded(f"the template gave the number {value:,} as a width or "
                                "count and was stopped")


class _Range:
    """``range()`` for templates: capped, and checking the clock as it is walked."""

    def __init__(self, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise LimitExceeded(f"the template asked for a range of {len(self._range):,} "
                                f"items (the limit is {MAX_RANGE:,}) and was stopped")

    def __iter__(self) -> Iterator[int]:
        for i, n in enumerate(self._range):
            if not i % 256:
                checkpoint()
            yield n

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, value: Any) -> bool:
        return value in self._range


def _guard_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter with its extra arguments and its result held to the limits
    (``center(10**9)``, ``batch(10**9)``, ``indent(width=10**9)``)."""

    def guarded(*args: Any, **kwargs: Any) -> Any:
        checkpoint()
        value_index = 1 if getattr(func, "jinja_pass_arg", None) else 0
        _check_arguments(args[value_index + 1:], kwargs, numbers=True)
        if func.__name__ == "do_format" and len(args) > value_index:
            _check_format_string(str(args[value_index]))  # "%0999999999d" | format(1)
        return _check_size(func(*args, **kwargs))

    if hasattr(func, "jinja_pass_arg"):  # Jinja passes the context or environment first
        guarded.jinja_pass_arg = func.jinja_pass_arg  # type: ignore[attr-defined]
    guarded.__name__ = getattr(func, "__name__", "filter")
    return guarded


class _SizedCodeGenerator(CodeGenerator):
    """Jinja's compiler, with every ``~`` join checked for size (``~`` is the one
    operator the sandbox cannot intercept)."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.sized_join(")
        super().visit_Concat(node, frame)
        self.write(")")


# --- the environment -----------------------------------------------------------------


class PackSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, reading only template values, within the limits."""

    code_generator_class = _SizedCodeGenerator
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _Range
        for name, func in list(self.filters.items()):
            self.filters[name] = _guard_filter(func)

    def add_filters(self, **filters: Callable[..., Any]) -> None:
        """Our own filters: also checked for time and size."""
        self.filters.update({n: _guard_filter(f) for n, f in filters.items()})

    @staticmethod
    def readable(obj: Any) -> bool:
        return is_template_value(obj) or isinstance(obj, _JINJA_TYPES)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value) or not self.readable(obj):
            return False
        return self.readable(value) or getattr(value, "__self__", None) is obj

    def getattr(self, obj: Any, attribute: str) -> Any:
        checkpoint()
        return _check_size(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        checkpoint()
        return _check_size(super().getitem(obj, argument))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        checkpoint()
        _guarded_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        checkpoint()
        text_method = isinstance(getattr(__obj, "__self__", None), str)
        _check_arguments(args, kwargs, numbers=text_method)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format_string(str(value.__self__))
        return wrapped

    @staticmethod
    def sized_join(value: Any) -> Any:
        checkpoint()
        return _check_size(value)
