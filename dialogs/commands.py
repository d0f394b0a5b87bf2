"""The slash commands: each name → its handler. A typed navigation word ("back", "menu") acts as its command."""

from dialogs import faq, lifecycle, planning, questionnaire, review
from dialogs.dialog import Handler

COMMANDS: dict[str, Handler] = {
    "start": lifecycle.welcome_back,  # a new user's /start is routed to lifecycle.begin instead
    "help": lifecycle.show_help,
    "restart": lifecycle.ask_restart,
    "delete": lifecycle.ask_delete,
    "cancel": lifecycle.cancel,
    "profile": review.profile,
    "plan": planning.plan,
    "faq": faq.topics,
    "back": questionnaire.go_back,
    "skip": questionnaire.skip,
    "mydata": lifecycle.export,
    "timeline": planning.timeline,
    "remind": planning.remind,
}
# Navigation words the interpreter knows that are not command names.
WORD_COMMANDS = {"menu": "help", "summary": "profile"}
