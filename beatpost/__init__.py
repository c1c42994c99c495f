"""beatpost: recruitment campaign scheduler and engagement analyzer for police PIOs."""

__version__ = "0.1.0"
