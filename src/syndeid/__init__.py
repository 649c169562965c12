"""syndeid: synthetic clinical letters with low re-identification risk, by masked language modelling."""

__version__ = "0.1.0"
