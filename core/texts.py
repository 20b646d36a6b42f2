"""Sentences ``core`` makes from measured numbers, kept as a template and its values (issue 14).

``core`` has no Qt, so it cannot translate; but a verdict such as "B = 2 ends in the flat minimum
in 85 % of the seeds" must reach the window in its language with the numbers measured here. A
:class:`Text` keeps the English template (one made by :func:`template`, which records it in
:data:`TEMPLATES`, the list ``gui.i18n.core_texts`` puts into the catalogue) and its values,
already formatted as strings (so both languages show the same digits), or nested :class:`Text`
(a sentence made of parts), or a tuple of either (joined by ``", "``). ``str(text)`` is the
English; :meth:`Text.render` with a translating function is the window's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Union

__all__ = ["TEMPLATES", "Text", "TextError", "Value", "template", "text"]

#: Every template made by :func:`template`, in the order the modules define them.
TEMPLATES: dict[str, None] = {}

Value = Union[str, "Text", tuple[Union[str, "Text"], ...]]


def template(english: str) -> str:
    """Record ``english`` (a ``str.format`` template with named ``{placeholders}``) as a text
    the window translates, and return it unchanged."""
    TEMPLATES[english] = None
    return english


@dataclass(frozen=True)
class Text:
    """A sentence: ``template`` filled with ``args`` (see the module's docstring)."""

    template: str
    args: Mapping[str, Value] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The sentence, each template passed through ``translate`` first (a translation
        whose placeholders do not fit falls back to the English template)."""
        def value(v: Value) -> str:
            if isinstance(v, Text):
                return v.render(translate)
            if isinstance(v, tuple):
                return ", ".join(value(x) for x in v)
            return v

        values = {k: value(v) for k, v in self.args.items()}
        if translate is not None:
            try:
                return translate(self.template).format(**values)
            except (KeyError, IndexError, ValueError):
                pass
        return self.template.format(**values)

    def __str__(self) -> str:
        return self.render()


def text(english: str, **args: Value) -> Text:
    """``Text(english, args)``."""
    return Text(english, args)


class TextError(ValueError):
    """A ValueError whose one-line message is a :class:`Text` (``sentence``): the command line
    prints its English, the window shows it in its language."""

    def __init__(self, sentence: Text) -> None:
        super().__init__(str(sentence))
        self.sentence = sentence
