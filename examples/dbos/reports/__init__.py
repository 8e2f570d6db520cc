"""A multi-module DBOS app: the workflow calls a helper that reads the disk and the clock."""
