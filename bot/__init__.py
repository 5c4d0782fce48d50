"""MedBot: a Telegram bot that keeps patients on their medication safely."""
