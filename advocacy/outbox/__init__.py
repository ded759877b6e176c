"""The outbox: one queue and one sender for every email the service sends.

``models`` (OutboxMessage, its kinds and statuses), ``services.queue`` (render and queue a
mail), ``sender.deliver`` (claim and send). Staff views of the outbox live with the reminder
pages (``/reminders/outbox``).
"""
