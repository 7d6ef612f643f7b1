"""``python -m brief.native build|status``: compile the analysis, or say which copy runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from brief import native
from brief.native.build import NativeUnavailable, build


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m brief.native",
        description=native.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("build", "status"))
    parser.add_argument("-q", "--quiet", action="store_true", help="no compiler output")
    args = parser.parse_args(argv)
    if args.command == "status":
        native.active()
        print(f"analysis core: {native.state.get('status', 'unknown')}")
        if "folder" in native.state:
            print(f"build: {native.state['folder']}")
        return 0
    if native.active():
        return 0  # built for these sources already
    print("brief: compiling the actor analysis with mypyc (about a minute, once per change)")
    try:
        folder = build(quiet=args.quiet, force="broken" in native.state)
    except NativeUnavailable as error:
        print(f"brief: the analysis stays plain Python: {error}", file=sys.stderr)
        return 1
    print(f"brief: compiled into {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
