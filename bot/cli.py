"""The ``haufo-bot`` command line: run, chat, ask, content (check, reload, status, export, import), broadcast,
db (upgrade, backup)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import build_app
from bot.broadcasting import BroadcastProblem, broadcast_command, parse_request
from bot.config import Settings
from bot.content_reloading import checked
from bot.core.content import Content, check_content, load_content
from bot.core.content_po import export_po, import_po
from bot.core.content_status import status_table, untranslated
from bot.core.i18n import Catalogs, use_locale
from bot.core.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, parse_language
from bot.core.logs import configure_logging
from bot.core.startup import StartupError
from bot.db.backup import BackupProblem, backup_sqlite
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_database
from bot.running import signal_running
from bot.runtime import chat_in_console, serve
from bot.services.answers import Answerer
from handlers.answers import answer_text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haufo-bot", description="The HAUFO chatbot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="start every configured channel; the console when none is")
    chat = commands.add_parser("chat", help="talk to the bot in the terminal (reads one message a line)")
    chat.add_argument("--user", default="console", help="the console user's id (default: console)")
    chat.add_argument("--lang", choices=LANGUAGES, help="the language hint a platform would give")
    ask = commands.add_parser("ask", help="answer free-text questions the way the bot would")
    ask.add_argument("question", help="the question, or - to read one question a line from standard input")
    ask.add_argument("--lang", choices=LANGUAGES, help="the asker's chosen language, if any")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    content = commands.add_parser("content", help="work with the content folder")
    content_commands = content.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = content_commands.add_parser("check", help="validate the content and list every problem")
    check.add_argument("--dir", type=Path, help="content folder (default: CONTENT_DIR)")
    status = content_commands.add_parser("status", help="how many texts each file lacks, per language")
    status.add_argument("--dir", type=Path, help="content folder (default: CONTENT_DIR)")
    status.add_argument("--list", action="store_true", help="also list the key of every text still to translate")
    content_commands.add_parser("reload", help="validate CONTENT_DIR, then have the running bot publish it")
    export = content_commands.add_parser("export", help="write a PO file of the texts a language still needs")
    export.add_argument("--lang", required=True, choices=LANGUAGES, help="the language to translate into")
    export.add_argument("--all", action="store_true", help="every text, translated ones filled in (to revise)")
    export.add_argument("--out", type=Path, help="the PO file to write (default: standard output)")
    export.add_argument("--dir", type=Path, help="content folder (default: CONTENT_DIR)")
    import_ = content_commands.add_parser("import", help="write a translated PO file back into the content")
    import_.add_argument("file", type=Path, help="a PO file made by content export, translated")
    import_.add_argument("--dir", type=Path, help="content folder (default: CONTENT_DIR)")
    broadcast = commands.add_parser("broadcast", help="send an announcement from a YAML file to an audience")
    broadcast.add_argument("file", type=Path, help="YAML mapping language codes to texts, optionally button: <id>")
    broadcast.add_argument("--audience", required=True,
                           help="everyone, lang:xx, course:ID, tour:ID, event:ID, subscribers or quiz:ID; a course or "
                                "tour may add :confirmed, :waiting or :pending")  # fmt: skip
    broadcast.add_argument("--at", help='send at this local time, "YYYY-MM-DD HH:MM" (default: now)')
    broadcast.add_argument("--urgent", action="store_true",
                           help="also reach registrants of the course or tour who left announcements")  # fmt: skip
    broadcast.add_argument("--dry-run", action="store_true", help="show recipients and previews; send nothing")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the database migrations")
    backup = db_commands.add_parser("backup", help="copy the SQLite database consistently, while the bot runs")
    backup.add_argument("file", type=Path, help="the new file to write")
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


def _ask(settings: Settings, question: str, lang: str | None, as_json: bool) -> int:
    content = load_content(settings.content_dir)
    catalogs = Catalogs(settings.locales_dir, settings.zone)
    answerer = Answerer.build(content, cache_dir=settings.cache_dir)
    questions = sys.stdin if question == "-" else [question]
    for line in questions:
        text = line.strip()
        if not text and question == "-":
            print(json.dumps({"id": None, "kind": None, "score": 0.0, "lang": lang or "en", "answer": ""}), flush=True)
            continue
        answer = answerer.answer(text, lang)
        locale = catalogs.locale(parse_language(answer.lang) or DEFAULT_LANGUAGE)
        with use_locale(locale):
            reply = answer_text(content, locale, answer)
        if as_json:
            record = {"id": answer.id, "kind": answer.kind, "score": round(answer.score, 4), "lang": answer.lang,
                      "answer": reply}  # fmt: skip
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(reply + "\n", flush=True)
    return 0


def _content_check(directory: Path) -> bool:
    """Print every problem in ``directory`` (the content and its reminder rules); True when there is none."""
    _, problems = checked(directory)
    for problem in problems:
        print(f"{directory}/{problem}")
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return False
    print(f"content in {directory} is valid")
    return True


def _content_reload(settings: Settings) -> int:
    if not _content_check(settings.content_dir):
        print("nothing reloaded: the running bot goes on with the content it has", file=sys.stderr)
        return 1
    asked = signal_running(settings.data_dir)
    if asked:
        print(f"asked {asked} running bot process(es) to reload it; staff hear on their chat when it is published")
    else:
        print(f"no bot is running from {settings.data_dir} on this machine; a running bot elsewhere reloads the "
              "content by itself within CONTENT_WATCH_SECONDS")  # fmt: skip
    return 0


def _valid_content(directory: Path) -> Content | None:
    """The content in ``directory``; None, and a line saying so, when it has problems."""
    content, problems = check_content(directory)
    if content is None:
        print(f"{len(problems)} problem(s) in {directory}: run haufo-bot content check", file=sys.stderr)
    return content


def _content_status(directory: Path, *, listed: bool) -> int:
    content = _valid_content(directory)
    if content is None:
        return 1
    print(status_table(untranslated(content), listed=listed))
    return 0


def _content_export(directory: Path, lang: Language, *, everything: bool, out: Path | None) -> int:
    content = _valid_content(directory)
    if content is None:
        return 1
    data = export_po(content, lang, everything=everything)
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
    return 0


def _content_import(directory: Path, po_file: Path) -> int:
    try:
        data = po_file.read_bytes()
    except OSError as exc:
        print(f"haufo-bot: cannot read {po_file}: {exc.strerror}", file=sys.stderr)
        return 1
    result = import_po(data, directory)
    for problem in result.problems:
        print(f"{po_file}: {problem}", file=sys.stderr)
    if result.problems:
        print(f"nothing imported: {len(result.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{result.texts} text(s) imported into {directory}")
    return 0


def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    try:
        request = parse_request(settings, args.file, args.audience, args.at, args.urgent)
        return asyncio.run(broadcast_command(settings, request, dry_run=args.dry_run, out=sys.stdout, err=sys.stderr))
    except (BroadcastProblem, StartupError) as problem:
        print(f"haufo-bot broadcast: {problem}", file=sys.stderr)
        return 1


async def _db_upgrade(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()
    print("database is up to date")
    return 0


def _db_backup(settings: Settings, target: Path) -> int:
    try:
        size = backup_sqlite(settings.database_url, target)
    except BackupProblem as problem:
        print(f"haufo-bot db backup: {problem}", file=sys.stderr)
        return 1
    print(f"backed up to {target} ({size / 1e6:.1f} MB)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    configure_logging("WARNING", "text", [])
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            print(f"haufo-bot: {'.'.join(map(str, error['loc'])).upper()}: {error['msg']}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format, settings.secrets())
    if args.command == "ask":
        return _ask(settings, args.question, args.lang, args.json)
    if args.command == "content" and args.action == "status":
        return _content_status(args.dir or settings.content_dir, listed=args.list)
    if args.command == "content" and args.action == "export":
        return _content_export(args.dir or settings.content_dir, args.lang, everything=args.all, out=args.out)
    if args.command == "content" and args.action == "import":
        return _content_import(args.dir or settings.content_dir, args.file)
    if args.command == "content" and args.action == "reload":
        return _content_reload(settings)
    if args.command == "content":
        return 0 if _content_check(args.dir or settings.content_dir) else 1
    if args.command == "db" and args.action == "backup":
        return _db_backup(settings, args.file)
    if args.command == "db":
        return asyncio.run(_db_upgrade(settings))
    if args.command == "chat":
        return asyncio.run(_chat(settings, args.user, args.lang))
    if args.command == "broadcast":
        return _broadcast(settings, args)
    return _run(settings)
