"""Local HTTP server on 127.0.0.1 serving the fixture pages."""
