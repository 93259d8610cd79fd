"""The engine tests: every module fits on one torch thread (the root conftest's torch_on_one_thread)."""

import pytest


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread(torch_on_one_thread):
    yield
