"""Demo ledgers (filled in below)."""


def build(demo) -> None:
    return None
