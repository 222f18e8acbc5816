"""Renovation (装修管理, KF10 装修管理标准作业规程 + KF11 住宅室内装修管理规定): applications and their
reviews, the service agreement and fees, permits and worker passes, patrols, violations, completion
acceptance and the deposit settlement. Depends on billing for charges and the deposit ledger."""
