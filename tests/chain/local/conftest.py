"""Fixtures for the bundled chain: a fresh dev chain in a temp file, dev signers."""

from __future__ import annotations

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.chain import LocalChain


@pytest.fixture
def dev_chain(tmp_path):
    chain = LocalChain.create(tmp_path / "dev.db", "dev")
    yield chain
    chain.close()


@pytest.fixture(scope="session")
def alice():
    return dev_signer("Alice")


@pytest.fixture(scope="session")
def bob():
    return dev_signer("Bob")


@pytest.fixture(scope="session")
def accounts():
    return DEV_ACCOUNTS
