"""Owner archives (业主档案), spec 2.4 (KF09): one confidential archive per unit and owner with its
documents, ownership history and the sections other plugins contribute; a completeness check; access
by the office manager's approval, every opening logged; the household census (住户普查) and
retention review. See docs/plugins/archive.md."""
