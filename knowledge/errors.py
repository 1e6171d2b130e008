"""The few things that can go wrong in knowledge/, each turned into a friendly reply at the edge."""


class PlanbotError(Exception):
    """Base of planbot's own errors: the message is meant for a person."""


class ParseError(PlanbotError):
    """The report could not be read; the message names the file (and line where there is one)."""


class IndexUnavailable(PlanbotError):
    """The index is missing, unreadable or of another version."""
