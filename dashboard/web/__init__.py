"""Web-server pieces installed by ``create_app``, each with its own ``install``: the status and audit APIs, the HTTP cache, compression and hardening."""
