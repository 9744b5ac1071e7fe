from __future__ import annotations

from typing import Any

from conftest import client_for


def test_the_municipality_home_page_greets_in_german(municipality: Any) -> None:
    response = client_for(None).get("/musterstadt/")
    assert response.status_code == 200
    assert "Musterstadt" in response.content.decode()
    assert 'lang="de"' in response.content.decode()
