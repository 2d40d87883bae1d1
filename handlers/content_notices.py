"""What staff are told after a content reload: published, or not, and what to fix, file and key."""

from __future__ import annotations

from typing import Any

from babel import Locale as BabelLocale

from bot.core.i18n import _, ngettext
from bot.core.messages import Reply
from bot.core.notices import Notice, Template
from bot.core.problems import ProblemKind
from bot.services.content_updates import CONTENT_REJECTED, CONTENT_RELOADED
from handlers.formatting import joined


def _problem(notice: Notice, kind: ProblemKind, detail: str) -> str:
    """What is wrong, in the reader's language (``detail`` is pydantic's English only for INVALID)."""
    if kind == ProblemKind.FILE_MISSING:
        return _("the file is missing")
    if kind == ProblemKind.YAML:
        line, _colon, column = detail.partition(":")
        return _("the YAML is malformed at line {line}, column {column}", line=line, column=column)
    if kind == ProblemKind.NOT_MAPPING:
        return _("the file must list its items by id")
    if kind == ProblemKind.BAD_ID:
        return _("an id must be lowercase Latin letters and digits joined by hyphens, at most 40 characters")
    if kind == ProblemKind.MISSING:
        return _("this field is missing")
    if kind == ProblemKind.MISSING_TEXT:
        language = BabelLocale.parse(detail).get_language_name(notice.locale.babel) or detail
        return _("the text in {language} is missing", language=language)
    if kind == ProblemKind.UNKNOWN_FIELD:
        return _("this field name is not known (a misspelling?)")
    if kind == ProblemKind.UNKNOWN_REFERENCE:
        return _("“{id}” names nothing in the content", id=detail)
    return _("the value is not valid ({detail})", detail=detail)


async def content_rejected(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A reload found problems: the bot goes on with the content it had; each problem by file and key."""
    problems, more = params["problems"], params["more"]
    count = len(problems) + more
    lines = [ngettext("⚠️ The edited content was not published: it has {n} problem. The bot goes on with the "
                      "previous version until it is fixed.",
                      "⚠️ The edited content was not published: it has {n} problems. The bot goes on with the "
                      "previous version until they are fixed.", count)]  # fmt: skip
    for problem in problems:
        what = _problem(notice, ProblemKind(problem["kind"]), problem["detail"])
        if problem["key"]:
            lines.append(_("• {file}, {key}: {problem}", file=problem["file"], key=problem["key"], problem=what))
        else:
            lines.append(_("• {file}: {problem}", file=problem["file"], problem=what))
    if more:
        lines.append(ngettext("…and {n} more: the command {command} lists them all.",
                              "…and {n} more: the command {command} lists them all.", more,
                              command="haufo-bot content check"))  # fmt: skip
    return [Reply("\n".join(lines))]


async def content_reloaded(params: dict[str, Any], notice: Notice) -> list[Reply]:
    """A reload published the edited files; how many people were told of a new time."""
    text = _("✅ The edited content is published: {files}.", files=joined(notice.locale, params["files"]))
    if params["told"]:
        text += "\n" + ngettext("{n} person has been told of a new time.", "{n} people have been told of a new time.",
                                params["told"])  # fmt: skip
    return [Reply(text)]


CONTENT_NOTICES: dict[str, Template] = {CONTENT_REJECTED: content_rejected, CONTENT_RELOADED: content_reloaded}
