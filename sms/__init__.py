# `sms.outbox` is filled by the locmem backend in tests, like Django's `mail.outbox`.
outbox: list = []
