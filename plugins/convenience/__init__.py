"""Convenience services, free and paid (便民服务, manual 004; domain spec 2.20).

A free and a paid catalogue (《便民服务项目及价格表》) whose items and prices the management-office
manager proposes and the general manager approves; published versions are booked (orders), dispatched,
delivered, confirmed by the customer, charged through ``billing`` per job or on the monthly statement
(《有偿便民服务月结统计表》), followed up by a return visit, and reviewed for profitability.
"""
