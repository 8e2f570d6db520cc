"""A multi-module Dapr app: the workflow looks clean, the hazards live in its helpers."""
