"""Conversation handlers, one router per area; the fallback comes last."""

from __future__ import annotations

from bot.core.router import Router
from handlers import (
    answers,
    broadcast,
    check_in,
    classes,
    events,
    fallback,
    group,
    language,
    linking,
    menu,
    my_registrations,
    privacy,
    reachability,
    registration,
    sites,
    staff,
    staff_questions,
    start,
    subscriptions,
    team,
    tours,
)

ROUTERS: tuple[Router, ...] = (
    group.router,
    reachability.router,
    start.router,
    menu.router,
    language.router,
    events.router,
    classes.router,
    tours.router,
    sites.router,
    registration.router,
    my_registrations.router,
    privacy.router,
    subscriptions.router,
    linking.router,
    staff.router,
    check_in.router,
    team.router,
    broadcast.router,
    staff_questions.router,
    answers.router,
    fallback.router,
)
