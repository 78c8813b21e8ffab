"""The service app's pages; each sub-domain has its module (pairing, opinion, visits …)."""
