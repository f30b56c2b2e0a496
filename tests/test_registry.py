"""The registry behind readers, embedders and report outputs: names in order, no name twice, clear misses."""

from __future__ import annotations

import pytest

from pipeline.registry import Registry, RegistryError


def test_a_registry_refuses_a_name_twice_and_lists_what_it_has():
    things: Registry[object] = Registry("reader")
    things.register(".txt", description="teksti", binary=False)(str)
    assert things.entry(".txt").description == "teksti" and list(things) == [".txt"]
    with pytest.raises(RegistryError, match="'.txt' is registered twice"):
        things.register(".txt")(repr)
    with pytest.raises(RegistryError, match=r"no reader '.rtf'; registered: .txt"):
        things[".rtf"]
    assert things.get(".rtf") is None
