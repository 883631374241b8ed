"""Fixtures: the node tests' served dev chain (`node`) and substrate-interface client."""

from tests.node.conftest import node, substrate  # noqa: F401  (fixtures shared as they are)
