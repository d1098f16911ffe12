"""Web-server pieces installed by ``create_app``: caching, hardening, the JSON API."""
