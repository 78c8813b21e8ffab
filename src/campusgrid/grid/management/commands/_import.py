import json
import sys


def report(command, result, *, as_json: bool) -> None:
    """Print an import result; exit 1 when any row is wrong (nothing was written)."""
    if as_json:
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        for error in result.errors:
            command.stderr.write(str(error))
        for note in result.notes:
            command.stdout.write(note)
        command.stdout.write(result.summary())
    if not result.ok:
        sys.exit(1)
