"""Find every translatable string in templates and Python code, without GNU gettext.

Templates go through Django's own `templatize` (the step `makemessages` uses), whose output is
scanned with Python's tokenizer; Python modules are scanned with `ast`. The English catalogue must
hold a translation for each msgid (tested in core/tests/test_i18n_catalogue.py).
"""

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation.template import templatize

GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
NGETTEXT_NAMES = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
CONTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


@dataclass(frozen=True)
class Message:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str = ""
    where: str = ""


def _strings_after_call(tokens: list[tokenize.TokenInfo], start: int) -> list[str]:
    """String literal arguments of the call whose name is tokens[start]."""
    values: list[str] = []
    depth = 0
    current = ""
    for tok in tokens[start + 1 :]:
        if tok.type == tokenize.OP and tok.string == "(":
            depth += 1
            continue
        if tok.type == tokenize.OP and tok.string == ")":
            depth -= 1
            if depth == 0:
                break
            continue
        if depth == 1 and tok.type == tokenize.STRING:
            current += ast.literal_eval(tok.string)
        elif depth == 1 and tok.type == tokenize.OP and tok.string == ",":
            values.append(current)
            current = ""
    values.append(current)
    return values


def _from_code(code: str, where: str) -> list[Message]:
    found: list[Message] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return found
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or tok.string not in GETTEXT_NAMES | NGETTEXT_NAMES:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        args = _strings_after_call(tokens, i)
        context = ""
        if tok.string in CONTEXT_NAMES:
            context, args = args[0], args[1:]
        if not args or not args[0]:
            continue
        if tok.string in NGETTEXT_NAMES:
            found.append(Message(args[0], args[1] if len(args) > 1 else "", context, where))
        else:
            found.append(Message(args[0], "", context, where))
    return found


def messages_in_template(path: Path) -> list[Message]:
    return _from_code(templatize(path.read_text(encoding="utf-8"), origin=str(path)), str(path))


def messages_in_python(path: Path) -> list[Message]:
    source = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: list[Message] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in GETTEXT_NAMES | NGETTEXT_NAMES:
            continue
        args = [
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
        ]
        context = ""
        if name in CONTEXT_NAMES and args:
            context, args = args[0] or "", args[1:]
        if not args or not args[0]:
            continue
        plural = args[1] if name in NGETTEXT_NAMES and len(args) > 1 and args[1] else ""
        found.append(Message(args[0], plural, context, f"{path}:{node.lineno}"))
    return found


def collect_messages(package_dir: Path) -> list[Message]:
    """Every translatable message of the package, first occurrence of each msgid kept."""
    seen: dict[tuple[str, str], Message] = {}
    for path in sorted(package_dir.rglob("*.html")):
        for msg in messages_in_template(path):
            seen.setdefault((msg.msgctxt, msg.msgid), msg)
    for path in sorted(package_dir.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for msg in messages_in_python(path):
            seen.setdefault((msg.msgctxt, msg.msgid), msg)
    return list(seen.values())
