"""Billing (收费管理): fee items and their published prices (公示), meter readings and shared-cost
apportionment (公摊), idempotent period billing runs, payments with receipts (收款收据), prepaid
balances (预存), deposits (押金/保证金), arrears ageing, collection rates (收缴率) and dunning (催缴).

Other plugins use only :mod:`plugins.billing.services` (see docs/plugins/billing.md).
"""
