"""HTTP-level pieces of the site (status API, security headers, compression, caching), each with its own ``install`` called by ``create_app``."""
