# The ledger fixtures (a semester with holidays, fresh ledger settings) for the crawl and policy tests.
from ..ledgers.conftest import _fresh_ledger_settings, term  # noqa: F401
