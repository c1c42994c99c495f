"""The shipped sentiment model and the code that reads it.

Files: default.npz (linear half), default_cnn.npz (convolutional half), default.json (card).
"""
