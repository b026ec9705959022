"""`python -m leadboard`: the same command as `leadboard`."""

from leadboard.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
