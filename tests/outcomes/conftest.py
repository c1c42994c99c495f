from tests.ledger_fixtures import db_url_engine, engine  # noqa: F401
