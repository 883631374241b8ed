"""Everything that talks to or is a chain: amounts (`units`), the backend seam, the bundled local
chain (`chain.local`), Yuma consensus (`chain.yuma`) and real nodes (`chain.remote`)."""
