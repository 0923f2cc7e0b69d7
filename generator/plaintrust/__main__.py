"""`python -m plaintrust`: the same command line as `plaintrust`."""

from plaintrust.cli import main

if __name__ == "__main__":
    main()
