"""`defer` and `lazy_exports`: names that import their module on first use, then are the real
thing. Targets are stdlib modules this test removes from `sys.modules` first."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from orm.runtime.modules import defer, lazy_exports

TARGET = "fractions"


@pytest.fixture
def unloaded() -> Iterator[None]:
    saved = sys.modules.pop(TARGET, None)
    yield
    if saved is not None:
        sys.modules[TARGET] = saved


def test_a_deferred_call_imports_then_rebinds_the_name(unloaded: None) -> None:
    namespace: dict[str, Any] = {}
    defer(namespace, {"Fraction": f"{TARGET}:Fraction"})
    assert TARGET not in sys.modules
    assert "fractions:Fraction" in repr(namespace["Fraction"])
    assert namespace["Fraction"](1, 2) == 0.5
    assert namespace["Fraction"] is sys.modules[TARGET].Fraction


def test_a_deferred_module_loads_on_attribute_access(unloaded: None) -> None:
    namespace: dict[str, Any] = {}
    defer(namespace, {"fr": TARGET})
    assert TARGET not in sys.modules
    assert namespace["fr"].Fraction(3, 4).denominator == 4
    assert namespace["fr"] is sys.modules[TARGET]


def test_a_deferred_class_works_in_isinstance(unloaded: None) -> None:
    namespace: dict[str, Any] = {}
    defer(namespace, {"Fraction": f"{TARGET}:Fraction"})
    assert not isinstance(None, namespace["Fraction"])
    assert isinstance(namespace["Fraction"](1, 3), namespace["Fraction"])


def test_a_deferred_name_that_does_not_exist_fails_on_use() -> None:
    namespace: dict[str, Any] = {}
    defer(namespace, {"nothing": f"{TARGET}:no_such_name"})
    with pytest.raises(AttributeError, match="no_such_name"):
        namespace["nothing"]()


def test_lazy_exports_import_on_first_access_and_keep_the_value(
    unloaded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = type(sys)("fake_package")
    monkeypatch.setitem(sys.modules, "fake_package", package)
    get = lazy_exports("fake_package", {"Fraction": f"{TARGET}:Fraction"})
    assert TARGET not in sys.modules
    assert get("Fraction") is sys.modules[TARGET].Fraction
    assert package.Fraction is sys.modules[TARGET].Fraction
    with pytest.raises(AttributeError, match=r"fake_package.*has no attribute 'Other'"):
        get("Other")
