"""A multi-module Temporal app whose hazards live in helpers and in objects built elsewhere."""
