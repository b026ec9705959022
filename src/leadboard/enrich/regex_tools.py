"""Small helpers for building the extractors' large regular expressions."""


def has_top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` is itself an alternation ("a|b"), outside any group or class.

    >>> has_top_level_bar("a|b"), has_top_level_bar("(a|b)c"), has_top_level_bar("[|]")
    (True, False, False)
    """
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False
