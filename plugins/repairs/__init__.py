"""Repairs (报修, KF15 报修管理标准作业规程 + 002 物业业主报修管理制度; spec 2.9): repair orders from any
channel (routed from the core's reception desk), dispatch to engineering with the manual's minute
limits, quotes for work outside the price list, completion with photos, the owner's confirmation,
paid repairs charged through billing, and rework when the owner is unsatisfied."""
