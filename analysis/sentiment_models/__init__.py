"""The shipped sentiment model (default.npz, default.json) and the code that reads it."""
