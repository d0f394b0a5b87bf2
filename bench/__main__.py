"""Run the benchmark: `python -m bench [--quick] [--production-only]`."""

from bench.suite import main

main()
