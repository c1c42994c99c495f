"""The weekly engagement digest: build (store -> DigestData) -> render (HTML, text, PNG) -> send."""
