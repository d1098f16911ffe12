"""Web pieces installed on the Flask server by ``create_app`` (one module, one ``install``)."""
