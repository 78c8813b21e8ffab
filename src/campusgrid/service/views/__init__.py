"""The service app's pages; one module a sub-domain (sessions, teams, training, pairing, opinion, visits)."""
