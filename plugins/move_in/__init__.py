"""Move-in (入伙管理, KF08): notices, appointments, documents, fees, joint inspection, handover, keys."""
