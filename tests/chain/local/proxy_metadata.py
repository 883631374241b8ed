"""The recorded spec-461 metadata's Proxy pallet, for tests (decoded once per process)."""

from __future__ import annotations

from functools import lru_cache

from chain.substrate.metadata import from_bytes, read_hex

@lru_cache(maxsize=1)
def metadata():
    return from_bytes(read_hex("metadata_v14_spec461.hex"))


def proxy_type_variants() -> list[str]:
    md = metadata()
    ty = md.storage("Proxy", "Proxies")["value"]
    vec = md.registry.kind(ty)[1][0]
    definition = md.registry.kind(md.registry.kind(vec)[1]["fields"][0]["type"])[1]["type"]
    fields = md.registry.kind(definition)[1]["fields"]
    proxy_type = next(f["type"] for f in fields if f["name"] == "proxy_type")
    return [v["name"] for v in sorted(md.variants(proxy_type), key=lambda v: v["index"])]
