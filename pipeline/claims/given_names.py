"""Whether a capitalized word is a given name, from the name list `gender-guesser` ships offline.

A person's name normally opens with a given name ("Rishi", "Dmytro", "Hillary"); a two-word
organization's does not ("Fitch Ratings", "Goldman Sachs", "Human Rights Watch"). The list
(~45,000 given names of 50+ countries) is read once, at the first question, so a run that never
asks pays nothing; the gender itself is not used.
"""

from __future__ import annotations

from importlib.resources import files

# loaded into a module global, not behind `@cache`: compiled code calls a cached function
# through its Python wrapper (~0.1 us), and `is_given_name` is asked a few times per name
_NAMES: frozenset[str] | None = None


def given_names() -> frozenset[str]:
    """Every given name of the list, lower case ("+" joins the parts of a compound name)."""
    global _NAMES
    if _NAMES is None:
        _NAMES = _load()
    return _NAMES


def _load() -> frozenset[str]:
    # bytes decoded, not `read_text`: its newline translation of the 4.3 MB file cost ~11 of
    # the ~50 ms this load takes, and `splitlines` below reads "\r\n" as one line end anyway
    raw = files("gender_guesser").joinpath("data", "nam_dict.txt").read_bytes()
    data = raw.decode("utf-8")
    names: set[str] = set()
    for line in data.splitlines():
        if line[:1] in ("#", "=", ""):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 2:
            continue
        name = parts[1].lower()
        if "+" in name:  # "Jean+Pierre": "jeanpierre", "jean pierre", "jean-pierre"
            names.update(name.replace("+", sep) for sep in ("", " ", "-"))
        else:
            names.add(name)
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """Whether the word (trailing dot or possessive ignored) is a known given name; an acronym
    of two letters ("UK", "AI") is not, though the list holds some."""
    if len(word) == 2 and word.isupper():
        return False
    if word.isalnum():  # most words: no period or possessive to strip
        return word.lower() in given_names()
    return word.rstrip(".").removesuffix("'s").removesuffix("’s").lower() in given_names()
