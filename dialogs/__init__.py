"""The advisor's conversation logic: the state machine, questions flow, parsing, profile and plan.

Pure and synchronous: no I/O, no `telegram`, no `sqlite_utils`. Adapters (bot/) translate their
input into `events`, call `engine.Engine.handle`, persist the returned session and show the replies.
"""
