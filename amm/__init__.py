"""The exact integer math of a subnet pool, bit for bit as subtensor computes it. Pure: no I/O,
no numpy, no imports of chain/ or cli/."""
