"""Mask filling: model loading, windows, batched fill strategies and sampling."""
