"""The ``haufo-bot`` command line: run, chat, content check, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import build_app
from bot.channels.telegram.errors import StartupError
from bot.config import Settings
from bot.core.content import check_content
from bot.core.languages import LANGUAGES
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.service import chat_in_console, serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haufo-bot", description="The HAUFO chatbot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="start every configured channel; the console when none is")
    chat = commands.add_parser("chat", help="talk to the bot in the terminal (reads one message a line)")
    chat.add_argument("--user", default="console", help="the console user's id (default: console)")
    chat.add_argument("--lang", choices=LANGUAGES, help="the language hint a platform would give")
    content = commands.add_parser("content", help="work with the content folder")
    content_commands = content.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = content_commands.add_parser("check", help="validate the content and list every problem")
    check.add_argument("--dir", type=Path, help="content folder (default: CONTENT_DIR)")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the database migrations")
    return parser


async def _chat(settings: Settings, user: str, lang: str | None) -> int:
    app = await build_app(settings)
    try:
        await chat_in_console(app, user=user, lang=lang)
    finally:
        await app.close()
    return 0


def _run(settings: Settings) -> int:
    try:
        asyncio.run(serve(settings))
    except StartupError as exc:
        print(f"haufo-bot: {exc}", file=sys.stderr)
        return 2
    return 0


def _content_check(directory: Path) -> int:
    _, problems = check_content(directory)
    for problem in problems:
        print(
            f"{directory / problem.file}: {problem.key}: {problem.message}"
            if problem.key
            else f"{directory / problem.file}: {problem.message}"
        )
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"content in {directory} is valid")
    return 0


async def _db_upgrade(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()
    print("database is up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"haufo-bot: {'.'.join(map(str, error['loc'])).upper()}: {error['msg']}", file=sys.stderr)
        return 2
    if args.command == "content":
        return _content_check(args.dir or settings.content_dir)
    if args.command == "db":
        return asyncio.run(_db_upgrade(settings))
    if args.command == "chat":
        return asyncio.run(_chat(settings, args.user, args.lang))
    return _run(settings)
