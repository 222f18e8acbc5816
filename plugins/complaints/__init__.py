"""Complaints (客户投诉处理, KF16; spec 2.10): every complaint from any channel registered, classified,
handled within 24 hours, answered in writing, its corrective action verified, and counted monthly by
category, department and estate. A complaint about a person is never handled by that person."""
