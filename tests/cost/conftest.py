from tests.analysis.test_digest_build import db, ledger  # noqa: F401
from tests.campaigns.conftest import load_text, write  # noqa: F401
from tests.ledger_fixtures import db_url_engine, engine  # noqa: F401
