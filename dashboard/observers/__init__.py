"""For observers: flags (rules as code), station-level forensics and the audit trail of versions."""
