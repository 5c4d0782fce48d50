"""Fixtures for the use-case tests: every test gets fresh fakes."""

from __future__ import annotations

import pytest

from tests.services.harness import Harness


@pytest.fixture
def medbot() -> Harness:
    return Harness()
