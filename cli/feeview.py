"""The extrinsic's fee as every quote, dry run and receipt shows it: the TAO amount and who pays
it (`ChainBackend.fee_payment`: the coldkey's free TAO, or alpha sold out of the position a
staking call touches when that TAO cannot, ECONOMICS-2026 §9.3)."""

from __future__ import annotations


def fee_text(doc: dict | None) -> str:
    """"τ0.001258732 (TAO)", "τ0.001258732 (paid in alpha: α0.012345678 sold on subnet 1)",
    "τ0.001258732 (cannot be paid)"; "-" without a fee."""
    from chain.units import format_alpha, format_tao

    if not doc:
        return "-"
    amount = format_tao(int(doc.get("tx_fee_rao", doc.get("fee_rao", 0)) or 0))
    payer = doc.get("fee_payer", "tao")
    if payer == "alpha":
        return (f"{amount} (paid in alpha: {format_alpha(int(doc['fee_alpha_rao']))} sold on "
                f"subnet {doc['fee_netuid']})")
    if payer == "none":
        return f"{amount} (cannot be paid)"
    return f"{amount} (TAO)"
