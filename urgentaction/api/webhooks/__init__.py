"""Webhooks: partners' systems are told of events as they happen (docs/api.md).

The lower apps announce events (core/events.py); ``payloads`` records a durable row per
listening endpoint in the same transaction; ``send_webhooks`` (``delivery``) sends them
apart from letters, signed (``sending``), only to addresses allowed (``addresses``), and
disables an endpoint that keeps failing."""
