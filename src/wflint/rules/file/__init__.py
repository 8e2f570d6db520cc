"""WFL0xx: files wflint cannot analyse."""
