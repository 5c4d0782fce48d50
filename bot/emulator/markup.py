"""Rendering of parse_mode text to what the person sees, with Telegram's "can't parse" errors."""

from __future__ import annotations

import html
import re

from bot.emulator.records import ApiError

_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"tg-emoji", "code", "pre", "blockquote"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
# Telegram knows only these named entities, plus all numeric ones.
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);")
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")


def _fail(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def render(text: str, parse_mode: str | None) -> str:
    """Plain text for `text` sent with `parse_mode`; raises ApiError where Telegram would."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return render_html(text)
    if mode == "markdownv2":
        return render_markdown(text, v2=True)
    if mode == "markdown":
        return render_markdown(text, v2=False)
    return text


def render_html(text: str) -> str:
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise _fail(f"Unsupported start tag at byte offset {_byte_offset(text, i)}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in _HTML_TAGS:
                kind = "end" if closing else "start"
                raise _fail(
                    f'Unsupported {kind} tag "{name}" at byte offset {_byte_offset(text, i)}'
                )
            if not closing:
                open_tags.append(name)
            elif not open_tags or open_tags[-1] != name:
                raise _fail(f"Unmatched end tag at byte offset {_byte_offset(text, i)}")
            else:
                open_tags.pop()
            i = match.end()
        elif char == "&" and (entity := _ENTITY.match(text, i)):
            out.append(html.unescape(entity.group()))
            i = entity.end()
        else:
            out.append(char)
            i += 1
    if open_tags:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def _find_closing(text: str, start: int, marker: str, *, escapes: bool) -> int:
    """Index of the next unescaped `marker` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if escapes and text[i] == "\\":
            i += 2
        elif text.startswith(marker, i):
            return i
        else:
            i += 1
    return -1


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def render_markdown(text: str, *, v2: bool) -> str:
    """MarkdownV2 (strict: reserved characters must be escaped) or legacy Markdown."""
    out: list[str] = []
    open_marks: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and (v2 or text[i + 1] in "_*`["):
            out.append(text[i + 1])
            i += 2
        elif char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = _find_closing(text, i + len(fence), fence, escapes=v2)
            if end < 0:
                raise _fail(f"Can't find end of the entity starting at byte offset {i}")
            body = text[i + len(fence) : end]
            if fence == "```" and "\n" in body and " " not in body.split("\n", 1)[0]:
                body = body.split("\n", 1)[1]  # drop the language name line
            out.append(_unescape(body) if v2 else body)
            i = end + len(fence)
        elif char == "[":
            close = _find_closing(text, i + 1, "](", escapes=v2)
            end = _find_closing(text, close + 2, ")", escapes=v2) if close >= 0 else -1
            if end < 0:
                if v2:
                    raise _fail(
                        "Character '[' is reserved and must be escaped with the preceding '\\'"
                    )
                raise _fail(f"Can't find end of the entity starting at byte offset {i}")
            out.append(render_markdown(text[i + 1 : close], v2=v2))
            i = end + 1
        elif (mark := _mark_at(text, i, v2)) is not None:
            if open_marks and open_marks[-1][0] == mark:
                open_marks.pop()
            else:
                open_marks.append((mark, i))
            i += len(mark)
        elif v2 and char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote line
        elif v2 and char in _MDV2_RESERVED:
            raise _fail(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.append(char)
            i += 1
    if open_marks:
        offset = _byte_offset(text, open_marks[-1][1])
        raise _fail(f"Can't find end of the entity starting at byte offset {offset}")
    return "".join(out)


def _mark_at(text: str, i: int, v2: bool) -> str | None:
    if v2:
        for mark in ("__", "||", "*", "_", "~"):
            if text.startswith(mark, i):
                return mark
        return None
    return text[i] if text[i] in "*_" else None
