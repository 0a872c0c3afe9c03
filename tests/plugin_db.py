"""Database fixtures (SQLite and PostgreSQL)."""
