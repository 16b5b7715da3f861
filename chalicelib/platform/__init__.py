"""What every capability uses: settings, the one clock, domain errors, the event log, e-mail and its
outbox, signing, signed cursors, labelled transactions, rate limits, a short per-container cache and reads
and writes of many items by key (`batch`). Imports no capability."""

__all__ = [
    "batch",
    "cache",
    "clock",
    "config",
    "csvtext",
    "cursors",
    "deadlines",
    "dutchtext",
    "errors",
    "eventlog",
    "faults",
    "ipmask",
    "mail",
    "outbox",
    "periods",
    "ratelimit",
    "ratelimit_rules",
    "scrub",
    "signing",
    "transactions",
    "xmltext",
]
