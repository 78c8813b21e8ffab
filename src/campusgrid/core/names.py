"""How a user is named in timelines, logs and exports."""


def person_name(user) -> str:
    """The student's or staff member's name of a user; "系统" for none (commands, tick)."""
    if user is None:
        return "系统"
    for attr in ("student", "staff"):
        person = getattr(user, attr, None)
        if person is not None:
            return person.name
    return user.get_full_name() or user.get_username()
