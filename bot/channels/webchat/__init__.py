"""The web chat: the bot on the union's own site, one script tag, over server-sent events and POST."""
