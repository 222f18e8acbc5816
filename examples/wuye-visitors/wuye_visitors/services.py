"""The visitor register's public contract: what another plugin may call (``depends = ["visitors"]``)."""

from wuye_visitors.visits import inside_now, register_departure, register_visit, update_visit, visits_on

__all__ = ["inside_now", "register_departure", "register_visit", "update_visit", "visits_on"]
