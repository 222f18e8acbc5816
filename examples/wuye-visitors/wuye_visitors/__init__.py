"""Example third-party Wuye plugin: the visitor register (来访登记) kept by the gate guards."""
