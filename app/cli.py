"""Command-line commands registered without importing their implementation.

`flask --help` and every command create the application first: a command group whose module is
imported at registration makes every other command pay for its imports. A :class:`LazyCommand`
carries only the name and the one-line help shown by `flask --help`; the real command (a
``"module:attribute"``) is imported when it runs, or when its own ``--help`` is asked for.
"""

from __future__ import annotations

import importlib
from functools import cached_property
from typing import Any

import click


class LazyCommand(click.Command):
    def __init__(self, name: str, target: str, help_line: str) -> None:
        super().__init__(name, help=help_line, add_help_option=False)
        self.target = target

    @cached_property
    def command(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The context is the real command's: click then invokes that one, with its own
        # options, subcommands and help.
        return self.command.make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        return self.command.invoke(ctx)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        return self.command.shell_complete(ctx, incomplete)
