"""What the ledgers contribute to other pages (filled in with the views)."""


def register():
    pass
