"""`taoctl chain status` on the `mainnet` preset shows which subnets are above the emission
gate's bar (issue 16, ECONOMICS-2026 §3.3): the JSON lists them with every share before and
after the gate, the table names them; the lists agree with the bar and the rank."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.in_process


@pytest.fixture(scope="module")
def mainnet_status(tmp_path_factory):
    from tests.conftest import Taoctl

    home = tmp_path_factory.mktemp("gate") / "home"
    home.mkdir()
    taoctl = Taoctl(home, in_process=True)
    taoctl.env["TAOCTL_CHAIN_DB"] = str(home / "mainnet.db")
    taoctl.json("chain", "init", "--preset", "mainnet")
    return taoctl, taoctl.json("chain", "status"), taoctl.run("chain", "status")


def test_json_lists_the_subnets_above_the_bar(mainnet_status):
    _, status, _ = mainnet_status
    gate = status["emission_gate"]
    assert gate["rank"] == 32 and gate["bar_ppb"] > 0
    above, below = gate["above"], gate["below"]
    assert len(above) == 32  # rank 32 with more than 32 positive shares
    assert not set(above) & set(below)
    shares = gate["shares"]
    assert set(map(int, shares)) == set(above) | set(below)
    bar = gate["bar_u64f64"]
    for n in above:  # at or above the bar: gate >= 1/2, so the gated share is not much cut
        assert shares[str(n)]["pre_gate_ppb"] >= bar * 10**9 >> 64
    for n in below:
        assert shares[str(n)]["pre_gate_ppb"] <= bar * 10**9 >> 64
    assert set(gate["emission_disabled"]) <= set(above) | set(below)
    for n in gate["emission_disabled"]:
        assert shares[str(n)]["share_ppb"] == 0
    assert abs(sum(s["share_ppb"] for s in shares.values()) - 10**9) <= len(shares)


def test_the_table_names_them(mainnet_status):
    _, status, proc = mainnet_status
    assert proc.returncode == 0, proc.stderr
    gate = status["emission_gate"]
    assert "Emission gate" in proc.stdout and "rank 32" in proc.stdout
    line = next(x for x in proc.stdout.splitlines() if "Above the bar (32)" in x)
    named = [int(t) for t in line.split(")", 1)[1].replace(",", " ").split()]
    assert named == gate["above"]
    assert f"{len(gate['below'])} subnets ({len(gate['emission_disabled'])} emission-disabled)" \
        in proc.stdout
