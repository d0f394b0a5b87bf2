"""The benchmark: production run, in-process run and profile, start-up and memory (`python -m bench`).

workload.py (simulated users), api.py (the tests' fake Bot API plus screens), production.py and runner.py
(the two runs), startup.py (real processes), profiling.py (bench/PROFILE.md), report.py and targets.py
(what is printed, against which goals), suite.py (the whole benchmark).
"""
