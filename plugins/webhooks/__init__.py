"""Webhooks (事件推送): a Wuye plugin."""
