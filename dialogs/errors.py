"""Domain errors of the dialog; each names the message to show the user."""


class DialogError(Exception):
    """A user action that cannot be applied; `message_key` names what to tell them."""

    message_key = "outdated_button"


class StaleButton(DialogError):
    """A button from an earlier prompt, a forged one, or one whose data no longer parses."""

    message_key = "outdated_button"
