"""HTTP-level pieces of the site (security headers, compression, caching), each installed by ``create_app``."""
