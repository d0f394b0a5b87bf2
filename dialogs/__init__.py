"""The advisor's conversation logic: the state machine, the handlers, typed-text reading, profile and plan.

Pure and synchronous: no I/O, no `telegram`, no `sqlite_utils`. Adapters (bot/) translate their
input into `events`, call `engine.Engine.handle`, persist the returned session and show the replies.

Where things are: `engine` (the entry point) → `routing` (the table: event kind + state → handler) →
one handler module: `questionnaire` (answers, ticks, skip, back), `review` (the summary, edits),
`planning` (the plan, its parts, PDF, timeline, reminders), `faq`, `lifecycle` (start, help, restart,
delete, cancel) or `typed` (applying what `interpret` read from a message). They share `dialog.Dialog`
(content, machine, and `show`: what comes next). `machine` decides every move; `buttons` writes and
reads callback data; `views` builds the replies; `rules` says which questions apply.
"""
