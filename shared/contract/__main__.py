"""`./dev contract`: write contract/ from the code (`--check`: fail if it differs)."""

import sys

from shared.contract import OUT, render, write


def main(argv: list[str]) -> int:
    if "--check" in argv:
        files = render()
        stale = sorted(
            n
            for n, text in files.items()
            if not (OUT / n).is_file() or (OUT / n).read_text() != text
        )
        extra = sorted(
            str(p.relative_to(OUT))
            for p in OUT.rglob("*")
            if p.is_file() and str(p.relative_to(OUT)) not in files
        )
        for name in stale + extra:
            print(f"contract/{name} is out of date: run ./dev contract", file=sys.stderr)
        return 1 if stale or extra else 0
    changed = write()
    print("\n".join(f"wrote contract/{n}" for n in changed) or "contract/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
