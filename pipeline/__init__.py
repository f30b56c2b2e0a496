"""teema: code customer-experience research material into journey-stage themes and ranked issues."""

__version__ = "0.1.0"
