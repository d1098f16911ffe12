"""The versioned, append-only store of accepted results, its manifests and durable writes, and its command line."""
