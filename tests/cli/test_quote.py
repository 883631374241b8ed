"""`taoctl quote stake|unstake` through the installed command: JSON, table, curve and errors."""

from __future__ import annotations

import json

import pytest

import amm

pytestmark = pytest.mark.in_process  # what the commands do: no process start-up needed

POOL = ("--tao-reserve", "100", "--alpha-reserve", "400")


def test_stake_json_is_the_appendix_b_quote(taoctl):
    doc = taoctl.json("quote", "stake", *POOL, "--amount", "1")
    assert doc["direction"] == "buy"
    assert doc["amount_in_rao"] == 1_000_000_000
    assert doc["fee_rao"] == 503_547
    assert doc["net_in_rao"] == 999_496_453
    assert doc["amount_out_rao"] == 3_958_421_529
    assert doc["slippage_rao"] == 4_000_000_000 - 3_958_421_529
    assert doc["slippage_pct"] == "1.039461"
    assert doc["price_before_rao"] == 250_000_000
    assert doc["price_before"] == "0.25"
    assert doc["limit_price_rao"] == 251_250_000  # 0.5 % default tolerance
    assert doc["within_limit"] is False and doc["min_received_rao"] is None
    for key, value in doc.items():
        if key.endswith("_rao"):
            assert isinstance(value, int) or value is None, key


def test_stake_json_equals_the_amm_api(taoctl):
    doc = taoctl.json(
        "quote",
        "stake",
        *POOL,
        "--amount",
        "2.5",
        "--weights",
        "0.6",
        "--fee-rate",
        "100",
        "--tolerance",
        "10%",
    )
    pool = amm.Pool(100 * 10**9, 400 * 10**9, tao_weight=6 * 10**17, fee_rate=100)
    expected = amm.buy(pool, 2_500_000_000)
    assert doc["amount_out_rao"] == expected.amount_out
    assert doc["fee_rao"] == expected.fee
    assert doc["pool_after"]["tao_reserve_rao"] == expected.pool_after.tao_reserve
    limit = amm.limit_price_for_tolerance(pool, "buy", 100_000)
    assert doc["limit_price_rao"] == limit
    assert doc["max_amount_within_limit_rao"] == amm.max_amount_add(pool, limit)
    assert doc["within_limit"] is True
    assert 0 < doc["min_received_rao"] <= doc["amount_out_rao"]


def test_unstake_json(taoctl):
    doc = taoctl.json("quote", "unstake", *POOL, "--amount", "4")
    assert (doc["fee_rao"], doc["net_in_rao"], doc["amount_out_rao"]) == (
        2_014_190,
        3_997_985_810,
        989_605_381,
    )
    assert doc["input_token"] == "alpha" and doc["output_token"] == "TAO"
    assert doc["limit_price_rao"] == 248_750_000


def test_reverse_quote(taoctl):
    doc = taoctl.json("quote", "stake", *POOL, "--want", "3.958421529")
    assert doc["wanted_out_rao"] == 3_958_421_529
    assert doc["amount_in_rao"] == 1_000_000_000
    same = taoctl.json("quote", "stake", *POOL, "--amount", "3.958421529", "--reverse")
    assert same["amount_in_rao"] == 1_000_000_000


def test_partial_fill_with_allow_partial(taoctl):
    doc = taoctl.json("quote", "stake", *POOL, "--amount", "5", "--allow-partial")
    assert doc["partial"] is True
    assert doc["amount_in_rao"] == doc["max_amount_within_limit_rao"]
    assert doc["refund_rao"] == 5_000_000_000 - doc["amount_in_rao"]
    assert doc["price_after_rao"] <= doc["limit_price_rao"]


def test_constant_product_model(taoctl):
    doc = taoctl.json("quote", "stake", *POOL, "--amount", "1", "--model", "constant-product")
    assert doc["model"] == "constant-product"
    assert abs(doc["amount_out_rao"] - 3_958_421_529) <= 1


def test_curve_json_and_plot(taoctl):
    doc = taoctl.json("quote", "stake", *POOL, "--amount", "5", "--curve", "--points", "8")
    curve = doc["curve"]
    assert [row["amount_rao"] for row in curve] == [625_000_000 * i for i in range(1, 9)]
    slippages = [float(row["slippage_pct"]) for row in curve]
    assert slippages == sorted(slippages) and slippages[-1] > slippages[0]
    proc = taoctl.run("quote", "unstake", *POOL, "--curve", "--max-amount", "40")
    assert proc.returncode == 0, proc.stderr
    assert "Slippage % against amount" in proc.stdout
    assert any("\u2800" < ch <= "\u28ff" for ch in proc.stdout)  # braille dots drawn


def test_table_output(taoctl):
    proc = taoctl.run("quote", "stake", *POOL, "--amount", "1")
    assert proc.returncode == 0, proc.stderr
    for label in (
        "Fee",
        "You receive",
        "Spot price",
        "Price after",
        "Effective price",
        "Slippage",
        "Limit price",
        "Worst case",
    ):
        assert label in proc.stdout
    assert "3.958421529" in proc.stdout


@pytest.mark.parametrize(
    "args, code",
    [
        (("--amount", "0"), 2),
        (("--amount", "-1"), 2),
        (("--amount", "1e3"), 2),
        (("--amount", "abc"), 2),
        (("--amount", "1.0000000001"), 2),
        (("--amount", "100001"), 4),  # over 1000 x the TAO reserve
        (("--amount", "1", "--weights", "0.995"), 2),
        (("--amount", "1", "--weights", "0.009"), 2),
        (("--amount", "1", "--weights", "half"), 2),
        (("--amount", "1", "--model", "uniswap"), 2),
        (("--amount", "1", "--fee-rate", "x"), 2),
        (("--amount", "1", "--tolerance", "-1"), 2),
        (("--amount", "1", "--want", "1"), 2),
        ((), 2),  # no amount at all
    ],
)
def test_bad_input_is_one_line_and_nonzero(taoctl, args, code):
    proc = taoctl.run("quote", "stake", *POOL, *args)
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error:") and len(proc.stderr.strip().splitlines()) == 1
    jproc = taoctl.run("quote", "stake", *POOL, *args, "--json")
    assert jproc.returncode == code
    doc = json.loads(jproc.stdout)
    assert doc["error"]["exit_code"] == code


def test_reserves_below_the_minimum_are_refused(taoctl):
    proc = taoctl.run(
        "quote",
        "stake",
        "--tao-reserve",
        "100",
        "--alpha-reserve",
        "0.0005",
        "--amount",
        "1",
        "--json",
    )
    assert proc.returncode == 4
    assert json.loads(proc.stdout)["error"]["type"] == "ReservesTooLow"
    proc = taoctl.run(
        "quote",
        "unstake",
        "--tao-reserve",
        "0.0009",
        "--alpha-reserve",
        "400",
        "--amount",
        "1",
        "--json",
    )
    assert proc.returncode == 4


def test_quote_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = (
        "import sys; sys.argv=['taoctl','quote','stake','--tao-reserve','100',"
        "'--alpha-reserve','400','--amount','1','--json']\n"
        "import cli.main\n"
        "try:\n    cli.main.main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('numpy','substrateinterface','scalecodec','keyring','sqlite3',"
        "'nacl','rich') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stderr, proc.stderr
