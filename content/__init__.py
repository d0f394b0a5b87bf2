"""Advice as data: snippets, questions, messages, their loader and the FAQ matcher.

Nothing here imports the rest of the project, `telegram` or `sqlite_utils`.
"""
