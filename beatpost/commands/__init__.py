"""One module per command (or small family of commands); each defines ``register(cli)``."""
