"""Which Python objects a template may look inside.

A template pack is untrusted data. The sandbox (``lettergen.letters.sandbox``) lets a template
read attributes only of plain values (text, numbers, dates, ``Decimal``, tuples,
mappings and lists, which the sandbox keeps read-only) and of the project's own value
types registered here with ``@template_value``: read-only records of the case and what
is derived from it, none holding a path, a file or anything else that acts on the
world. Registering a class is a promise that every public attribute of it is one of
these too; ``tests/test_pack_sandbox.py`` walks a real context and holds us to it.

This module imports nothing heavy, so the case model can use the decorator without
pulling in Jinja.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

PLAIN_TYPES: tuple[type, ...] = (str, int, float, bool, Decimal, dt.date, dt.timedelta, tuple,
                                 frozenset, list, dict, MappingProxyType, type(None))

TEMPLATE_TYPES: set[type] = set()

T = TypeVar("T", bound=type)


def template_value(cls: T) -> T:
    """Let templates read this class's public attributes (see the module docstring)."""
    TEMPLATE_TYPES.add(cls)
    return cls


def is_template_value(obj: Any) -> bool:
    """A plain value or an instance of exactly a registered class (a subclass must
    register itself: it may add what the parent did not have)."""
    return isinstance(obj, PLAIN_TYPES) or type(obj) in TEMPLATE_TYPES


def template_function(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark one of our own functions that the context hands a template (``cite``,
    ``clock``...): callable, and nothing inside it is readable."""
    func.lettergen_template_function = True  # type: ignore[attr-defined]
    return func
