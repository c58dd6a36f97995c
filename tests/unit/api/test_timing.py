from __future__ import annotations

from api.extensions.timing import storable


def test_storable_text_has_no_nul_no_lone_surrogate_and_a_length_cap() -> None:
    assert storable("bad\x00name") == "badname"
    assert storable("half\ud800pair") == "half?pair"
    assert storable("é" * 300) == "é" * 200
    assert storable("GET", 10) == "GET"
