"""Issue 17, `--at-block B`: every read command answers the figures of block B.

"The state at B" is a Substrate node's state at B's hash: after B's start-of-block work (the
coinbase) and its extrinsics, without B + 1's start (headfix). A scripted history (stake,
advance, stake again, advance): each read command's JSON is taken while B is the open block and
complete, then B is sealed and read with `--at-block B` and through `taoctl node serve` at its
head; after the chain has moved on, the same commands with `--at-block B` must give those
figures again, on the sandbox and through the node (the remote backend reading at B's hash).
Blocks not sealed yet and blocks older than the kept history are refused with one line naming
why."""

from __future__ import annotations

import json

import pytest

from tests.conftest import my_validator_on_a_new_subnet, sandbox_keeping, sandbox_session
from tests.node.conftest import serving

TAO = 10**9


def _reads(n: int) -> list[tuple[str, ...]]:
    return [("wallet", "balance", "--wallet-name", "me"),
            ("stake", "list", "--wallet-name", "me"),
            ("wallet", "overview", "--wallet-name", "me"),
            ("subnet", "list"),
            ("subnet", "show", "--netuid", str(n)),
            ("subnet", "metagraph", "--netuid", str(n)),
            ("subnet", "price", "--netuid", str(n)),
            ("portfolio", "--wallet-name", "me")]


def _diff(a, b, path="") -> list[str]:
    """Where two JSON documents differ (paths), for a readable failure."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in _diff(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


_SERVED = (0, 1, 3, 4)  # the reads compared field by field with the node's


def _fields(args, doc) -> object:
    """The state figures of a read that both backends show (the node has fewer columns)."""
    if args[:2] == ("wallet", "balance"):
        return doc["balances"]
    if args[:2] == ("stake", "list"):
        return [(r["netuid"], r["alpha_rao"], r["spot_value_rao"]) for r in doc["stakes"]]
    if args[:2] == ("subnet", "list"):
        return [(r["netuid"], r["price_rao"], r["tao_in_rao"], r.get("alpha_out_rao"))
                for r in doc["subnets"]]
    return doc["price_rao"], doc["tao_in_rao"], doc.get("alpha_out_rao")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """(taoctl, netuid, B, {read: JSON at B}) after the chain has moved on from B; the fixture
    also keeps what the sandbox showed while B was open and what the node served at head B."""
    t = sandbox_session(tmp_path_factory, "atblock")
    n = my_validator_on_a_new_subnet(t, stake="123.456789")
    t.json("chain", "advance", "50")
    open_then = {args: t.json(*args) for args in _reads(n)}  # B open, its coinbase run
    t.json("chain", "advance", "1")
    b = t.json("chain", "history")["head"]
    assert b == open_then[_reads(n)[0]]["block"]
    then = {args: t.json(*args, "--at-block", str(b)) for args in _reads(n)}
    with serving(t.env["TAOCTL_CHAIN_DB"]) as (_, url, _):
        head = {args: t.json(*args, "--network", url) for args in
                [_reads(n)[i] for i in _SERVED]}
    HELD.update(open_then=open_then, head=head)
    t.json("stake", "add", "--netuid", n, "--amount", "500", "--wallet-name", "me",
           "--hotkey", "validator", "--unsafe", "-y")
    t.json("chain", "advance", "400")
    return t, n, b, then


HELD: dict = {}


def test_the_state_at_b_is_what_the_sandbox_showed_while_b_was_open(history):
    """B's start-of-block work (its coinbase) is in the state at B, the next block's is not:
    the figures at B are those of B open and complete (before the headfix, --at-block B
    counted B + 1's coinbase: a pool's alpha and TAO one block's injection ahead)."""
    t, n, b, then = history
    for args in [_reads(n)[i] for i in _SERVED]:
        assert _fields(args, then[args]) == _fields(args, HELD["open_then"][args]), args


def test_the_node_served_the_same_state_at_head_b(history):
    """What `taoctl node serve` answered with B as its head is the sandbox's --at-block B."""
    t, n, b, then = history
    for args in [_reads(n)[i] for i in _SERVED]:
        assert _fields(args, HELD["head"][args]) == _fields(args, then[args]), args
    balance = _reads(n)[0]
    assert HELD["head"][balance]["block"] == then[balance]["block"] == b + 1


def test_the_chain_moved_on(history):
    t, n, b, then = history
    now = t.json("wallet", "balance", "--wallet-name", "me")
    assert now["balances"][0]["free_rao"] < then[_reads(n)[0]]["balances"][0]["free_rao"]
    assert now["block"] > then[_reads(n)[0]]["block"]


@pytest.mark.parametrize("index", range(8))
def test_at_block_gives_the_earlier_figures_on_the_sandbox(history, index):
    t, n, b, then = history
    args = _reads(n)[index]
    got = t.json(*args, "--at-block", str(b))
    assert _diff(got, then[args]) == []


def test_at_block_through_node_serve(history):
    """The same reads over a websocket: the remote backend pins B's hash."""
    t, n, b, then = history
    with serving(t.env["TAOCTL_CHAIN_DB"]) as (_, url, _):
        for args in [_reads(n)[i] for i in _SERVED]:
            got = t.json(*args, "--at-block", str(b), "--network", url)
            assert _fields(args, got) == _fields(args, then[args]), args
            if args == _reads(n)[0]:
                assert got["block"] == then[args]["block"] == b + 1
        now = t.json("wallet", "balance", "--wallet-name", "me", "--network", url)
        assert now["balances"] != then[_reads(n)[0]]["balances"]
        # a block the node has not sealed: a usage error, nothing read
        proc = t.run("subnet", "list", "--at-block", "10000000", "--network", url, "--json")
        assert proc.returncode == 2, proc.stderr
        assert "not sealed yet" in json.loads(proc.stdout)["error"]["message"]


def test_not_sealed_and_discarded_are_one_clear_line(history):
    t, n, b, then = history
    proc = t.run("wallet", "balance", "--wallet-name", "me", "--at-block", "99999999")
    assert proc.returncode == 2 and "is not a sealed block of this chain (0..451)" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    proc = t.run("subnet", "list", "--at-block", "-1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_beyond_the_kept_history_names_the_retention(tmp_path):
    t = sandbox_keeping(tmp_path, keep=10, advance=40)
    assert t.json("subnet", "list", "--at-block", "35")["block"] == 36
    proc = t.run("subnet", "list", "--at-block", "5", "--json")
    assert proc.returncode == 2
    message = json.loads(proc.stdout)["error"]["message"]
    assert "State already discarded for block 5" in message
    assert "last 10 blocks" in message


# -- charts from the history (issue 17, item 5) --------------------------------------------------
def test_stake_chart_samples_are_the_at_block_figures(history):
    t, n, b, then = history
    chart = t.json("stake", "chart", "--wallet-name", "me", "--points", "5", "--blocks", "400")
    blocks = [p["block"] for p in chart["points"]]
    assert blocks == sorted(set(blocks)) and len(blocks) == 5
    for point in chart["points"][::2]:
        listed = t.json("stake", "list", "--wallet-name", "me", "--at-block",
                        str(point["block"]))
        assert point["exit_value_rao"] == sum(r["exit_value_rao"] for r in listed["stakes"])
        assert point["spot_value_rao"] == sum(r["spot_value_rao"] for r in listed["stakes"])
    human = t.run("stake", "chart", "--wallet-name", "me", "--blocks", "400")
    assert human.returncode == 0 and "Exit value of me's stake" in human.stdout
    assert any(ch in human.stdout for ch in "⠁⠂⠄⡀⢀⠤⠒⠉")  # the braille curve


def test_yield_chart_is_the_growth_of_alpha_per_share(history):
    from fractions import Fraction

    from cli.stake_chart import alpha_per_share

    t, n, b, then = history
    chart = t.json("stake", "yield-chart", "--netuid", str(n), "--wallet-name", "me",
                   "--hotkey", "validator", "--points", "4", "--blocks", "400")
    points = chart["points"]
    assert len(points) >= 2 and points[0]["alpha_per_1000"] == 1000

    def per_share(p):
        num, den = alpha_per_share(p["total_hotkey_shares"])
        return Fraction(p["total_hotkey_alpha_rao"] * den, num)

    for p in points:
        want = 1000 * per_share(p) / per_share(points[0])
        assert abs(Fraction(p["alpha_per_1000"]) - want) < Fraction(1, 10**6)
    assert points[-1]["alpha_per_1000"] > 1000  # epochs paid the validator's stakers


def test_a_node_that_discarded_the_state_says_so(tmp_path):
    """Through `taoctl node serve` with a short retention: the node's "State already
    discarded" becomes one line naming the archive node a read that old needs, exit 5."""
    t = sandbox_keeping(tmp_path, keep=10, advance=40)
    with serving(tmp_path / "sandbox.db") as (_, url, _):
        assert t.json("subnet", "list", "--at-block", "35", "--network", url)["block"] == 36
        proc = t.run("subnet", "list", "--at-block", "5", "--network", url)
        assert proc.returncode == 5, proc.stderr
        assert "has discarded the state of block 5" in proc.stderr
        assert "archive node" in proc.stderr and "Traceback" not in proc.stderr
