"""The bundled chain: storage on SQLite, the runtime modules, blocks, signed extrinsics, presets."""
